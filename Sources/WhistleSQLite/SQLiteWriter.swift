import FluentKit
import NIOConcurrencyHelpers
import NIOPosix

/// The server's one writing connection to its SQLite file, opened at the first write (a
/// command that writes nothing leaves no file behind). The write gate runs every transaction
/// on it, one at a time (`DirectSQLiteDatabase`); reads keep the driver's pool.
public final class SQLiteWriter: Sendable {
    public let path: String
    let busyMilliseconds: Int
    let commitPool: NIOThreadPool?
    private let state = NIOLockedValueBox<(handle: SQLiteHandle?, pragmas: [String], logHook: (@Sendable (Int) -> Void)?)>((nil, [], nil))

    /// - Parameters:
    ///   - commitPool: where commits wait for the disk (nil: on the calling thread).
    public init(path: String, busyMilliseconds: Int, commitPool: NIOThreadPool?) {
        self.path = path
        self.busyMilliseconds = busyMilliseconds
        self.commitPool = commitPool
    }

    /// The connection, opened now if it is not yet.
    public func handle() throws -> SQLiteHandle {
        try state.withLockedValue { state in
            if let handle = state.handle { return handle }
            let handle = try SQLiteHandle(path: path, busyMilliseconds: busyMilliseconds)
            for pragma in state.pragmas { try handle.execute(pragma) }
            if let hook = state.logHook { handle.onCommit(logPages: hook) }
            state.handle = handle
            return handle
        }
    }

    /// The connection as a database for one write, logging through `context`.
    public func database(context: DatabaseContext) throws -> DirectSQLiteDatabase {
        DirectSQLiteDatabase(connection: try handle(), context: context.inline, commitPool: commitPool)
    }

    /// Sets a pragma on the connection now and whenever it is opened again (e.g. the replay's
    /// `synchronous = NORMAL`).
    public func apply(_ pragma: String) throws {
        let handle = state.withLockedValue { state -> SQLiteHandle? in
            state.pragmas.append(pragma)
            return state.handle
        }
        try handle?.execute(pragma)
    }

    /// After each commit, tells `hook` how many pages the write-ahead log holds, now and
    /// whenever the connection is opened again; the connection then leaves checkpoints of the
    /// log to others (`WALSyncer`'s thread), instead of running one inside a commit once the
    /// log passes a thousand pages, with the writer waiting on its fsyncs.
    public func onCommit(logPages hook: @escaping @Sendable (Int) -> Void) {
        let handle = state.withLockedValue { state -> SQLiteHandle? in
            state.logHook = hook
            return state.handle
        }
        handle?.onCommit(logPages: hook)
    }

    /// Closes the connection; the next write opens it again.
    public func close() {
        let handle = state.withLockedValue { state -> SQLiteHandle? in
            defer { state.handle = nil }
            return state.handle
        }
        handle?.close()
    }
}

extension DatabaseContext {
    /// The same context on an `InlineEventLoop` over its loop.
    var inline: DatabaseContext {
        guard !(eventLoop is InlineEventLoop) else { return self }
        return DatabaseContext(configuration: configuration, logger: logger, eventLoop: InlineEventLoop(base: eventLoop),
                               history: history, pageSizeLimit: pageSizeLimit, shouldTrace: shouldTrace)
    }
}
