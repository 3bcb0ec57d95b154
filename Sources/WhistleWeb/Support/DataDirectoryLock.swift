import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One server per SQLite data folder. `whistle serve` takes an exclusive `flock` on
/// `<data>/whistle.lock` and writes its process id into it; a second server on the same folder
/// refuses to start and names the process that holds it. The kernel drops the lock when the
/// holder exits in any way (SIGKILL included), so a crash never leaves a stale lock behind.
public final class DataDirectoryLock: @unchecked Sendable {
    public let path: String
    private let descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    public struct Refusal: Error, CustomStringConvertible {
        public let description: String
    }

    /// Takes the lock for `directory` (created if missing) or explains why not.
    public static func acquire(directory: String) throws -> DataDirectoryLock {
        if let cause = makeDirectories(directory) {
            throw Refusal(description: "cannot create the data folder \(directory): \(cause)")
        }
        let path = (directory as NSString).appendingPathComponent("whistle.lock")
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw Refusal(description: "cannot open \(path): \(String(cString: strerror(errno))) (is the data folder writable, and is the disk full?)")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let cause = errno
            var buffer = [UInt8](repeating: 0, count: 64)
            let count = pread(fd, &buffer, buffer.count, 0)
            close(fd)
            let holder = count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : "?"
            if cause == EWOULDBLOCK {
                throw Refusal(description: "another Whistle server (process \(holder)) is already using the data folder \(directory) (\(path)); stop it first, or give this one its own WHISTLE_DATA_DIR")
            }
            throw Refusal(description: "cannot lock \(path): \(String(cString: strerror(cause)))")
        }
        let pid = Array("\(getpid())\n".utf8)
        guard ftruncate(fd, 0) == 0, pwrite(fd, pid, pid.count, 0) == pid.count else {
            let cause = String(cString: strerror(errno))
            close(fd)
            throw Refusal(description: "cannot write \(path): \(cause) (is the disk full?)")
        }
        return DataDirectoryLock(path: path, descriptor: fd)
    }

    /// `mkdir -p` with the system's own reason on failure (nil when the folder exists).
    private static func makeDirectories(_ path: String) -> String? {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            var info = stat()
            if stat(current, &info) == 0 {
                if (info.st_mode & S_IFMT) != S_IFDIR { return "\(current) is not a directory" }
                continue
            }
            if mkdir(current, 0o755) != 0 && errno != EEXIST { return "\(current): \(String(cString: strerror(errno)))" }
        }
        return nil
    }
}
