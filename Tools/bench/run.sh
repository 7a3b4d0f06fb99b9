#!/usr/bin/env bash
# Runs the Swift benchmarks (release build) and their pyarrow/numpy twins in one run, prints each
# figure with the ratio Lightstream/pyarrow, and writes docs/benchmarks.md.
#
#   Tools/bench/run.sh [ROWS]        (default 10000000)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
rows="${1:-10000000}"
python="$(Tools/scripts/setup-venv.sh)"
swift build -c release --product lightstream-bench >&2
out="$(mktemp -d)"
# The pyarrow-written files of the MMap benchmark, read by both sides below.
"$python" Tools/bench/make_mmap_files.py "$rows"
# The CSV file of the CSV benchmarks (at most 1M rows), read and written by both sides.
"$python" Tools/bench/make_csv_files.py "$rows" >/dev/null
# The Parquet files of the Parquet read benchmarks.
"$python" Tools/bench/make_parquet_files.py "$rows" >/dev/null
.build/release/lightstream-bench "$rows" > "$out/swift.jsonl"
"$python" Tools/bench/pyarrow_bench.py "$rows" > "$out/pyarrow.jsonl"
"$python" Tools/bench/report.py "$out/swift.jsonl" "$out/pyarrow.jsonl" "$rows" "Tools/bench/run.sh $*" docs/benchmarks.md
rm -rf "$out" /tmp/lightstream-bench-mmap /tmp/lightstream-bench-csv /tmp/lightstream-bench-parquet
