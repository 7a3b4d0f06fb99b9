import FuzzSupport

// Seeds: JSON Lines texts of every JSON kind, nested values, escapes, blank lines, and lines the
// given schema of the harness reads (see Harness.swift), under several option bytes.
Fuzz.writeSeedsIfAsked {
    let texts = [
        "{\"a\":1,\"b\":\"x\"}\n{\"a\":-2,\"b\":null}\n\n{\"b\":\"y\\n\\u00e9\\ud83d\\ude00\"}\r\n",
        "{\"a\":1.5e3,\"c\":[1,2,null],\"d\":{\"x\":0.1,\"y\":true}}\n{\"c\":[],\"d\":null}\n",
        "{\"e\":\"2020-01-01T00:00:00.123Z\",\"f\":\"-12.5\",\"g\":\"red\",\"h\":\"aGk=\",\"i\":{\"k\":1},\"j\":\"2020-02-29\",\"k\":18446744073709551615}\n",
        "{\"t\":\"2020-01-01 00:00:00\",\"u\":[[1],[2,3]],\"v\":[{\"w\":false}]}\n{\"t\":\"2021-06-30T12:00\",\"u\":null,\"v\":[]}\n",
        "{}\n{\"a\":null}\n",
        "{\"a\":[[[[[[1]]]]]]}\n",
    ]
    var seeds: [[UInt8]] = []
    for text in texts {
        for a: UInt8 in [0x00, 0x01, 0x13, 0x22, 0x4C] { seeds.append([a, 3] + Array(text.utf8)) }
    }
    return seeds
}
Fuzz.run(fuzzOne)
