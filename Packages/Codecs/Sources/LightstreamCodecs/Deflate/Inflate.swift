import Vec64

/// Runs an ``InflateDecoder`` straight into a caller's vector, growing it as the streams need.
///
/// The room grows by doubling, never past the caller's budget, so decoding never reserves more
/// than the limit; an initial room larger than a guess is given only when the input vouches for
/// it (a gzip trailer's size no larger than the input could produce).
struct Inflate: ~Copyable {
    let decoder: InflateDecoder
    /// Where the decoded bytes begin in the vector (the caller's bytes stay before it).
    let start: Int
    let budget: Int
    let limit: Int
    var room: Int

    /// The deflate format expands at most 1032 times (a 258-byte match in under two bits, after
    /// the block headers).
    static let maximumExpansion = 1032

    init(_ input: UnsafeRawBufferPointer, into output: inout Vec64<UInt8>, limit: Int, expected: Int?) {
        start = output.count
        self.limit = Swift.max(0, limit)
        budget = self.limit
        let plausible = input.count.multipliedReportingOverflow(by: Self.maximumExpansion)
        let ceiling = plausible.overflow ? Int.max : plausible.partialValue
        let guess = expected.flatMap { $0 <= ceiling ? $0 : nil } ?? Swift.max(1 << 15, Swift.min(ceiling, input.count * 4))
        room = Swift.min(budget, guess)
        output.reserveCapacity(start + room + InflateDecoder.slack)
        let grow = start + room + InflateDecoder.slack - output.count
        output.appendUninitialized(count: grow) { _ in }
        let (start, room) = (start, room)
        decoder = output.withUnsafeMutableBufferPointer { InflateDecoder(input: input, output: $0.baseAddress! + start, room: room) }
    }

    /// The bytes decoded so far.
    var produced: Int { decoder.produced }

    /// Decodes the stream at input byte `offset` after the bytes so far; returns where it ends.
    mutating func stream(at offset: Int, into output: inout Vec64<UInt8>) throws(CodecError) -> Int {
        decoder.beginStream(at: offset)
        while true {
            let (decoder, start, room) = (decoder, start, room)
            let progress = try output.withUnsafeMutableBufferPointer { (all) throws(CodecError) in
                decoder.lend(all.baseAddress! + start, room: room)
                return try decoder.run()
            }
            if progress == .finished { return decoder.streamEnd }
            guard room < budget else { throw CodecError(.outputTooLarge(limit: limit), at: decoder.currentByte) }
            self.room = Swift.min(budget, Swift.max(room * 2, 1 << 16))
            output.reserveCapacity(start + self.room + InflateDecoder.slack)
            output.appendUninitialized(count: start + self.room + InflateDecoder.slack - output.count) { _ in }
        }
    }

    /// The decoded bytes `from..<produced` (offsets after `start`), for checksums.
    func decoded(from: Int, in output: borrowing Vec64<UInt8>) -> UInt32 {
        let (start, produced) = (start, decoder.produced)
        return output.withUnsafeBufferPointer { all in
            CRC32.checksum(UnsafeRawBufferPointer(start: all.baseAddress! + start + from, count: produced - from))
        }
    }

    /// Cuts the vector to the decoded bytes.
    func finish(_ output: inout Vec64<UInt8>) {
        output.resize(to: start + decoder.produced, fill: 0)
    }
}
