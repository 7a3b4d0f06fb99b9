import FuzzSupport

// Seeds come from ../shared/corpus (Tools/fuzz.sh copies the gold .stream files and the
// malformed streams); this adds a few edge cases.
Fuzz.writeSeedsIfAsked {
    [[], [0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0], [0xFF, 0xFF, 0xFF, 0xFF, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]]
}
Fuzz.run(fuzzOne)
