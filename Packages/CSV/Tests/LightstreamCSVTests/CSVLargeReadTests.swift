import LightstreamArrow
import LightstreamCSV
import LightstreamFramingConformance
import Testing
import Vec64
#if canImport(Glibc)
import Glibc
#endif

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

@Suite struct CSVParallelReadTests {
    /// The parallel whole-input read gives the serial read's batches, for any thread count.
    @Test(arguments: [2, 3, 8])
    func sameAsSerial(_ threads: Int) throws {
        let text = CSVLargeReadTests.text(rows: 30_000)
        var options = CSVReadOptions()
        options.blockSize = 16 << 10
        let serial = try readCSV(text, options)
        options.threads = threads
        let parallel = try CSVReader.readTable(Buffer(copying: Array(text.utf8)), options: options)
        #expect(parallel == serial)
        try parallel.validate()
    }

    /// A stray quote (inside an unquoted field) makes quote counting unreliable: the read goes on
    /// serially and still equals the serial read.
    @Test func strayQuotesFallBackToSerial() throws {
        var text = CSVLargeReadTests.text(rows: 20_000)
        text += "99999,1.5,ab\"c,2020-02-23 02:51:10,true\n"
        text += CSVLargeReadTests.text(rows: 20_000).split(separator: "\n", maxSplits: 1)[1]
        var options = CSVReadOptions()
        options.blockSize = 16 << 10
        let serial = try readCSV(text, options)
        options.threads = 4
        #expect(try CSVReader.readTable(Buffer(copying: Array(text.utf8)), options: options) == serial)
    }

    /// An error deep in the input is the serial read's error (row number included).
    @Test func errorsAreTheSerialOnes() throws {
        var text = CSVLargeReadTests.text(rows: 30_000)
        text += "oops,1.5,x,2020-02-23 02:51:10,true\n"
        var options = CSVReadOptions()
        options.blockSize = 16 << 10
        options.threads = 4
        #expect {
            _ = try CSVReader.readTable(Buffer(copying: Array(text.utf8)), options: options)
        } throws: { error in
            guard let error = error as? CSVError, case .invalidValue(_, "oops") = error.kind else { return false }
            return error.row == 30_002 && error.column == "id"
        }
    }
}

@Suite struct CSVReadTablePathTests {
    @Test func readsAFileWhole() throws {
        let text = CSVLargeReadTests.text(rows: 50_000)
        let path = "/tmp/lightstream-csv-test-\(UInt64.random(in: 0 ... .max)).csv"
        let fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0o644)
        #expect(fd >= 0)
        _ = Array(text.utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        defer { unlink(path) }
        var options = CSVReadOptions()
        options.threads = 2
        options.blockSize = 32 << 10
        let table = try CSVReader.readTable(path: path, options: options)
        #expect(table == (try readCSV(text, options)))
        #expect(table.rowCount == 50_000)
    }
}

@Suite struct CSVParallelPropertyTests {
    /// Random text with quoted delimiters, quotes and newlines, sometimes a stray quote or a
    /// ragged row: the parallel read gives the serial read's table or the serial read's error.
    @Test(arguments: 0..<12)
    func parallelEqualsSerial(_ seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        var text = "id,name,score\n"
        let names = ["plain", "\"with,comma\"", "\"quote\"\"d\"", "\"new\nline\"", "\"\"", "ünï", "a\"b", "\"crlf\r\nx\""]
        for i in 0..<4000 {
            let name = names[Int(random.next() % UInt64(seed % 3 == 0 ? 8 : 6))]
            let ragged = seed % 4 == 1 && random.next() % 3000 == 0
            text += ragged ? "\(i)\n" : "\(i),\(name),\(Double(Int(random.next() % 1000)) / 4)\n"
        }
        var options = CSVReadOptions()
        options.blockSize = 2048
        let serial = Result { try readCSV(text, options) }
        options.threads = Int(random.next() % 4) + 2
        let parallel = Result { try CSVReader.readTable(Buffer(copying: Array(text.utf8)), options: options) }
        switch (serial, parallel) {
        case let (.success(a), .success(b)): #expect(a == b)
        case let (.failure(a), .failure(b)): #expect(a as? CSVError == b as? CSVError)
        default: Issue.record("serial \(serial) but parallel \(parallel)")
        }
    }
}
