import FluentKit
import FluentSQL
import NIOConcurrencyHelpers
import NIOCore
import SQLKit
import SQLiteKit
import SQLiteNIO

/// A few connections that only read, each driven on the calling thread: a read costs the
/// statement, not a trip to the driver's thread pool, an event loop and back. A read takes a
/// free connection (opening one, up to `limit`), or waits for one in turn.
public final class SQLiteReaders: Sendable {
    public let path: String
    let busyMilliseconds: Int
    /// Connections kept at most.
    public let limit: Int
    private struct State {
        /// A slot's connection is nil until opened; a busy slot is in use (or being opened).
        var slots: [(handle: SQLiteHandle?, busy: Bool)] = []
        var turn = 0
    }
    private let state = NIOLockedValueBox(State())

    public init(path: String, busyMilliseconds: Int, limit: Int = 4) {
        self.path = path
        self.busyMilliseconds = busyMilliseconds
        self.limit = max(1, limit)
    }

    /// Runs one read-only statement on a reading connection (`NotReadOnly` if it is not one).
    public func read(_ sql: String, _ binds: [SQLiteData], _ onRow: (DirectRow) throws -> Void) throws {
        enum Pick { case ready(Int, SQLiteHandle), open(Int), shared(SQLiteHandle), alone }
        let pick = state.withLockedValue { state -> Pick in
            if let index = state.slots.firstIndex(where: { !$0.busy }) {
                state.slots[index].busy = true
                return state.slots[index].handle.map { .ready(index, $0) } ?? .open(index)
            }
            if state.slots.count < limit {
                state.slots.append((nil, true))
                return .open(state.slots.count - 1)
            }
            // All in use: queue on one of them in turn (its lock keeps the reads apart).
            let opened = state.slots.compactMap(\.handle)
            guard !opened.isEmpty else { return .alone }
            state.turn = (state.turn + 1) % opened.count
            return .shared(opened[state.turn])
        }
        switch pick {
        case .ready(let index, let handle):
            defer { release(index) }
            try handle.query(sql, binds, readOnly: true, onRow)
        case .shared(let handle):
            try handle.query(sql, binds, readOnly: true, onRow)
        case .open(let index):
            defer { release(index) }
            let handle = try SQLiteHandle(path: path, busyMilliseconds: busyMilliseconds)
            state.withLockedValue { $0.slots[index].handle = handle }
            try handle.query(sql, binds, readOnly: true, onRow)
        case .alone:
            // Every slot is still opening its connection: read on one of our own.
            let handle = try SQLiteHandle(path: path, busyMilliseconds: busyMilliseconds)
            defer { handle.close() }
            try handle.query(sql, binds, readOnly: true, onRow)
        }
    }

    private func release(_ index: Int) {
        state.withLockedValue { state in if index < state.slots.count { state.slots[index].busy = false } }
    }

    /// Closes every reading connection; the next read opens one again.
    public func close() {
        let handles = state.withLockedValue { state -> [SQLiteHandle] in
            defer { state = State() }
            return state.slots.compactMap(\.handle)
        }
        for handle in handles { handle.close() }
    }
}
