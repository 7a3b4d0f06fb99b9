import LightstreamArrow
import LightstreamCSV
import Testing

@Suite struct CSVLargeReadTests {
    /// Enough rows for several blocks and the parallel column conversion.
    static func text(rows: Int) -> String {
        var text = "\"id\",\"price\",\"name\",\"when\",\"flag\"\n"
        let names = ["alpha", "gamma, delta", "say \"\"hi\"\"", "ü"]
        for i in 0..<rows {
            text += "\(i),\(Double(i) / 8),\"\(names[i % 4])\",2020-02-23 02:51:\(10 + i % 50),\(i % 3 == 0 ? "true" : "false")\n"
        }
        return text
    }

    @Test(arguments: [1, 0, 3])
    func manyBlocksAnyThreads(_ threads: Int) throws {
        var options = CSVReadOptions()
        options.threads = threads
        options.blockSize = 64 << 10
        let table = try readCSV(Self.text(rows: 20_000), options)
        #expect(table.rowCount == 20_000)
        #expect(table.batches.count > 5)
        #expect(table.schema.fields.map(\.type) == [.int64, .float64, .utf8, .timestamp(.second, timezone: nil), .boolean])
        #expect(column(table, 2).prefix(4) == ["alpha", "gamma, delta", "say \"hi\"", "ü"])
        try table.validate()
    }
}
