#!/usr/bin/env bash
# Runs the layer packages' test suites under AddressSanitizer and ThreadSanitizer and prints a
# summary (docs/fuzzing.md records the last results).
#
#   Tools/sanitize.sh [PACKAGE...]        e.g. Tools/sanitize.sh Codecs Framing
#
# Each package is tested on its own (`swift test --package-path Packages/X --sanitize=S`) in a
# scratch folder of its own (Packages/X/.build-asan, .build-tsan: ignored by git), so sanitized
# builds never touch the normal .build folders. Environment:
#   SANITIZERS   which to run (default "address thread")
#   SANITIZE_TIMEOUT  per package and sanitizer (default 30m)
#   LIGHTSTREAM_PYTHON  the Python with pyarrow for the cross-check tests (default: the
#                project's virtual environment, made by Tools/scripts/setup-venv.sh)
# Logs: .build-sanitize/<package>-<sanitizer>.log. Exit status 1 when any run failed.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export LIGHTSTREAM_PYTHON="${LIGHTSTREAM_PYTHON:-$(Tools/scripts/setup-venv.sh)}"
# The Swift runtime's crash handler would race the sanitizers' reports.
export SWIFT_BACKTRACE=enable=no
# LeakSanitizer is off: Swift keeps spare bits of enum payload pointers for tags, so a live
# indirect enum looks unreachable to it (false "direct leaks" of DataType payloads).
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:halt_on_error=1}"
export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}"
sanitizers="${SANITIZERS:-address thread}"
timeout_per_run="${SANITIZE_TIMEOUT:-30m}"
if [[ $# -gt 0 ]]; then packages=("$@"); else
    packages=(); for dir in Packages/*/; do packages+=("$(basename "$dir")"); done
fi
logs=.build-sanitize
mkdir -p "$logs"
summary=()
failed=0
for package in "${packages[@]}"; do
    [[ -f "Packages/$package/Package.swift" ]] || { echo "no package Packages/$package" >&2; exit 2; }
    for sanitizer in $sanitizers; do
        short="${sanitizer/address/asan}"; short="${short/thread/tsan}"
        log="$logs/$package-$short.log"
        echo "== $package under $sanitizer (log: $log)" >&2
        start=$(date +%s)
        timeout --kill-after=30 "$timeout_per_run" swift test --package-path "Packages/$package" \
            --sanitize="$sanitizer" --scratch-path "Packages/$package/.build-$short" >"$log" 2>&1
        status=$?
        seconds=$(( $(date +%s) - start ))
        # Swift Testing's and XCTest's closing lines.
        result="$(grep -E '^(✔|✘) Test run with [0-9]|Executed [1-9][0-9]* tests?, with' "$log" | tail -2 | tr '\n' ' ')"
        findings="$(grep -cE '^(==[0-9]+==ERROR: AddressSanitizer|WARNING: ThreadSanitizer|==[0-9]+==ERROR: LeakSanitizer)' "$log")"
        if [[ $status -eq 0 ]]; then verdict=pass; else verdict="FAIL($status)"; failed=1; fi
        summary+=("$(printf '%-8s %-8s %-9s %4ss  sanitizer reports: %s  %s' "$package" "$short" "$verdict" "$seconds" "$findings" "$result")")
    done
done
echo
echo "== sanitizer summary"
printf '%s\n' "${summary[@]}"
exit $failed
