import FuzzSupport
import Vec64

// Seeds: the metadata of every message of the sample stream and of the gold streams, and the
// footers of the gold files.
Fuzz.writeSeedsIfAsked {
    var seeds = messages(sampleStream).map(\.metadata.array)
    for stream in Fuzz.corpusFiles(under: "arrow-ipc-stream", suffixes: [".stream"]) {
        seeds += messages(Buffer(copying: stream)).map(\.metadata.array)
    }
    for file in Fuzz.corpusFiles(under: "arrow-ipc-stream", suffixes: [".arrow_file"]) where file.count > 18 {
        let n = file.count
        let length = Int(Int32(littleEndian: file[(n - 10)..<(n - 6)].withUnsafeBytes { $0.loadUnaligned(as: Int32.self) }))
        if length > 0, length <= n - 18 { seeds.append(Array(file[(n - 10 - length)..<(n - 10)])) }
    }
    var unique = Set<[UInt8]>()
    return seeds.filter { unique.insert($0).inserted }
}
Fuzz.run(fuzzOne)
