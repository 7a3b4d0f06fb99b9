/// The fields of a run of complete rows, found in a block of bytes: for each field its byte
/// range and whether it was quoted or needs unescaping. Values are not copied; converters read
/// them from the block.
struct TokenizedRows {
    /// Per field: `start | end << 30 | flags << 60`, offsets into the block (below 2^30) and the
    /// flags (bit 0 quoted, bit 1 needs unescaping). For a field that needs unescaping the range
    /// is the raw text (quotes included); otherwise it is the value itself.
    var fields: [UInt64] = []
    /// Per row: the offset of its first byte in the block.
    var rowStarts: [Int] = []
    /// Per row: its 1-based row number in the input.
    var rowNumbers: [Int] = []
    /// Fields per row.
    var columnCount = 0
    /// Quotes seen where no field opens or closes (inside an unquoted field, or text after a
    /// closing quote). While there are none, every quote is structural, so counting quotes tells
    /// whether a position is inside a quoted field (what parallel reading relies on).
    var strayQuotes = 0

    var rowCount: Int { rowStarts.count }

    @inline(__always)
    static func pack(start: Int, end: Int, flags: UInt8) -> UInt64 {
        UInt64(truncatingIfNeeded: start) | UInt64(truncatingIfNeeded: end) << 30 | UInt64(flags) << 60
    }

    /// The start, end and flags of a packed field.
    @inline(__always)
    static func unpack(_ packed: UInt64) -> (start: Int, end: Int, flags: UInt8) {
        (Int(packed & 0x3FFF_FFFF), Int(packed >> 30 & 0x3FFF_FFFF), UInt8(truncatingIfNeeded: packed >> 60))
    }

    static let quoted: UInt8 = 1
    static let needsUnescape: UInt8 = 2

    mutating func removeAll() {
        fields.removeAll(keepingCapacity: true)
        rowStarts.removeAll(keepingCapacity: true)
        rowNumbers.removeAll(keepingCapacity: true)
        strayQuotes = 0
    }
}

/// Why tokenizing stopped.
enum TokenizeStop {
    /// The byte or row budget was reached: the rows so far form a full block.
    case budget
    /// The bytes ran out inside a row (or before any row); more input may complete it.
    case needMore
    /// The bytes ran out at a row boundary (only when the input is final).
    case endOfInput
}

/// A CSV tokenizer: a byte-at-a-time state machine with a table of the bytes that end an
/// unquoted field, so the common case (a run of ordinary bytes) costs one load and one branch
/// per byte. Quoted fields may hold delimiters, doubled quotes, escapes and newlines (LF, CR,
/// CRLF).
struct CSVTokenizer {
    let delimiter: UInt8
    let quote: UInt8?
    let escape: UInt8?
    let doubleQuote: Bool
    let commentPrefix: UInt8?
    let ignoreEmptyLines: Bool
    let maximumRowBytes: Int
    let maximumColumns: Int
    /// 1 for the bytes that end an unquoted field (delimiter, CR, LF) or start an escape.
    private var stops: [UInt8] = Array(repeating: 0, count: 256)
    /// 1 for the bytes that matter inside a quoted field (quote, escape).
    private var quotedStops: [UInt8] = Array(repeating: 0, count: 256)
    /// ``stops`` and the quote: the bytes that end a run of plain bytes in an unquoted field.
    private var unquotedStops: [UInt8] = Array(repeating: 0, count: 256)

    init(_ options: CSVReadOptions) {
        delimiter = options.delimiter
        quote = options.quote
        escape = options.escape
        doubleQuote = options.doubleQuote
        commentPrefix = options.commentPrefix
        ignoreEmptyLines = options.ignoreEmptyLines
        maximumRowBytes = options.maximumRowBytes
        maximumColumns = options.maximumColumns
        for b in [delimiter, UInt8(ascii: "\r"), UInt8(ascii: "\n")] { stops[Int(b)] = 1 }
        if let escape { stops[Int(escape)] = 1; quotedStops[Int(escape)] = 1 }
        if let quote { quotedStops[Int(quote)] = 1 }
        unquotedStops = stops
        if let quote { unquotedStops[Int(quote)] = 1 }
    }

    /// What to do with a row whose field count is not `expectedColumns`.
    enum RaggedPolicy { case error, skip }

