/// Serialises write transactions inside one process. SQLite allows one writer at a time and
/// a deferred transaction that reads and then writes can fail with SQLITE_BUSY when another
/// connection wrote in between; queueing writers here avoids both the failure and the spin.
public actor WriteGate {
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []
    public let enabled: Bool

    public init(enabled: Bool = true) { self.enabled = enabled }

    private func acquire() async {
        if !busy { busy = true; return }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func release() {
        if waiters.isEmpty { busy = false } else { waiters.removeFirst().resume() }
    }

    public func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        guard enabled else { return try await body() }
        await acquire()
        do {
            let value = try await body()
            release()
            return value
        } catch {
            release()
            throw error
        }
    }
}
