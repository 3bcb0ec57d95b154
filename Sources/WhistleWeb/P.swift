import Vapor
import FluentSQLiteDriver
public enum P3 {}
