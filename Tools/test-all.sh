#!/usr/bin/env bash
# Runs every test of every package plus the integration suite:
#   1. the root package's `swift test`, which runs each layer package's test target and
#      Integration/ (including the pyarrow cross-checks, through the project's virtual environment);
#   2. each layer package on its own (`swift test --package-path Packages/X`), as a user who depends
#      on just that layer would build it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export LIGHTSTREAM_PYTHON="${LIGHTSTREAM_PYTHON:-$(Tools/scripts/setup-venv.sh)}"
# A hung test fails the run (tests also carry time limits); these caps are only the last resort.
echo "== root package: all layer tests + integration" >&2
timeout --kill-after=30 40m swift test
for package in Packages/*/; do
    echo "== $package on its own" >&2
    timeout --kill-after=30 15m swift test --package-path "$package"
done
