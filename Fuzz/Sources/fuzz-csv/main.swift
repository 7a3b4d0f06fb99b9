import FuzzSupport

// Seeds: CSV text of every kind the presets read (see Harness.swift), under several option bytes.
Fuzz.writeSeedsIfAsked {
    let texts = [
        "a,b,c,d\n1,2.50,2020-01-01 00:00:00,x\n-3,\"4.5\",2021-06-30T12:34:56.789,\"q\"\"uote\"\n,,,\n",
        "a,b,c,d,e,f\n7,1.5,2020-02-29,12:34:56.5,true,1e3\n255,-0.5,1970-01-01,00:00:00,0,-inf\n",
        "a;b;c\n1;x;2020-01-01\n2;\"y;z\";NA\n",
        "a\tb\n1\t\"tab\there\"\n2\tnull\n",
        "a,b\n\"multi\nline\",1\r\n\"with,comma\",2\r\nx\\,y,3\n",
        "# comment\na,b\n1,2\n#x\n3,4\n",
        "a,b,c\n1,2\n3,4,5\n6,7,8,9\n10,11,12\n",
        "\u{FEFF}a,b\n0x10,true\n0XfF,FALSE\n9223372036854775807,1\n",
        "a|b|c\n1|2|3\n\n4|5|6\n",
        "skip me\nb,a\nz,1\ny,2\n",
        "x,y,z\n1,2,3\n\"\",NA,\"NA\"\n",
        "a,b\n6869,6a6b\n00,ffee\n",
        "a,b,c\n2020-01-01 00:00:00+01:00,1.5,2020-01-01T00:00Z\n\"unterminated,1,2\n",
        "a,b\n1,2\n" + String(repeating: "3,4\n", count: 50),
    ]
    var seeds: [[UInt8]] = []
    for (i, text) in texts.enumerated() {
        for a: UInt8 in [0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0x10, 0x20, 0x40, 0x86, 0x91, 0xB0] {
            seeds.append([a, UInt8(truncatingIfNeeded: i * 7 + 3), UInt8(truncatingIfNeeded: i)] + Array(text.utf8))
        }
    }
    return seeds
}
Fuzz.run(fuzzOne)
