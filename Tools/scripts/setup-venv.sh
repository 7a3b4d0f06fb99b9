#!/usr/bin/env bash
# Creates (or reuses) the project's Python virtual environment with the reference peers used by
# tests and benchmarks (pyarrow, numpy, the codec modules DuckDB and Polars, second and third Parquet readers and writers). Prints the environment's python path.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
venv="${LIGHTSTREAM_VENV:-$root/.venv}"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv" >&2
fi
if ! "$venv/bin/python" -c "import pyarrow, numpy, lz4, zstandard, cramjam, duckdb, polars" 2>/dev/null; then
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$root/Tools/scripts/requirements.txt" >&2
fi
echo "$venv/bin/python"
