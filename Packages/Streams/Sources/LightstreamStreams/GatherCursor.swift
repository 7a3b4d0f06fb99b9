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

    /// The most I/O vectors one call hands out (below the usual `IOV_MAX` of 1024): pieces are
    /// large bodies by reference or batches of small frames, so a few dozen per system call
    /// already move megabytes.
    static let maximumVectors = 64

    /// Calls `body` with I/O vectors (at most ``maximumVectors``) for the bytes still to go.
    ///
    /// Each vector points into a piece's memory only inside that piece's `withUnsafeBytes`
    /// closure: the closures nest, one per piece, and `body` runs in the innermost, so no pointer
    /// outlives the closure that lent it.
    func withIOVectors<R>(_ body: (UnsafeMutablePointer<iovec>, Int) -> R) -> R {
        let capacity = Swift.max(1, Swift.min(pieces.count - index, Self.maximumVectors))
        return withUnsafeTemporaryAllocation(of: iovec.self, capacity: capacity) { vectors in
            fill(vectors, slot: 0, piece: index, start: offset, budget: limit, body)
        }
    }

    /// Points `vectors[slot]` at piece `piece` from `start` (at most `budget` bytes) inside the
    /// piece's closure, then fills the next slot from there; calls `body` when the vectors are full.
    private func fill<R>(_ vectors: UnsafeMutableBufferPointer<iovec>, slot: Int, piece: Int, start: Int, budget: Int,
                         _ body: (UnsafeMutablePointer<iovec>, Int) -> R) -> R {
        guard slot < vectors.count, piece < pieces.count, budget > 0 else { return body(vectors.baseAddress!, slot) }
        return pieces[piece].withUnsafeBytes { bytes in
            let length = Swift.min(bytes.count - start, budget)
            vectors[slot] = iovec(iov_base: UnsafeMutableRawPointer(mutating: bytes.baseAddress! + start), iov_len: length)
            return fill(vectors, slot: slot + 1, piece: piece + 1, start: 0, budget: budget - length, body)
        }
    }
}
