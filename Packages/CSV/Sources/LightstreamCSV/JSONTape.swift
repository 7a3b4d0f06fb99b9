import LightstreamArrow

/// One parsed JSON value of a block of lines.
struct JSONNode {
    enum Kind: UInt8 { case null, bool, number, string, array, object }
    var kind: Kind
    /// For booleans, `true`; for numbers, an integer literal (no fraction, no exponent); for
    /// strings, the text holds escapes.
    var flag: Bool
    /// For scalars, the byte range of the value in the block (strings without their quotes);
    /// for containers, the range of the whole container.
    var start: Int
    var end: Int
    /// For containers, the number of elements (arrays) or members (objects).
    var count: Int
    /// The index of the node after this value and everything inside it.
    var next: Int
}

/// The parsed values of a block of lines, in document order: a container's children follow it
/// (an object's as key, value, key, value ...); `next` skips a whole value.
///
/// The parser is hand-written and bounds-checked over raw bytes: RFC 8259 syntax, strings with
/// every escape (surrogate pairs paired), UTF-8 checked, nesting depth limited; no recursion.
struct JSONTape {
    var nodes: [JSONNode] = []
    /// The root node (an object) of each row.
    var roots: [Int] = []
    /// Each row's 1-based line number and the offset of its first byte in the block.
    var lineNumbers: [Int] = []
    var lineStarts: [Int] = []

    var rowCount: Int { roots.count }

    mutating func removeAll() {
        nodes.removeAll(keepingCapacity: true)
        roots.removeAll(keepingCapacity: true)
        lineNumbers.removeAll(keepingCapacity: true)
        lineStarts.removeAll(keepingCapacity: true)
    }

    /// The row holding the byte at `offset` of the block.
    func row(containing offset: Int) -> Int {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return max(lo, 0)
    }

    /// The first child of a container node.
    @inline(__always) func firstChild(_ node: Int) -> Int { node + 1 }

    /// Calls `body` with each element of an array node.
    @inline(__always)
    func forEachElement(_ node: Int, _ body: (Int) throws(CSVError) -> Void) throws(CSVError) {
        var child = node + 1
        for _ in 0..<nodes[node].count {
            try body(child)
            child = nodes[child].next
        }
    }

    /// Calls `body` with each member (key node, value node) of an object node.
    @inline(__always)
    func forEachMember(_ node: Int, _ body: (Int, Int) throws(CSVError) -> Void) throws(CSVError) {
        var key = node + 1
        for _ in 0..<nodes[node].count {
            try body(key, key + 1)
            key = nodes[key + 1].next
        }
    }

    /// The text of a string node (escapes decoded into `scratch` when it has any).
    @inline(__always)
    static func withString<R>(_ node: JSONNode, in block: UnsafeRawBufferPointer, scratch: inout [UInt8],
                              _ body: (UnsafeRawBufferPointer) throws(CSVError) -> R) throws(CSVError) -> R {
        let raw = UnsafeRawBufferPointer(rebasing: block[node.start..<node.end])
        guard node.flag else { return try body(raw) }
        scratch.removeAll(keepingCapacity: true)
        JSONTape.unescape(raw, into: &scratch)
        var result: Result<R, CSVError>!
        scratch.withUnsafeBytes { bytes in result = Result { () throws(CSVError) -> R in try body(bytes) } }
        return try result.get()
    }

    /// Decodes the escapes of string content the parser already checked.
    static func unescape(_ raw: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        var i = 0
        let n = raw.count
        while i < n {
            let b = raw[i]
            guard b == UInt8(ascii: "\\"), i + 1 < n else { out.append(b); i += 1; continue }
            let e = raw[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(raw, i) ?? 0xFFFD
                i += 4
                if scalar >= 0xD800 && scalar < 0xDC00, i + 6 <= n, let low = hex4(raw, i + 2) {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                }
                appendUTF8(scalar, into: &out)
            default: out.append(e)   // " \ /
            }
        }
    }

    @inline(__always)
    static func hex4(_ bytes: UnsafeRawBufferPointer, _ at: Int) -> UInt32? {
        guard at + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for k in at..<(at + 4) {
            guard let d = TextParsing.hexDigit(bytes[k]) else { return nil }
            value = value << 4 | UInt32(d)
        }
        return value
    }

