import LightstreamFramingConformance

/// The generator of a random test, from a fixed seed; the seed is printed, so a failing run can
/// be replayed with it.
func seededRandom(_ seed: UInt64, _ test: String = #function) -> SplitMix64 {
    print("\(test): random seed \(seed)")
    return SplitMix64(seed: seed)
}
