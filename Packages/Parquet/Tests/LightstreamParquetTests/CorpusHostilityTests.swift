import LightstreamArrow
import Testing
import Vec64
@testable import LightstreamParquet

/// The parquet-testing corpus's bad, encrypted and corrupt-checksum files, and seeded random
/// mutations of its valid files: every outcome is a table that validates or a `ParquetError`.
@Suite("Corpus files, bad and mutated")
struct CorpusHostilityTests {
    /// The error kind each bad_data file gives; nil where pyarrow reads the file too
    /// (ARROW-GH-43605: dictionary indices of bit width 0 where every index is 0, 21,186 rows).
    static let badData: [String: String?] = [
        "ARROW-GH-41317.parquet": "corruptPage",
        "ARROW-GH-41321.parquet": "truncated",
        "ARROW-GH-43605.parquet": nil,
        "ARROW-GH-45185.parquet": "corruptPage",
        "ARROW-GH-47662.parquet": "truncated",
        "ARROW-RS-GH-6229-DICTHEADER.parquet": "corruptMetadata",
        "ARROW-RS-GH-6229-LEVELS.parquet": "corruptPage",
        "PARQUET-1481.parquet": "invalidSchema",
    ]

    @Test func badDataFiles() throws {
        let names = try ParquetCorpus.names("bad_data", suffix: ".parquet")
        #expect(Set(names) == Set(Self.badData.keys), "bad_data holds \(names)")
        for name in names {
            let bytes = try ParquetCorpus.file("bad_data", name)
            for options in [ParquetReadOptions(), tightOptions()] {
                switch readParquet(bytes, options, name) {
                case .success(let table):
                    #expect(Self.badData[name] == .some(nil), "\(name) read as \(table.rowCount) rows")
                    #expect(table.rowCount == 21_186, "\(name)")
                case .failure(let error):
                    #expect(error.kind.name == Self.badData[name], "\(name): \(error)")
                    #expect(error.rowGroup != nil || error.kind.name == "invalidSchema", "\(name): \(error) says no row group")
                }
            }
        }
    }

    @Test func encryptedFilesAreUnsupported() throws {
        let names = try ParquetCorpus.names("data", suffix: ".parquet.encrypted")
        #expect(names.count >= 8)
        for name in names {
            let error = try #require(readError(try ParquetCorpus.file("data", name), ParquetReadOptions(), name))
            guard case .unsupported(let why) = error.kind else {
                Issue.record("\(name): \(error)")
                continue
            }
            #expect(why.hasPrefix("encrypted Parquet is not supported"), "\(name): \(why)")
        }
    }

    @Test(arguments: ["datapage_v1-corrupt-checksum.parquet", "rle-dict-uncompressed-corrupt-checksum.parquet"])
    func corruptChecksums(name: String) throws {
        let bytes = try ParquetCorpus.file("data", name)
        var options = ParquetReadOptions()
        options.verifyChecksums = true
        let error = try #require(readError(bytes, options, name))
        #expect(error.kind == .checksumMismatch)
        #expect(error.rowGroup == 0 && error.column != nil && error.page != nil && error.offset != nil, "\(error)")
        // Without verification the values decode (the corruption is in the values, not the structure).
        options.verifyChecksums = false
        _ = readParquet(bytes, options, name)
    }

    @Test(arguments: ["datapage_v1-uncompressed-checksum.parquet", "datapage_v1-snappy-compressed-checksum.parquet",
                      "plain-dict-uncompressed-checksum.parquet", "rle-dict-snappy-checksum.parquet"])
    func goodChecksumsVerify(name: String) throws {
        var options = ParquetReadOptions()
        options.verifyChecksums = true
        _ = try readParquet(try ParquetCorpus.file("data", name), options, name).get()
    }

    /// Valid files of many shapes: plain, dictionary, v2 pages, nested lists and maps, decimals,
    /// INT96, deltas, byte stream split, LZ4/Zstd/Gzip/Snappy.
    static let mutated = [
        "alltypes_plain.parquet", "alltypes_dictionary.parquet", "nulls.snappy.parquet", "nested_lists.snappy.parquet",
        "nested_maps.snappy.parquet", "datapage_v2.snappy.parquet", "list_columns.parquet", "byte_array_decimal.parquet",
        "rle_boolean_encoding.parquet", "fixed_length_decimal.parquet", "int96_from_spark.parquet", "delta_byte_array.parquet",
        "delta_encoding_optional_column.parquet", "byte_stream_split.zstd.parquet", "hadoop_lz4_compressed.parquet",
        "lz4_raw_compressed.parquet", "concatenated_gzip_members.parquet", "nested_structs.rust.parquet",
        "null_list.parquet", "repeated_no_annotation.parquet", "datapage_v2_empty_datapage.snappy.parquet",
    ]

    @Test(arguments: mutated)
    func seededMutations(name: String) throws {
        let original = try ParquetCorpus.file("data", name)
        _ = try readParquet(original, tightOptions(), name).get()
        let footerLength = Int(original.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: original.count - 8, as: UInt32.self) })
        let footerStart = original.count - 8 - footerLength
        var rng = SplitMix64(seed: name.utf8.reduce(UInt64(0x5EED)) { $0 &* 31 &+ UInt64($1) })
        var outcomes = [0, 0]
        for round in 0..<300 {
            var bytes = original
            let what = round % 6
            switch what {
            case 0, 1:   // flip 1-4 bytes anywhere
                for _ in 0...(Int(rng.next() % 4)) { bytes[Int(rng.next() % UInt64(bytes.count))] ^= UInt8(1 + rng.next() % 255) }
            case 2:      // flip 1-3 bytes of the footer (the Thrift metadata)
                for _ in 0...(Int(rng.next() % 3)) {
                    bytes[footerStart + Int(rng.next() % UInt64(footerLength))] = UInt8(truncatingIfNeeded: rng.next())
                }
            case 3:      // truncate
                bytes.removeLast(1 + Int(rng.next() % UInt64(bytes.count)))
            case 4:      // cut a range from the pages, keeping the footer
                let start = 4 + Int(rng.next() % UInt64(max(footerStart - 4, 1)))
                let width = 1 + Int(rng.next() % 64)
                bytes.removeSubrange(start..<min(start + width, footerStart))
            default:     // set one byte of the pages to an extreme
                let at = 4 + Int(rng.next() % UInt64(max(footerStart - 4, 1)))
                bytes[at] = [0x00, 0xFF, 0x7F, 0x80][Int(rng.next() % 4)]
            }
            switch readParquet(bytes, tightOptions(), "\(name) round \(round)") {
            case .success: outcomes[0] += 1
            case .failure: outcomes[1] += 1
            }
        }
        #expect(outcomes[0] + outcomes[1] == 300)
    }
}
