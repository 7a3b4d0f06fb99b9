import FuzzSupport

// Seeds: streams of frames under the formats the first bytes select (see Harness.swift).
Fuzz.writeSeedsIfAsked {
    var seeds: [[UInt8]] = []
    for (a, width) in [(0x52 as UInt8, 4), (0x51, 2), (0x50, 1), (0x53, 8), (0x56, 4), (0xD2, 4)] {
        for chunk: UInt8 in [0, 1, 7] {
            var seed: [UInt8] = [a, 0, chunk]
            for body in [[UInt8](), Array("hello".utf8), Array(repeating: 0xAB, count: 70)] {
                let bigEndian = a & 4 != 0
                for i in 0..<width {
                    let shift = bigEndian ? (width - 1 - i) * 8 : i * 8
                    seed.append(UInt8(truncatingIfNeeded: body.count >> shift))
                }
                seed += body
            }
            seeds.append(seed)
        }
    }
    return seeds
}
Fuzz.run(fuzzOne)