    /// Tokenizes complete rows of `block` into `out`, starting new rows while fewer than
    /// `byteBudget` bytes and `rowBudget` rows have been used.
    ///
    /// - Parameters:
    ///   - expectedColumns: the field count every row must have; `nil` takes the first row's.
    ///   - firstRow: the row number of the first row, for errors and `rowNumbers`.
    ///   - streamOffset: the block's offset in the input, for errors.
    ///   - skipped: called with the row number and offset of each ragged row skipped.
    /// - Returns: the bytes used (up to the end of the last complete row, empty lines and
    ///   comments included), the rows seen (including skipped ones), and why it stopped.
    func tokenize(
        _ block: UnsafeRawBufferPointer, byteBudget: Int, rowBudget: Int, isFinal: Bool,
        expectedColumns: inout Int?, ragged: RaggedPolicy, firstRow: Int, streamOffset: Int,
        into out: inout TokenizedRows, skipped: (Int, Int, Int) -> Void
    ) throws(CSVError) -> (consumed: Int, rowsSeen: Int, stop: TokenizeStop) {
        let n = block.count
        guard n > 0 else { return (0, 0, isFinal ? .endOfInput : .needMore) }
        let p = block.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        let quoteByte = quote.map(Int.init) ?? -1
        let escapeByte = escape.map(Int.init) ?? -1
        let delimiter = self.delimiter
        // Each stop byte in all eight lanes; an absent quote or escape repeats LF (harmless).
        let lanes: UInt64 = 0x0101_0101_0101_0101
        let broadcastDelimiter = lanes &* UInt64(delimiter)
        let broadcastLF = lanes &* UInt64(lf), broadcastCR = lanes &* UInt64(cr)
        let broadcastQuote = lanes &* UInt64(quote ?? lf), broadcastEscape = lanes &* UInt64(escape ?? lf)
        var i = 0
        var consumed = 0
        var rowsSeen = 0
        var rowsKept = 0
        return try stops.withUnsafeBufferPointer { stops throws(CSVError) in
          try unquotedStops.withUnsafeBufferPointer { unquotedStops throws(CSVError) in
            try quotedStops.withUnsafeBufferPointer { quotedStops throws(CSVError) in
                rows: while true {
                    if i >= n { return (consumed, rowsSeen, isFinal ? .endOfInput : .needMore) }
                    if consumed >= byteBudget || rowsKept >= rowBudget { return (consumed, rowsSeen, .budget) }
                    let rowStart = i
                    let first = p[i]
                    // Empty lines.
                    if ignoreEmptyLines && (first == lf || first == cr) {
                        if first == cr {
                            if i + 1 < n { i += p[i + 1] == lf ? 2 : 1 } else if isFinal { i += 1 } else { return (consumed, rowsSeen, .needMore) }
                        } else {
                            i += 1
                        }
                        consumed = i
                        continue rows
                    }
                    // Comments.
                    if let commentPrefix, first == commentPrefix {
                        while i < n && p[i] != lf && p[i] != cr { i += 1 }
                        if i >= n && !isFinal {
                            if n - rowStart > maximumRowBytes { throw rowTooLong(rowStart, firstRow + rowsSeen, streamOffset) }
                            return (consumed, rowsSeen, .needMore)
                        }
                        if i < n { i += (p[i] == cr && i + 1 < n && p[i + 1] == lf) ? 2 : 1 }
                        consumed = i
                        continue rows
                    }
                    let fieldsAtRowStart = out.fields.count
                    var fieldsInRow = 0
                    var incomplete = false
                    fields: while true {
                        var start = i
                        var end: Int
                        var flags: UInt8 = 0
                        if i < n && Int(p[i]) == quoteByte {
                            flags = TokenizedRows.quoted
                            i += 1
                            start = i
                            quoted: while true {
                                while i + 8 <= n {
                                    let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                                    let m = Self.zeroBytes(w ^ broadcastQuote) | Self.zeroBytes(w ^ broadcastEscape)
                                    if m == 0 { i += 8; continue }
                                    i += m.trailingZeroBitCount >> 3
                                    break
                                }
                                while i < n && quotedStops[Int(p[i])] == 0 { i += 1 }
                                if i >= n {
                                    if isFinal { throw unterminated(rowStart, n, firstRow + rowsSeen, streamOffset) }
                                    incomplete = true
                                    break fields
                                }
                                if Int(p[i]) == escapeByte {
                                    flags |= TokenizedRows.needsUnescape
                                    i += 2
                                    if i > n { if isFinal { throw unterminated(rowStart, n, firstRow + rowsSeen, streamOffset) }; incomplete = true; break fields }
                                    continue quoted
                                }
                                // A quote: doubled, or the closing one.
                                if doubleQuote {
                                    if i + 1 < n {
                                        if Int(p[i + 1]) == quoteByte { flags |= TokenizedRows.needsUnescape; i += 2; continue quoted }
                                    } else if !isFinal {
                                        incomplete = true
                                        break fields
                                    }
                                }
                                end = i
                                i += 1
                                break quoted
                            }
                            // Text after the closing quote joins the value (as pyarrow reads it).
                            if i < n && stops[Int(p[i])] == 0 || (i < n && Int(p[i]) == escapeByte) {
                                flags |= TokenizedRows.needsUnescape
                                out.strayQuotes += 1
                                while i < n {
                                    let b = p[i]
                                    if stops[Int(b)] == 0 { i += 1; continue }
                                    if Int(b) == escapeByte { i += 2; continue }
                                    break
                                }
                                if i > n { i = n }
                            }
                            if flags & TokenizedRows.needsUnescape != 0 { start -= 1; end = i }
                        } else {
                            while i < n {
                                // Eight bytes at a time while none of them ends the run.
                                if i + 8 <= n {
                                    let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                                    let m = Self.zeroBytes(w ^ broadcastDelimiter) | Self.zeroBytes(w ^ broadcastLF) | Self.zeroBytes(w ^ broadcastCR)
                                        | Self.zeroBytes(w ^ broadcastQuote) | Self.zeroBytes(w ^ broadcastEscape)
                                    if m == 0 { i += 8; continue }
                                    i += m.trailingZeroBitCount >> 3
                                }
                                let b = p[i]
                                if unquotedStops[Int(b)] == 0 { i += 1; continue }
                                if Int(b) == quoteByte { out.strayQuotes += 1; i += 1; continue }
                                if Int(b) == escapeByte { flags |= TokenizedRows.needsUnescape; i += 2; continue }
                                break
                            }
                            if i > n { if !isFinal { incomplete = true; break fields }; i = n }
                            end = i
                        }
                        if i >= n && !isFinal { incomplete = true; break fields }
                        out.fields.append(TokenizedRows.pack(start: start, end: end, flags: flags))
                        fieldsInRow += 1
                        if fieldsInRow > maximumColumns {
                            throw CSVError(.tooManyColumns(maximum: maximumColumns), row: firstRow + rowsSeen, byteOffset: streamOffset + rowStart)
                        }
                        if i >= n { break fields }   // end of final input ends the row
                        let b = p[i]
                        if b == delimiter {
                            i += 1
                            continue fields
                        }
                        if b == lf { i += 1; break fields }
                        // CR or CRLF.
                        if i + 1 < n { i += p[i + 1] == lf ? 2 : 1 } else if isFinal { i += 1 } else { incomplete = true }
                        break fields
                    }
                    if incomplete {
                        out.fields.removeSubrange(fieldsAtRowStart...)
                        if n - rowStart > maximumRowBytes { throw rowTooLong(rowStart, firstRow + rowsSeen, streamOffset) }
                        return (consumed, rowsSeen, .needMore)
                    }
                    if i - rowStart > maximumRowBytes { throw rowTooLong(rowStart, firstRow + rowsSeen, streamOffset) }
                    let rowNumber = firstRow + rowsSeen
                    rowsSeen += 1
                    consumed = i
                    if let expected = expectedColumns, fieldsInRow != expected {
                        out.fields.removeSubrange(fieldsAtRowStart...)
                        switch ragged {
                        case .error:
                            throw CSVError(.raggedRow(expected: expected, found: fieldsInRow), row: rowNumber, byteOffset: streamOffset + rowStart)
                        case .skip:
                            skipped(rowNumber, streamOffset + rowStart, fieldsInRow)
                            continue rows
                        }
                    }
                    if expectedColumns == nil { expectedColumns = fieldsInRow }
                    out.columnCount = fieldsInRow
                    out.rowStarts.append(rowStart)
                    out.rowNumbers.append(rowNumber)
                    rowsKept += 1
                }
            }
          }
        }
    }

