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
/// invalid descriptor; the caller then retries its system call, which tells which.
final class ReadinessReactor: Sendable {
    /// The one reactor, started at first use; an error if its pipe or thread could not be made
    /// (e.g. the process ran out of descriptors), reported by every wait instead of a crash.
    static let shared = Result { try ReadinessReactor() }

    private struct Waiter: Sendable {
        let descriptor: Int32
        let events: Int16
        let continuation: CheckedContinuation<Void, any Error>
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

    /// Suspends until `descriptor` is ready for `events` (or reports an error or hang-up).
    /// Throws `CancellationError` as soon as the task is cancelled.
    func wait(for descriptor: Int32, events: Int16) async throws {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                state.withLock { $0.waiters[id] = Waiter(descriptor: descriptor, events: events, continuation: continuation) }
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
    private func resume(_ id: UInt64, with result: Result<Void, any Error>) {
        let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
        guard let waiter else { return }
        waiter.continuation.resume(with: result)
        wake()
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
        while true {
            entries.removeAll(keepingCapacity: true)
            ids.removeAll(keepingCapacity: true)
            entries.append(pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0))
            state.withLock { state in
                for (id, waiter) in state.waiters {
                    ids.append(id)
                    entries.append(pollfd(fd: waiter.descriptor, events: waiter.events, revents: 0))
                }
            }
            let result = poll(&entries, nfds_t(entries.count), -1)
            if result < 0 { continue }  // EINTR; nothing else can fail with valid arguments.
            if entries[0].revents != 0 {
                while read(wakeRead, &drain, drain.count) > 0 {}
            }
            for index in 1..<entries.count where entries[index].revents != 0 {
                let waiter = state.withLock { $0.waiters.removeValue(forKey: ids[index - 1]) }
                waiter?.continuation.resume()
            }
        }
    }
}
