import LightstreamArrow
import Testing
import Vec64
@testable import LightstreamParquet

/// Whole files that are not Parquet, are cut short or lie about their sizes, counts and offsets:
/// each must give a `ParquetError` of the right kind, never a crash, a hang or a huge allocation.
@Suite("Hostile Parquet files")
struct HostileFileTests {
    @Test func theTinyFilesRead() throws {
        for nested in [false, true] {
            for dictionary in [false, true] {
                let file = TinyParquet(nested: nested, dictionary: dictionary)
                let table = try readParquet(file.bytes, tightOptions(), "nested \(nested), dictionary \(dictionary)").get()
                #expect(table.rowCount == 6)
                let batch = try #require(table.batches.first)
                var column = batch.columns[0]
                if nested { column = column.children[0] }
                #expect(column.type == .int32)
                let values = column.buffers[0].withUnsafeBytes { raw in (0..<6).map { raw.loadUnaligned(fromByteOffset: $0 * 4, as: Int32.self) } }
                #expect([0, 2, 3, 5].map { values[$0] } == [7, 9, 7, 11])
                #expect((0..<6).map { column.isValid($0) } == [true, false, true, true, false, true])
            }
        }
    }

    @Test func notParquet() {
        #expect(readError([])?.kind.name == "notParquet")
        #expect(readError(Array("PAR1PAR1".utf8))?.kind.name == "notParquet")
        #expect(readError(Array("PAR1".utf8) + [0, 0, 0, 0] + Array("PAR1".utf8))?.kind.name != nil)
        var file = TinyParquet().bytes
        file[0] = UInt8(ascii: "Q")
        #expect(readError(file)?.kind.name == "notParquet")
        file = TinyParquet().bytes
        file[file.count - 1] = UInt8(ascii: "2")
        #expect(readError(file)?.kind.name == "notParquet")
        let text = Array("col1,col2\n1,2\n3,4\n".utf8)
        #expect(readError(text)?.kind.name == "notParquet")
    }

    @Test func encryptedFooterMagic() throws {
        var file = TinyParquet().bytes
        file.replaceSubrange((file.count - 4)..., with: Array("PARE".utf8))
        let error = try #require(readError(file))
        #expect(error.kind == .unsupported("encrypted Parquet is not supported (encrypted footer)"))
        #expect(error.description.contains("encrypted Parquet is not supported"))
        // Even when the file is too short to hold anything else.
        let bare = Array("PAR1".utf8) + [0, 0, 0, 0] + Array("PARE".utf8)
        #expect(readError(bare).map { if case .unsupported = $0.kind { true } else { false } } == true)
    }

    @Test func everyTruncationIsAnError() {
        for nested in [false, true] {
            let file = TinyParquet(nested: nested).bytes
            for length in 0..<file.count {
                let error = readError(Array(file[..<length]), tightOptions(), "cut at \(length)")
                #expect(error?.kind.name == "notParquet", "cut at \(length): \(String(describing: error))")
            }
            // Bytes cut from the middle, the footer kept: offsets now point past the pages.
            let footerLength = Int(file[file.count - 8]) | Int(file[file.count - 7]) << 8
            let footerStart = file.count - 8 - footerLength
            for cut in stride(from: 4, to: footerStart, by: 3) {
                for width in [1, 5, 17] where cut + width <= footerStart {
                    var shorter = file
                    shorter.removeSubrange(cut..<(cut + width))
                    // Usually an error; a cut inside run-length pairs can leave other valid values.
                    _ = readParquet(shorter, tightOptions(), "removed \(width) at \(cut)")
                }
            }
        }
    }

    @Test func footerLengthBeyondTheFile() throws {
        let file = TinyParquet().bytes
        for length in [UInt32(file.count - 11), UInt32(file.count), UInt32.max, 1 << 31] {
            var broken = file
            withUnsafeBytes(of: length.littleEndian) { broken.replaceSubrange((file.count - 8)..<(file.count - 4), with: $0) }
            let error = try #require(readError(broken))
            #expect(error.kind.name == "notParquet")
            #expect(error.offset == file.count - 8)
        }
        // A footer within the file but longer than the options allow.
        var options = ParquetReadOptions()
        options.maximumFooterBytes = 16
        #expect(readError(file, options)?.kind.name == "limitExceeded")
        // A footer length that starts inside the pages: the Thrift there is not a footer.
        var inside = file
        let footerLength = Int(file[file.count - 8]) | Int(file[file.count - 7]) << 8
        withUnsafeBytes(of: UInt32(footerLength + 20).littleEndian) { inside.replaceSubrange((file.count - 8)..<(file.count - 4), with: $0) }
        #expect(readError(inside) != nil)
    }