    /// Input ended inside a quoted field: ``CSVError/Kind/rowTooLong(maximum:)`` when the open row
    /// is already longer than the maximum (as it is reported before the end of input, so the error
    /// does not depend on how the input was chunked), else ``CSVError/Kind/unterminatedQuote``.
    private func unterminated(_ rowStart: Int, _ n: Int, _ row: Int, _ streamOffset: Int) -> CSVError {
        if n - rowStart > maximumRowBytes { return rowTooLong(rowStart, row, streamOffset) }
        return CSVError(.unterminatedQuote, row: row, byteOffset: streamOffset + rowStart)
    }

    /// The high bit of each zero byte of `v` (the lowest one exact; higher ones may be false
    /// positives after a borrow, which only the lowest-set-bit use here tolerates).
    @inline(__always)
    static func zeroBytes(_ v: UInt64) -> UInt64 {
        (v &- 0x0101_0101_0101_0101) & ~v & 0x8080_8080_8080_8080
    }

    private func rowTooLong(_ rowStart: Int, _ row: Int, _ streamOffset: Int) -> CSVError {
        CSVError(.rowTooLong(maximum: maximumRowBytes), row: row, byteOffset: streamOffset + rowStart)
    }

    /// Writes the value of a field that needs unescaping: quotes opened at its first byte,
    /// doubled quotes and escapes resolved.
    func unescape(_ raw: UnsafeRawBufferPointer, _ emit: (UInt8) -> Void) {
        var i = 0
        var inQuotes = false
        let n = raw.count
        while i < n {
            let b = raw[i]
            if let escape, b == escape {
                if i + 1 < n { emit(raw[i + 1]) }
                i += 2
                continue
            }
            if let quote, b == quote {
                if i == 0 { inQuotes = true; i += 1; continue }
                if inQuotes {
                    if doubleQuote && i + 1 < n && raw[i + 1] == quote { emit(quote); i += 2; continue }
                    inQuotes = false
                    i += 1
                    continue
                }
            }
            emit(b)
            i += 1
        }
    }
}
