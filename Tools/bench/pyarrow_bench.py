"""The pyarrow/numpy half of the benchmark harness.

Each benchmark does the same work as its twin in Tools/Benchmarks/main.swift and prints one JSON
object per line: {"name", "seconds" (best of the repetitions), "bytes"}.
"""
import json
import sys
import time

import numpy as np
import pyarrow as pa

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000


def measure(name, nbytes, body, repetitions=7):
    best = float("inf")
    for _ in range(repetitions):
        start = time.perf_counter()
        body()
        best = min(best, time.perf_counter() - start)
    print(json.dumps({"name": name, "seconds": best, "bytes": nbytes}), flush=True)


size = 256 << 20
src = np.ones(size, dtype=np.uint8)
dst = np.zeros(size, dtype=np.uint8)
measure("memcpy_256MiB", size, lambda: np.copyto(dst, src))
del src, dst

measure("vec64_append_int64", ROWS * 8, lambda: np.arange(ROWS, dtype=np.int64))
measure("vec64_fill_int64", ROWS * 8, lambda: np.arange(ROWS, dtype=np.int64))
ints = np.arange(ROWS, dtype=np.int64)
measure("vec64_append_bulk_int64", ROWS * 8, lambda: ints.copy())

rng = np.random.default_rng(1)
bits = rng.integers(0, 256, size=(ROWS + 7) // 8, dtype=np.uint8)
validity = pa.py_buffer(bits.tobytes())
values = pa.py_buffer(np.zeros(ROWS, dtype=np.int8).tobytes())


def null_count(offset):
    # null_count=-1 makes pyarrow count the validity bitmap (it caches the count afterwards).
    arr = pa.Array.from_buffers(pa.int8(), ROWS - offset, [validity, values], null_count=-1, offset=offset)
    return arr.null_count


measure("bitmap_null_count", len(bits), lambda: null_count(0))
measure("bitmap_null_count_offset3", len(bits), lambda: null_count(3))

floats = np.arange(ROWS, dtype=np.float64) * 0.5
strings = [f"s{i % 100_000}" for i in range(ROWS)]
string_bytes = sum(len(s) for s in strings)
measure("build_int64_column", ROWS * 8, lambda: pa.array(ints))
measure("build_int64_column_zero_copy", ROWS * 8, lambda: pa.array(ints))
measure("build_float64_column", ROWS * 8, lambda: pa.array(floats))
measure("build_string_column", string_bytes, lambda: pa.array(strings, type=pa.string()), repetitions=3)
measure(
    "build_batch_int64_float64_string",
    ROWS * 16 + string_bytes,
    lambda: pa.record_batch([pa.array(ints), pa.array(floats), pa.array(strings, type=pa.string())], names=["i", "f", "s"]),
    repetitions=3,
)
