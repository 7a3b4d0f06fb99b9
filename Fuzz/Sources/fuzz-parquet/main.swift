import FuzzSupport

// Seeds come from ../shared/corpus (Tools/fuzz.sh copies the parquet-testing data and bad_data
// files up to 64 KiB); this adds an empty footer between two magics.
Fuzz.writeSeedsIfAsked {
    [Array("PAR1".utf8) + [0, 0, 0, 0] + Array("PAR1".utf8)]
}
Fuzz.run(fuzzOne)
