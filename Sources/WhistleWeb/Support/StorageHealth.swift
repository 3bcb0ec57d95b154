import Foundation
import SQLiteNIO
import WhistleSQLite
#if canImport(Glibc)
import Glibc
#endif

/// The data folder's room to write, for `/healthz` and for the answer to a write that failed
/// because the disk is full (503 `server.storage_full`, never a bare 500).
enum StorageHealth {
    /// Below this many free bytes the node reports its storage as full.
    static let reserveBytes: UInt64 = 16 * 1024 * 1024

    /// Free bytes for unprivileged writers in `directory`, or nil when it cannot be read.
    static func freeBytes(_ directory: String) -> UInt64? {
        var info = statvfs()
        guard statvfs(directory, &info) == 0 else { return nil }
        return UInt64(info.f_bavail) * UInt64(info.f_frsize)
    }

    /// Whether an error is the database saying it cannot write (disk full, I/O error, a
    /// read-only file).
    static func isStorageFailure(_ error: any Error) -> Bool {
        if let direct = error as? SQLiteFailure { return direct.isStorageFailure }
        guard let sqlite = error as? SQLiteError else { return false }
        switch sqlite.reason {
        case .full, .ioError, .readOnly, .cantOpen, .readonlyDirectory, .readonlyCantLock,
             .ioErrorFailedWrite, .ioErrorFailedSync, .ioErrorFailedDirSync, .ioErrorFailedTruncate,
             .cantOpenDirectory: return true
        default: return false
        }
    }

    /// Whether an error is another process holding the database's lock past the wait.
    static func isBusy(_ error: any Error) -> Bool {
        if let direct = error as? SQLiteFailure { return direct.isBusy }
        guard let sqlite = error as? SQLiteError else { return false }
        switch sqlite.reason {
        case .busy, .busyTimeout, .busyInRecovery, .busyInSnapshot, .locked: return true
        default: return false
        }
    }
}

/// A start that failed on storage says where and why, not just SQLite's terse line.
public enum StartFailure {
    public static func explain(_ error: any Error, config: Config) -> String? {
        guard !config.usesPostgres else { return nil }
        let path = config.resolvedDatabasePath
        if StorageHealth.isStorageFailure(error) {
            let folder = (path as NSString).deletingLastPathComponent
            let free = StorageHealth.freeBytes(folder).map { "\($0 / 1024 / 1024) MB free" } ?? "free space unknown"
            return "cannot write the database \(path) (\(error)); is the disk full (\(free) in \(folder)) or the folder read-only?"
        }
        if StorageHealth.isBusy(error) {
            return "the database \(path) is locked by another process (\(error)); stop the other program and start again"
        }
        return nil
    }
}
