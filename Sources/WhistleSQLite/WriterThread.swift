import Dispatch
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// The thread the single writer's transactions run on: a task executor (SE-0417) over one
/// dedicated thread. The write gate runs its batches with this executor preferred, so a
/// transaction's code — the statements, the decisions, the commit's wait for the disk — runs
/// here from `BEGIN` to `COMMIT` instead of on Swift's few cooperative threads, where every
/// resumption of the writer queued behind the requests being parsed and encoded (the writer
/// is the one serial section). Blocking this thread on the disk blocks nothing else.
public final class WriterThread: TaskExecutor {
    private let group: MultiThreadedEventLoopGroup
    private let loop: any EventLoop
    /// Set at shutdown; a job enqueued after it runs on a shared thread instead.
    private let stopped = NIOLockedValueBox(false)

    public init() {
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        loop = group.next()
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        let run: @Sendable () -> Void = { job.runSynchronously(on: executor) }
        let queued = stopped.withLockedValue { stopped in
            if !stopped { loop.execute(run) }
            return !stopped
        }
        if !queued { DispatchQueue.global().async(execute: run) }
    }

    /// Whether the calling code runs on this thread (tests).
    public var isCurrent: Bool { loop.inEventLoop }

    public func asUnownedTaskExecutor() -> UnownedTaskExecutor {
        UnownedTaskExecutor(ordinary: self)
    }

    /// Stops the thread (at shutdown) and waits for it; what is queued on it still runs. Never
    /// from one of NIO's event-loop threads (NIO traps a blocking shutdown there); an async
    /// caller uses `shutdown() async`.
    public func shutdown() {
        if markStopped() { try? group.syncShutdownGracefully() }
    }

    /// Stops the thread without blocking the caller's thread; what is queued on it still runs.
    public func shutdown() async {
        if markStopped() { try? await group.shutdownGracefully() }
    }

    /// Whether this call is the first to stop the thread.
    private func markStopped() -> Bool {
        stopped.withLockedValue { stopped in
            defer { stopped = true }
            return !stopped
        }
    }
}
