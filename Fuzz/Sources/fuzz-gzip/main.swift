import CodecHarness
import FuzzSupport

Fuzz.writeSeedsIfAsked { try CodecHarness.seeds(codec) }
Fuzz.run(fuzzOne)
