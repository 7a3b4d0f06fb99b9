import FuzzSupport
import Glibc

// Seeds come from ../shared/corpus (Tools/fuzz.sh copies the gold .arrow_file files and the
// malformed files); the scratch file goes when the process ends.
Fuzz.writeSeedsIfAsked {
    [Array("ARROW1\0\0".utf8) + [0, 0, 0, 0] + Array("ARROW1".utf8)]
}
atexit { unlink(path) }
Fuzz.run(fuzzOne)
