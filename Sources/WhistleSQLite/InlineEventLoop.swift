import Dispatch
import NIOCore

/// The event loop a direct connection's futures live on: work handed to it runs at once on
/// the calling thread, so a Fluent query's already-completed future is awaited without a trip
/// to a real event loop and back (two thread switches per query, inside the writer's
/// transaction, where everything else waits). Timers go to `base`.
///
/// Only for futures used by one task at a time — a transaction on the writer, a read on a
/// reading connection — never for channels.
final class InlineEventLoop: EventLoop, @unchecked Sendable {
    let base: any EventLoop
    init(base: any EventLoop) { self.base = base }

    var inEventLoop: Bool { true }
    func execute(_ task: @escaping @Sendable () -> Void) { task() }

    @discardableResult
    func scheduleTask<T>(deadline: NIODeadline, _ task: @escaping @Sendable () throws -> T) -> Scheduled<T> {
        base.scheduleTask(deadline: deadline, task)
    }

    @discardableResult
    func scheduleTask<T>(in delay: TimeAmount, _ task: @escaping @Sendable () throws -> T) -> Scheduled<T> {
        base.scheduleTask(in: delay, task)
    }

    func preconditionInEventLoop(file: StaticString, line: UInt) {}
    func preconditionNotInEventLoop(file: StaticString, line: UInt) {}

    func shutdownGracefully(queue: DispatchQueue, _ callback: @escaping @Sendable ((any Error)?) -> Void) {
        callback(nil)   // the base loop belongs to its group
    }
}
