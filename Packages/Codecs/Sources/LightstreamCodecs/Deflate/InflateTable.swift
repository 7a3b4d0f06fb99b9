/// A two-level lookup table that decodes one canonical Huffman code (RFC 1951, section 3.2.2).
///
/// The first level is indexed by the next `primaryBits` input bits (least significant bit first,
/// so codes are stored bit-reversed); a code longer than that points to a second-level table
/// indexed by the bits after them. Each entry is a `UInt32`:
///
/// - bits 0-7: the code's length, the bits to consume (a pointer's is unused);
/// - bits 8-11: the extra bits that follow the symbol (a pointer's: its table's index bits);
/// - bits 12-15: the ``Kind``;
/// - bits 16-31: the literal byte, the base length or distance, or the second-level table's start.
enum InflateTable {
    enum Kind {
        static let literal: UInt32 = 0
        static let base: UInt32 = 1
        static let endOfBlock: UInt32 = 2
        static let subtable: UInt32 = 3
        static let invalid: UInt32 = 4
    }

    static let primaryLiteralBits = 10
    static let primaryDistanceBits = 8
    static let codeLengthBits = 7
    /// Entries of a literal/length table: 1,024 first-level entries plus second-level tables.
    /// A complete code of 288 symbols up to 15 bits long needs at most 1,536 second-level
    /// entries (a second-level table of 2^d entries holds at least d + 1 codes).
    static let literalCapacity = 2560 + 512
    /// Entries of a distance table: 256 plus at most 3 second-level tables of 128.
    static let distanceCapacity = 640 + 384

    @inline(__always) static func entry(kind: UInt32, value: Int, extra: Int = 0, length: Int = 0) -> UInt32 {
        UInt32(value) << 16 | kind << 12 | UInt32(extra) << 8 | UInt32(length)
    }

    /// The entries of the literal/length symbols 0...287, without their lengths.
    static let literalSymbols: [UInt32] = (0..<288).map { symbol in
        switch symbol {
        case 0..<256: entry(kind: Kind.literal, value: symbol)
        case 256: entry(kind: Kind.endOfBlock, value: 0)
        case 257...285:
            entry(kind: Kind.base, value: Int(DeflateFormat.lengthBase[symbol - 257]),
                  extra: Int(DeflateFormat.lengthExtra[symbol - 257]))
        default: entry(kind: Kind.invalid, value: symbol)
        }
    }
    /// The entries of the distance symbols 0...31, without their lengths.
    static let distanceSymbols: [UInt32] = (0..<32).map { symbol in
        symbol < 30
            ? entry(kind: Kind.base, value: Int(DeflateFormat.distanceBase[symbol]), extra: Int(DeflateFormat.distanceExtra[symbol]))
            : entry(kind: Kind.invalid, value: symbol)
    }
    /// The entries of the code-length symbols 0...18 (the symbol is the value).
    static let codeLengthSymbols: [UInt32] = (0..<19).map { entry(kind: Kind.literal, value: $0) }

    /// Which incomplete codes a table accepts (RFC 1951 leaves this open; these are the rules
    /// common decoders apply).
    enum Completeness {
        /// The code must be complete (code-length codes).
        case complete
        /// Complete, or a single code of one bit (a block with one literal/length symbol).
        case singleAllowed
        /// Complete, a single code of one bit, or no codes at all (a block without matches).
        case singleOrEmptyAllowed
    }

    /// Fills `table` (room for `capacity` entries) for the code given by `lengths` (a length per
    /// symbol, 0 for unused symbols), or returns why the lengths make no valid code.
    static func build(
        lengths: UnsafePointer<UInt8>, count: Int, symbols: UnsafePointer<UInt32>, primaryBits: Int,
        completeness: Completeness, into table: UnsafeMutablePointer<UInt32>, capacity: Int
    ) -> String? {
        let maximum = DeflateFormat.maximumCodeLength
        var lengthCounts = InlineArray<16, Int>(repeating: 0)
        var longest = 0
        for symbol in 0..<count {
            let length = Int(lengths[symbol])
            lengthCounts[length] += 1
            longest = Swift.max(longest, length)
        }
        let used = count - lengthCounts[0]
        // The room left in the code space, in units of 2^-maximum.
        var left = 1 << maximum
        for length in 1...maximum {
            left -= lengthCounts[length] << (maximum - length)
            if left < 0 { return "over-subscribed code lengths" }
        }
        let invalid = entry(kind: Kind.invalid, value: 0, length: 1)
        (table).initialize(repeating: invalid, count: 1 << primaryBits)
        if left > 0 {
            switch completeness {
            case .complete:
                return "incomplete code lengths"
            case .singleAllowed where !(used == 1 && longest == 1):
                return "incomplete code lengths"
            case .singleOrEmptyAllowed where !(used == 0 || (used == 1 && longest == 1)):
                return "incomplete code lengths"
            default:
                break
            }
        }
        if used == 0 { return nil }

        // The first code of each length (section 3.2.2, step 2).
        var nextCode = InlineArray<16, Int>(repeating: 0)
        var code = 0
        for length in 1...maximum {
            code = (code + lengthCounts[length - 1] * (length == 1 ? 0 : 1)) << 1
            nextCode[length] = code
        }
        return withUnsafeTemporaryAllocation(of: UInt16.self, capacity: count) { reversedCodes in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1 << primaryBits) { subtableBits in
                subtableBits.initialize(repeating: 0)
                let primaryMask = (1 << primaryBits) - 1
                for symbol in 0..<count {
                    let length = Int(lengths[symbol])
                    guard length > 0 else { continue }
                    let reversed = reverse(nextCode[length], bits: length)
                    nextCode[length] += 1
                    reversedCodes[symbol] = UInt16(reversed)
                    if length > primaryBits {
                        let prefix = reversed & primaryMask
                        subtableBits[prefix] = Swift.max(subtableBits[prefix], UInt8(length - primaryBits))
                    }
                }
                // Lay out the second-level tables after the first level.
                var next = 1 << primaryBits
                for prefix in 0...primaryMask where subtableBits[prefix] > 0 {
                    let bits = Int(subtableBits[prefix])
                    guard next + (1 << bits) <= capacity else { return "code needs too large a table" }
                    table[prefix] = entry(kind: Kind.subtable, value: next, extra: bits)
                    (table + next).initialize(repeating: invalid, count: 1 << bits)
                    next += 1 << bits
                }
                for symbol in 0..<count {
                    let length = Int(lengths[symbol])
                    guard length > 0 else { continue }
                    let reversed = Int(reversedCodes[symbol])
                    let value = symbols[symbol] | UInt32(length)
                    if length <= primaryBits {
                        var index = reversed
                        while index <= primaryMask {
                            table[index] = value
                            index += 1 << length
                        }
                    } else {
                        let pointer = table[reversed & primaryMask]
                        let start = Int(pointer >> 16)
                        let bits = Int((pointer >> 8) & 0xF)
                        var index = reversed >> primaryBits
                        let step = 1 << (length - primaryBits)
                        while index < 1 << bits {
                            table[start + index] = value
                            index += step
                        }
                    }
                }
                return nil
            }
        }
    }

    @inline(__always) static func reverse(_ code: Int, bits: Int) -> Int {
        var result = 0
        var code = code
        for _ in 0..<bits {
            result = result << 1 | code & 1
            code >>= 1
        }
        return result
    }
}
