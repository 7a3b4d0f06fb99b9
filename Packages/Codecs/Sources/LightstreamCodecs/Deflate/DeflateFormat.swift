/// The constants of the DEFLATE format (RFC 1951, section 3.2.5-3.2.7), shared by the decoder
/// and the encoder.
enum DeflateFormat {
    /// The largest distance a match may reach back.
    static let windowSize = 32 * 1024
    static let minimumMatch = 3
    static let maximumMatch = 258
    /// The longest code of the literal/length and distance alphabets.
    static let maximumCodeLength = 15
    /// The longest code of the code-length alphabet.
    static let maximumCodeLengthCodeLength = 7
    static let endOfBlock = 256

    /// The shortest length of length codes 257...285.
    static let lengthBase: [UInt16] = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
        35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
    ]
    /// The extra bits after length codes 257...285.
    static let lengthExtra: [UInt8] = [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
    ]
    /// The shortest distance of distance codes 0...29.
    static let distanceBase: [UInt16] = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
        257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
    ]
    /// The extra bits after distance codes 0...29.
    static let distanceExtra: [UInt8] = [
        0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
    ]
    /// The order in which a dynamic block header lists the code-length code lengths.
    static let codeLengthOrder: [Int] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    /// The code lengths of the fixed literal/length code (section 3.2.6).
    static let fixedLiteralLengths: [UInt8] = (0..<288).map { symbol in
        symbol < 144 ? 8 : symbol < 256 ? 9 : symbol < 280 ? 7 : 8
    }
    /// The code lengths of the fixed distance code: 5 bits for all 32 symbols (30 and 31 unused).
    static let fixedDistanceLengths = [UInt8](repeating: 5, count: 32)
}
