"""Writes the CSV file of the CSV benchmarks (both halves read the same bytes): ROWS rows (at most
1M) of mixed columns, int64, float64, strings (some holding the delimiter or quotes, so quoted),
timestamps and booleans, as pyarrow.csv.write_csv writes them. Prints the path."""
import os
import sys

import numpy as np
import pyarrow as pa
import pyarrow.csv as pc

rows = min(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000, 1_000_000)
directory = "/tmp/lightstream-bench-csv"
os.makedirs(directory, exist_ok=True)
path = f"{directory}/mixed.csv"
if not os.path.exists(path):
    rng = np.random.default_rng(7)
    words = np.array(["alpha", "beta", "gamma, delta", 'say "hi"', "epsilon", "zeta eta theta", "ü", "x"])
    table = pa.table({
        "id": pa.array(np.arange(rows, dtype=np.int64)),
        "price": pa.array(np.round(rng.uniform(0, 10_000, rows), 4)),
        "qty": pa.array(rng.integers(-1000, 1000, rows)),
        "name": pa.array(words[rng.integers(0, len(words), rows)]),
        "when": pa.array(rng.integers(1_500_000_000, 1_700_000_000, rows).astype("datetime64[s]")),
        "flag": pa.array(rng.integers(0, 2, rows).astype(bool)),
    })
    pc.write_csv(table, path)
print(path)
