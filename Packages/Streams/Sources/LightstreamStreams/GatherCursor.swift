import Vec64
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A position in a list of buffers being written with gather I/O (`writev`, `sendmsg`): which
/// bytes are still to go, optionally capped at a number of bytes.
struct GatherCursor: Sendable {
    private let pieces: [Buffer]
    private var index = 0
    private var offset = 0
    /// Bytes this cursor may still hand out (`Int.max`: no cap).
    private var limit: Int

    init(_ pieces: [Buffer]) {
        self.pieces = pieces.filter { !$0.isEmpty }
        limit = .max
    }

    /// Whether every byte (or every byte under the cap) was written.
    var isDone: Bool { index == pieces.count || limit == 0 }

    /// The same position, capped at `maximumBytes` more bytes.
    func capped(at maximumBytes: Int) -> GatherCursor {
        var copy = self
        copy.limit = Swift.min(limit, maximumBytes)
        return copy
    }

    /// Moves past `count` written bytes.
    mutating func advance(_ count: Int) {
        if limit != .max { limit -= count }
        var left = count
        while left > 0 {
            let rest = pieces[index].count - offset
            if left < rest {
                offset += left
                return
            }
            left -= rest
            index += 1
            offset = 0
        }
    }

    /// Calls `body` with I/O vectors (at most 1024, the usual `IOV_MAX`) for the bytes still to go.
    func withIOVectors<R>(_ body: (UnsafeMutablePointer<iovec>, Int) -> R) -> R {
        let capacity = Swift.max(1, Swift.min(pieces.count - index, 1024))
        return withUnsafeTemporaryAllocation(of: iovec.self, capacity: capacity) { vectors in
            var count = 0
            var budget = limit
            var position = index
            var start = offset
            while position < pieces.count && count < capacity && budget > 0 {
                let length = Swift.min(pieces[position].count - start, budget)
                // The pieces' memory lives as long as `pieces`, which outlives `body`.
                let base = pieces[position].withUnsafeBytes { $0.baseAddress! + start }
                vectors[count] = iovec(iov_base: UnsafeMutableRawPointer(mutating: base), iov_len: length)
                count += 1
                budget -= length
                position += 1
                start = 0
            }
            return withExtendedLifetime(pieces) { body(vectors.baseAddress!, count) }
        }
    }
}
