import FluentKit
import SQLKit

extension Database {
    /// True on PostgreSQL: the few statements that differ from SQLite (row locks with
    /// `SKIP LOCKED`, no PRAGMAs) check this.
    public var isPostgres: Bool { (self as? any SQLDatabase)?.dialect.name == "postgresql" }
}
