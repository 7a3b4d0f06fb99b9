"""Writes the pyarrow files of the MMap benchmark (the same data as the Swift side):
10 * ROWS rows of a: int64 = i, b: float64 = i * 0.5, c: int32 = i, d: float32 = i * 0.25,
as one batch (pa_1.arrow) and as 65536-row batches (pa_64k.arrow), in /tmp/lightstream-bench-mmap.
"""
import os
import sys

import numpy as np
import pyarrow as pa

rows = (int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000) * 10
directory = "/tmp/lightstream-bench-mmap"
os.makedirs(directory, exist_ok=True)
a = np.arange(rows, dtype=np.int64)
table = pa.table({
    "a": a,
    "b": a * 0.5,
    "c": a.astype(np.int32),
    "d": (a * 0.25).astype(np.float32),
})
for name, chunk in [("pa_1", None), ("pa_64k", 65536)]:
    with pa.ipc.new_file(f"{directory}/{name}.arrow", table.schema) as writer:
        writer.write_table(table, max_chunksize=chunk)
