import FuzzSupport

// Seeds: TLV streams of every registered tag under several formats (see Harness.swift).
Fuzz.writeSeedsIfAsked {
    var seeds: [[UInt8]] = []
    let values: [(UInt8, [UInt8])] = [
        (1, [7]), (2, [1, 2]), (3, [1, 2, 3, 4]), (4, Array(repeating: 9, count: 8)), (5, [0, 0, 0, 0x80]),
        (6, [0, 0, 0, 0, 0, 0, 0xF0, 0x3F]), (7, Array("héllo".utf8)), (8, [1, 2, 3]), (9, Array(repeating: 0xEE, count: 100)),
    ]
    for a: UInt8 in [0x04, 0x00, 0x05, 0x0A, 0x14, 0x84] {
        let tagWidth = [1, 2, 4, 1][Int(a & 3)], lengthWidth = [2, 4, 8, 4][Int(a >> 2) & 3], bigEndian = a & 0x10 != 0
        for chunk: UInt8 in [0, 3] {
            var seed: [UInt8] = [a, chunk]
            func integer(_ value: Int, _ width: Int) {
                for i in 0..<width { seed.append(UInt8(truncatingIfNeeded: value >> ((bigEndian ? width - 1 - i : i) * 8))) }
            }
            for (tag, value) in values {
                integer(Int(tag), tagWidth)
                integer(value.count, lengthWidth)
                seed += value
            }
            seeds.append(seed)
        }
    }
    return seeds
}
Fuzz.run(fuzzOne)