    @Test func pageSizesBeyondTheChunk() throws {
        for delta in [1, 100, 1 << 30] {
            let error = try #require(readError(TinyParquet(dataPageCompressedSizeDelta: delta).bytes, tightOptions(), "+\(delta)"))
            #expect(error.kind.name == "corruptPage", "\(error)")
            #expect(error.column == "x" && error.rowGroup == 0 && error.page == 1)
        }
        // An uncompressed size beyond the options' maximum, and one that does not match the bytes.
        let big = try #require(readError(TinyParquet(dictionary: false, dataPageUncompressedSizeDelta: 1 << 28).bytes, tightOptions()))
        #expect(big.kind.name == "limitExceeded")
        let wrong = try #require(readError(TinyParquet(dictionary: false, dataPageUncompressedSizeDelta: 3).bytes, tightOptions()))
        #expect(wrong.kind.name == "corruptPage")
        // A compressed size shorter than the page's contents.
        #expect(readError(TinyParquet(dictionary: false, dataPageCompressedSizeDelta: -4).bytes, tightOptions()) != nil)
    }

    @Test func dictionaryIndicesOutOfRange() throws {
        // Three distinct values: indices 3 and 255 are outside the dictionary.
        for bad: UInt8 in [3, 255] {
            let error = try #require(readError(TinyParquet(indices: [0, 1, bad, 2]).bytes, tightOptions()))
            #expect(error.kind.name == "corruptPage", "\(error)")
            #expect(error.description.contains("dictionary index \(bad)"))
            #expect(error.column == "x" && error.page == 1)
        }
        // The dictionary page claims fewer values than it holds, or far more.
        #expect(readError(TinyParquet(indices: [0, 1, 2, 0], dictionaryValueCount: 2).bytes, tightOptions())?.kind.name == "corruptPage")
        #expect(readError(TinyParquet(dictionaryValueCount: 1 << 30).bytes, tightOptions()) != nil)
        // Also when the dictionary is kept (read_dictionary), for a string column's path.
        var options = tightOptions()
        options.dictionaryColumns = ["x"]
        #expect(readError(TinyParquet(indices: [0, 1, 9, 2]).bytes, options)?.kind.name == "corruptPage")
    }

    @Test func levelsBeyondTheMaximum() throws {
        // Maximum definition level 2 (g.x): a level of 3 fits the bit width but not the schema.
        let error = try #require(readError(TinyParquet(nested: true, definitionLevels: [2, 1, 3, 2, 0, 2]).bytes, tightOptions()))
        #expect(error.kind.name == "corruptPage")
        #expect(error.description.contains("level 3 beyond the maximum 2"), "\(error)")
        #expect(error.column == "g.x")
        // Maximum 1 (x): a level of 2 does not fit the one-bit width.
        #expect(readError(TinyParquet(definitionLevels: [1, 0, 2, 1, 0, 1]).bytes, tightOptions()) != nil)
        // Fewer levels than values, and levels claiming more present values than there are.
        #expect(readError(TinyParquet(definitionLevels: [1, 0, 1]).bytes, tightOptions()) != nil)
        #expect(readError(TinyParquet(definitionLevels: [1, 1, 1, 1, 1, 1]).bytes, tightOptions()) != nil)
    }

