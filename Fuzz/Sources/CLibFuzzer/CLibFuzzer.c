// The declaration in include/CLibFuzzer.h is all this target provides; libFuzzer
// (-sanitize=fuzzer) defines the function.
#include "CLibFuzzer.h"
