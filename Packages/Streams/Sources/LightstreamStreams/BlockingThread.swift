#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs work that may block in a system call (a `write` to a slow pipe, a `connect` that resolves
/// a name) on a thread of its own. Not on Swift's cooperative pool, which must never block; and
/// not on Dispatch's global queues either: on Linux, Swift's default executor runs tasks on
/// those same queues, so work blocking there takes threads away from every task.
///
/// A thread is created per call; calls are coarse (at most one per megabyte written, one per
/// connection), so the creation cost (tens of microseconds) is small against the work.
enum BlockingThread {
    private final class Job {
        let work: () -> Void
        init(_ work: @escaping () -> Void) { self.work = work }
    }

    /// Runs `work` on a new detached thread and returns its result (or runs it here, should the
    /// system refuse a thread: blocking work is then slow to share, not lost).
    static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let job: @Sendable () -> Void = { continuation.resume(returning: work()) }
            if !start(job) { job() }
        }
    }

    /// Starts `work` on a new detached thread; `false` if the system refused a thread.
    static func start(_ work: @escaping @Sendable () -> Void) -> Bool {
        let job = Unmanaged.passRetained(Job(work)).toOpaque()
        #if canImport(Darwin)
        var thread: pthread_t? = nil
        #else
        var thread = pthread_t()
        #endif
        let result = pthread_create(&thread, nil, { raw in
            guard let raw else { return nil }
            Unmanaged<Job>.fromOpaque(raw).takeRetainedValue().work()
            return nil
        }, job)
        guard result == 0 else {
            Unmanaged<Job>.fromOpaque(job).release()
            return false
        }
        #if canImport(Darwin)
        if let thread { pthread_detach(thread) }
        #else
        pthread_detach(thread)
        #endif
        return true
    }
}
