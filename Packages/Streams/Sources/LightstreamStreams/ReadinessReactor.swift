import LightstreamFraming
import Synchronization
import SystemPackage
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One background thread that waits, with `poll`, until descriptors are ready, and resumes the
/// tasks waiting on them. Tasks never block a thread of the cooperative pool to wait for a peer,
/// and cancelling a waiting task resumes it at once with `CancellationError`.
///
/// A wait is one-shot: it ends when `poll` reports any of its events, an error, a hang-up or an
/// invalid descriptor; the caller then retries its system call, which tells which. A wait with a
/// deadline also ends when the deadline passes (it then returns `false`).
final class ReadinessReactor: Sendable {
    /// The one reactor, started at first use; an error if its pipe or thread could not be made
    /// (e.g. the process ran out of descriptors), reported by every wait instead of a crash.
    static let shared = Result { try ReadinessReactor() }

    private struct Waiter: Sendable {
        let descriptor: Int32
        let events: Int16
        let deadline: ContinuousClock.Instant?
        let continuation: CheckedContinuation<Bool, any Error>
    }

    private struct State: Sendable {
        var waiters: [UInt64: Waiter] = [:]
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())
    /// A pipe that wakes the thread when the set of waiters changed.
    private let wakeRead: Int32
    private let wakeWrite: Int32

    private init() throws {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            throw FramingError(.io("cannot start the readiness thread: pipe: \(Errno(rawValue: errno))"), at: 0)
        }
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        (wakeRead, wakeWrite) = (ends[0], ends[1])
        guard BlockingThread.start({ [self] in run() }) else {
            close(wakeRead)
            close(wakeWrite)
            throw FramingError(.io("cannot start the readiness thread: the system refused a thread"), at: 0)
        }
    }

    /// Suspends until `descriptor` is ready for `events` (or reports an error or hang-up), and
    /// returns `true`; or until `deadline` passes, and returns `false`.
    /// Throws `CancellationError` as soon as the task is cancelled.
    @discardableResult
    func wait(for descriptor: Int32, events: Int16, deadline: ContinuousClock.Instant? = nil) async throws -> Bool {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Bool, any Error>) in
                state.withLock {
                    $0.waiters[id] = Waiter(descriptor: descriptor, events: events, deadline: deadline, continuation: continuation)
                }
                // A cancellation that came before the waiter was registered found nothing to resume.
                if Task.isCancelled {
                    resume(id, with: .failure(CancellationError()))
                } else {
                    wake()
                }
            }
        } onCancel: {
            resume(id, with: .failure(CancellationError()))
        }
    }

    /// Resumes the waiter `id` if it is still waiting (exactly once, whoever gets here first).
    private func resume(_ id: UInt64, with result: Result<Bool, any Error>) {
        let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
        guard let waiter else { return }
        waiter.continuation.resume(with: result)
        wake()
    }

    /// The `poll` timeout until `deadline`: rounded up to whole milliseconds, at most a minute
    /// (the loop recomputes it), 0 when it passed.
    static func milliseconds(until deadline: ContinuousClock.Instant, now: ContinuousClock.Instant) -> Int32 {
        guard deadline > now else { return 0 }
        let (seconds, attoseconds) = (deadline - now).components
        guard seconds < 60 else { return 60_000 }
        return Int32(seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
    }

    private func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)  // A full pipe already means "wake up".
    }

    /// The thread's loop: poll the wake pipe and every waiter's descriptor; resume the ready ones.
    private func run() {
        var entries: [pollfd] = []
        var ids: [UInt64] = []
        var drain = [UInt8](repeating: 0, count: 256)
        let clock = ContinuousClock()
        while true {
            entries.removeAll(keepingCapacity: true)
            ids.removeAll(keepingCapacity: true)
            entries.append(pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0))
            var nearest: ContinuousClock.Instant?
            state.withLock { state in
                for (id, waiter) in state.waiters {
                    ids.append(id)
                    entries.append(pollfd(fd: waiter.descriptor, events: waiter.events, revents: 0))
                    if let deadline = waiter.deadline, nearest.map({ deadline < $0 }) ?? true { nearest = deadline }
                }
            }
            let result = poll(&entries, nfds_t(entries.count), nearest.map { Self.milliseconds(until: $0, now: clock.now) } ?? -1)
            if result < 0 { continue }  // EINTR; nothing else can fail with valid arguments.
            if entries[0].revents != 0 {
                while read(wakeRead, &drain, drain.count) > 0 {}
            }
            for index in 1..<entries.count where entries[index].revents != 0 {
                let waiter = state.withLock { $0.waiters.removeValue(forKey: ids[index - 1]) }
                waiter?.continuation.resume(returning: true)
            }
            if nearest != nil {
                let now = clock.now
                let expired = state.withLock { state in
                    let ids = state.waiters.filter { $0.value.deadline.map { $0 <= now } ?? false }.map(\.key)
                    return ids.compactMap { state.waiters.removeValue(forKey: $0) }
                }
                for waiter in expired { waiter.continuation.resume(returning: false) }
            }
        }
    }
}
