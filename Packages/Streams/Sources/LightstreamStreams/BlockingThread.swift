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

    /// Runs `work` on a new detached thread and returns its result.
    static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            start { continuation.resume(returning: work()) }
        }
    }

    /// Starts `work` on a new detached thread (or runs it here, should the system refuse a thread).
    static func start(_ work: @escaping @Sendable () -> Void) {
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
        if result == 0 {
            #if canImport(Darwin)
            if let thread { pthread_detach(thread) }
            #else
            pthread_detach(thread)
            #endif
        } else {
            Unmanaged<Job>.fromOpaque(job).takeRetainedValue().work()
        }
    }
}
