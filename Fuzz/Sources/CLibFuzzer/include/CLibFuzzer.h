#ifndef LIGHTSTREAM_CLIBFUZZER_H
#define LIGHTSTREAM_CLIBFUZZER_H
#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver, for executables that keep their own `main` (SwiftPM names an executable's
/// entry point itself, so the harnesses call the driver instead of linking libFuzzer's main).
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
