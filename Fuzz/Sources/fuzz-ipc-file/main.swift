import FuzzSupport

// Seeds come from ../shared/corpus (Tools/fuzz.sh copies the gold .arrow_file files and the
// malformed files); this adds a bare pair of magics.
Fuzz.writeSeedsIfAsked {
    [Array("ARROW1\0\0".utf8) + [0, 0, 0, 0] + Array("ARROW1".utf8)]
}
Fuzz.run(fuzzOne)
