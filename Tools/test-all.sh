#!/usr/bin/env bash
# Runs every test of every package plus the integration suite, each suite once:
#   1. each layer package on its own (`swift test --package-path Packages/X`), as a user who
#      depends on just that layer builds it, in a process of its own;
#   2. the root package's integration suite (`swift test --filter IntegrationTests`), including
#      the pyarrow/DuckDB cross-checks, through the project's virtual environment.
# (`swift test` at the root runs the layers' suites too, all in one process: handy by hand, but
# on a 2-core machine the socket tests then share the cooperative pool with every CPU-heavy
# suite at once; CI runs each suite once, in its package's own process.)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export LIGHTSTREAM_PYTHON="${LIGHTSTREAM_PYTHON:-$(Tools/scripts/setup-venv.sh)}"
# A hung test fails the run (tests also carry time limits); these caps are only the last resort.
for package in Packages/*/; do
    echo "== $package on its own" >&2
    timeout --kill-after=30 15m swift test --package-path "$package"
done
echo "== root package: the integration suite" >&2
timeout --kill-after=30 40m swift test --filter 'IntegrationTests\.'