    static func appendUTF8(_ scalar: UInt32, into out: inout [UInt8]) {
        switch scalar {
        case 0..<0x80: out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | scalar >> 6)); out.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | scalar >> 12)); out.append(UInt8(0x80 | scalar >> 6 & 0x3F)); out.append(UInt8(0x80 | scalar & 0x3F))
        default:
            out.append(UInt8(0xF0 | scalar >> 18)); out.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F)); out.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    // MARK: Parsing

    /// Why a line is not valid JSON, and the offset (in the block) of the byte at fault.
    struct ParseFailure: Error {
        var kind: CSVError.Kind
        var offset: Int
    }

    /// Parses the line `block[start..<end]` (one JSON object, whitespace around it allowed) and
    /// appends its nodes; the root must be an object.
    mutating func parseLine(_ block: UnsafeRawBufferPointer, start: Int, end: Int, maximumDepth: Int) throws(ParseFailure) {
        var parser = Parser(bytes: block, i: start, end: end, maximumDepth: maximumDepth)
        let first = nodes.count
        parser.skipSpace()
        guard parser.i < end, block[parser.i] == UInt8(ascii: "{") else {
            let what = parser.i < end ? "a line must hold one JSON object, not \(Parser.describe(block[parser.i]))" : "empty line"
            throw ParseFailure(kind: .invalidJSON(what), offset: parser.i)
        }
        do {
            try parser.value(into: &nodes)
        } catch {
            nodes.removeSubrange(first...)
            throw error
        }
        parser.skipSpace()
        guard parser.i == end else {
            nodes.removeSubrange(first...)
            throw ParseFailure(kind: .invalidJSON("text after the line's object: \(Parser.describe(block[parser.i]))"), offset: parser.i)
        }
        roots.append(first)
    }

    private struct Parser {
        let bytes: UnsafeRawBufferPointer
        var i: Int
        let end: Int
        let maximumDepth: Int

        static func describe(_ b: UInt8) -> String {
            b >= 0x20 && b < 0x7F ? "'\(Character(Unicode.Scalar(b)))'" : "byte 0x\(String(b, radix: 16))"
        }

        func fail(_ why: String, at offset: Int? = nil) -> ParseFailure {
            ParseFailure(kind: .invalidJSON(why), offset: offset ?? i)
        }

        @inline(__always)
        mutating func skipSpace() {
            while i < end {
                let b = bytes[i]
                guard b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D else { return }
                i += 1
            }
        }

        /// One value and everything inside it, iteratively: `open` holds the containers not yet
        /// closed (node indices).
        mutating func value(into nodes: inout [JSONNode]) throws(ParseFailure) {
            var open: [Int] = []
            // Whether the next token of the innermost object is a key (after `{` or `,`).
            var wantKey = false
            while true {
                skipSpace()
                guard i < end else { throw fail("the line ends inside a value") }
                if let top = open.last, nodes[top].kind == .object, wantKey {
                    // A key, then ':'.
                    guard bytes[i] == UInt8(ascii: "\"") else { throw fail("expected a string key, found \(Self.describe(bytes[i]))") }
                    try string(into: &nodes)
                    skipSpace()
                    guard i < end else { throw fail("the line ends after an object key") }
                    guard bytes[i] == UInt8(ascii: ":") else { throw fail("expected ':' after an object key, found \(Self.describe(bytes[i]))") }
                    i += 1
                    wantKey = false
                    continue
                }
                // A value.
                let b = bytes[i]
                let index = nodes.count
                switch b {
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    guard open.count < maximumDepth else {
                        throw ParseFailure(kind: .invalidJSON("nesting deeper than \(maximumDepth) (JSONLinesReadOptions.maximumNestingDepth)"), offset: i)
                    }
                    nodes.append(JSONNode(kind: b == UInt8(ascii: "{") ? .object : .array, flag: false, start: i, end: i, count: 0, next: 0))
                    open.append(index)
                    i += 1
                    skipSpace()
                    let close = b == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                    if i < end && bytes[i] == close {
                        i += 1
                        open.removeLast()
                        nodes[index].end = i
                        nodes[index].next = index + 1
                    } else {
                        wantKey = b == UInt8(ascii: "{")
                        continue
                    }
                case UInt8(ascii: "\""):
                    try string(into: &nodes)
                case UInt8(ascii: "t"): try literal("true", .bool, true, into: &nodes)
                case UInt8(ascii: "f"): try literal("false", .bool, false, into: &nodes)
                case UInt8(ascii: "n"): try literal("null", .null, false, into: &nodes)
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    try number(into: &nodes)
                default:
                    throw fail("expected a value, found \(Self.describe(b))")
                }
                // After a value: ',' or the close of the container, possibly closing several.
                while let top = open.last {
                    nodes[top].count += 1
                    skipSpace()
                    guard i < end else { throw fail("the line ends inside \(nodes[top].kind == .object ? "an object" : "an array")") }
                    let isObject = nodes[top].kind == .object
                    if bytes[i] == UInt8(ascii: ",") {
                        i += 1
                        wantKey = isObject
                        break
                    }
                    guard bytes[i] == UInt8(ascii: isObject ? "}" : "]") else {
                        throw fail("expected ',' or '\(isObject ? "}" : "]")', found \(Self.describe(bytes[i]))")
                    }
                    i += 1
                    open.removeLast()
                    nodes[top].end = i
                    nodes[top].next = nodes.count
                }
                if open.isEmpty { return }
            }
        }

        mutating func literal(_ word: StaticString, _ kind: JSONNode.Kind, _ flag: Bool, into nodes: inout [JSONNode]) throws(ParseFailure) {
            let n = word.utf8CodeUnitCount
            guard i + n <= end else { throw fail("invalid literal") }
            for k in 0..<n where bytes[i + k] != word.utf8Start[k] { throw fail("invalid literal") }
            nodes.append(JSONNode(kind: kind, flag: flag, start: i, end: i + n, count: 0, next: nodes.count + 1))
            i += n
        }

        mutating func number(into nodes: inout [JSONNode]) throws(ParseFailure) {
            let start = i
            var integer = true
            if bytes[i] == UInt8(ascii: "-") { i += 1 }
            func digits(_ p: inout Int) -> Int {
                let s = p
                while p < end, bytes[p] &- 0x30 < 10 { p += 1 }
                return p - s
            }
            guard i < end, bytes[i] &- 0x30 < 10 else { throw fail("a number needs digits", at: start) }
            if bytes[i] == UInt8(ascii: "0") {
                i += 1
            } else {
                _ = digits(&i)
            }
            if i < end && bytes[i] == UInt8(ascii: ".") {
                i += 1
                integer = false
                guard digits(&i) > 0 else { throw fail("a number needs digits after '.'", at: start) }
            }
            if i < end && bytes[i] | 0x20 == UInt8(ascii: "e") {
                i += 1
                integer = false
                if i < end && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) { i += 1 }
                guard digits(&i) > 0 else { throw fail("a number needs digits in its exponent", at: start) }
            }
            nodes.append(JSONNode(kind: .number, flag: integer, start: start, end: i, count: 0, next: nodes.count + 1))
        }

        /// A string: control characters refused, escapes checked (a high surrogate must be
        /// followed by a low one, a low one must follow a high one), the text valid UTF-8.
        mutating func string(into nodes: inout [JSONNode]) throws(ParseFailure) {
            let open = i
            i += 1
            let start = i
            var escaped = false
            var asciiOnly = true
            while true {
                guard i < end else { throw fail("the line ends inside a string", at: open) }
                let b = bytes[i]
                if b == UInt8(ascii: "\"") { break }
                if b < 0x20 { throw fail("a control character (0x\(String(b, radix: 16))) in a string must be escaped") }
                if b >= 0x80 { asciiOnly = false; i += 1; continue }
                if b != UInt8(ascii: "\\") { i += 1; continue }
                escaped = true
                guard i + 1 < end else { throw fail("the line ends inside an escape") }
                switch bytes[i + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                     UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    i += 2
                case UInt8(ascii: "u"):
                    guard let unit = JSONTape.hex4(UnsafeRawBufferPointer(rebasing: bytes[..<end]), i + 2) else {
                        throw fail("\\u needs four hexadecimal digits")
                    }
                    if unit >= 0xDC00 && unit < 0xE000 { throw fail("a low surrogate (\\u\(String(unit, radix: 16))) without a high one") }
                    if unit >= 0xD800 && unit < 0xDC00 {
                        guard i + 12 <= end, bytes[i + 6] == UInt8(ascii: "\\"), bytes[i + 7] == UInt8(ascii: "u"),
                              let low = JSONTape.hex4(UnsafeRawBufferPointer(rebasing: bytes[..<end]), i + 8), low >= 0xDC00 && low < 0xE000
                        else { throw fail("a high surrogate (\\u\(String(unit, radix: 16))) without a low one") }
                        i += 12
                    } else {
                        i += 6
                    }
                default:
                    throw fail("invalid escape '\\\(Self.describe(bytes[i + 1]))'")
                }
            }
            if !asciiOnly && !ArrowText.isValidUTF8(UnsafeRawBufferPointer(rebasing: bytes[start..<i])) {
                throw ParseFailure(kind: .invalidUTF8, offset: start)
            }
            nodes.append(JSONNode(kind: .string, flag: escaped, start: start, end: i, count: 0, next: nodes.count + 1))
            i += 1
        }
    }
}