    @Test func valueCountMismatches() throws {
        // The chunk claims more values than its pages hold.
        let more = try #require(readError(TinyParquet(chunkValueCount: 7).bytes, tightOptions()))
        #expect(more.kind.name == "corruptPage" && more.description.contains("metadata says 7"), "\(more)")
        // The chunk claims fewer: the page passes it.
        let fewer = try #require(readError(TinyParquet(chunkValueCount: 5).bytes, tightOptions()))
        #expect(fewer.kind.name == "corruptPage", "\(fewer)")
        // The page claims more values than its levels hold, or fewer.
        #expect(readError(TinyParquet(pageValueCount: 7, chunkValueCount: 7).bytes, tightOptions()) != nil)
        #expect(readError(TinyParquet(pageValueCount: 5).bytes, tightOptions()) != nil)
        // A page of 2^31 - 1 values: beyond maximumPageValues, before any level is decoded.
        let huge = try #require(readError(TinyParquet(pageValueCount: Int(Int32.max), chunkValueCount: Int(Int32.max)).bytes, tightOptions()))
        #expect(huge.kind.name == "limitExceeded")
        // The row group's row count differs from the column's.
        #expect(readError(TinyParquet(rowCount: 5).bytes, tightOptions())?.kind.name == "corruptPage")
        #expect(readError(TinyParquet(rowCount: 1 << 40).bytes, tightOptions()) != nil)
        // A chunk of two data pages whose metadata counts one: reading stops at the count.
        #expect(try readParquet(TinyParquet(chunkValueCount: 6, extraDataPages: 1).bytes, tightOptions()).get().rowCount == 6)
        #expect(try readParquet(TinyParquet(rowCount: 12, extraDataPages: 1).bytes, tightOptions()).get().rowCount == 12)
    }

    @Test func columnChunkOffsetsOutsideTheFile() throws {
        let size = Int64(TinyParquet().bytes.count)
        let cases: [TinyParquet] = [
            TinyParquet(dataPageOffset: size + 10, dictionaryPageOffset: size + 10),
            TinyParquet(dataPageOffset: -5, dictionaryPageOffset: -5),
            TinyParquet(dataPageOffset: Int64.max, dictionaryPageOffset: Int64.max),
            TinyParquet(dataPageOffset: 0, dictionaryPageOffset: 0),
            TinyParquet(totalCompressedSize: size * 4),
            TinyParquet(totalCompressedSize: -1),
            TinyParquet(totalCompressedSize: Int64.max),
            TinyParquet(dataPageOffset: Int64.min, dictionaryPageOffset: Int64.min),
        ]
        for (i, file) in cases.enumerated() {
            let error = try #require(readError(file.bytes, tightOptions(), "case \(i)"))
            #expect(error.kind.name == "corruptMetadata", "case \(i): \(error)")
            #expect(error.rowGroup == 0 && error.column == "x", "case \(i): \(error)")
        }
        // Offsets inside the file but not at a page: the footer, the middle of a page.
        for offset in [size - 20, 9, 30] {
            #expect(readError(TinyParquet(dataPageOffset: offset, dictionaryPageOffset: offset).bytes, tightOptions()) != nil)
        }
    }
}

/// Crashes found by the hostile-input tests and the fuzzer, kept as regressions.
@Suite("Hostile Parquet regressions")
struct HostileRegressionTests {
    /// A root schema element (no type) with a negative num_children trapped on `0..<childCount`.
    @Test func negativeChildCountOfTheRoot() throws {
        for count in [-1, Int(Int32.min)] {
            let error = #expect(throws: ParquetError.self) {
                try ParquetSchema(elements: [ParquetSchemaElement(name: "schema", childCount: count)])
            }
            #expect(error?.kind.name == "invalidSchema")
            // Of a group below the root: a leaf without a type, also an error.
            #expect(throws: ParquetError.self) {
                try ParquetSchema(elements: [ParquetSchemaElement(name: "schema", childCount: 1),
                                             ParquetSchemaElement(name: "g", repetition: .optional, childCount: count)])
            }
        }
    }

    /// fuzz-parquet crash-4695ed84...: the root claims 2 children with 2 elements left, but its
    /// first child is a group that takes the second as its own, so the second child of the root
    /// indexed past the elements.
    @Test func siblingsClaimingMoreElementsThanLeft() {
        let elements = [
            ParquetSchemaElement(name: "schema", childCount: 2),
            ParquetSchemaElement(name: "g", repetition: .optional, childCount: 1),
            ParquetSchemaElement(name: "x", type: .int32, repetition: .optional),
        ]
        let error = #expect(throws: ParquetError.self) { try ParquetSchema(elements: elements) }
        #expect(error?.kind.name == "invalidSchema")
        #expect(throws: Never.self) { try ParquetSchema(elements: [elements[0]] + [elements[2], elements[2]]) }
    }
}
