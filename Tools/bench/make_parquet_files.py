"""Writes the Parquet files of the Parquet read benchmarks (both halves read the same files):
ROWS rows of an int64 key, an int32 with 10% nulls, a float64, a low-cardinality string with
nulls and a high-cardinality string, each as plain and dictionary-encoded pages with snappy and
zstd (pyarrow's defaults otherwise: 1 MiB pages, data page v2 off, one row group per 1M rows)."""
import os
import sys

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
directory = "/tmp/lightstream-bench-parquet"
os.makedirs(directory, exist_ok=True)
rng = np.random.default_rng(11)
words = np.array(["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa"])
table = None
for dictionary in (False, True):
    for codec in ("snappy", "zstd"):
        path = f"{directory}/{'dict' if dictionary else 'plain'}_{codec}.parquet"
        if os.path.exists(path):
            continue
        if table is None:
            qty = pa.array(rng.integers(-1000, 1000, rows, dtype=np.int32), mask=rng.random(rows) < 0.1)
            name = pa.array(words[rng.integers(0, len(words), rows)], mask=rng.random(rows) < 0.05)
            table = pa.table({
                "id": pa.array(np.arange(rows, dtype=np.int64)),
                "qty": qty,
                "price": pa.array(np.round(rng.uniform(0, 10_000, rows), 2)),
                "name": name,
                "key": pa.array([f"k{i * 7919 % 1_000_003}" for i in range(rows)]),
            })
        pq.write_table(table, path, compression=codec, use_dictionary=dictionary, row_group_size=1_000_000)
print(directory)
