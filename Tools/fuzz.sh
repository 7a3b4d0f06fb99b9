#!/usr/bin/env bash
# Runs one libFuzzer harness of the Fuzz/ package (docs/fuzzing.md).
#
#   Tools/fuzz.sh TARGET SECONDS [extra libFuzzer flags...]
#   Tools/fuzz.sh list
#
# TARGET is a harness without its `fuzz-` prefix: lz4-frame lz4-raw zstd snappy gzip deflate
# length-prefixed tlv connection flatbuffers ipc-stream ipc-file mmap csv jsonl parquet.
#
# 1. Builds the harness (release, -sanitize=fuzzer,address) in Fuzz/.build (incremental; skip with
#    FUZZ_SKIP_BUILD=1).
# 2. Seeds the working corpus Fuzz/Corpus/TARGET (not in git) the first time: the harness's own
#    seeds (compressed samples, framed streams, FlatBuffers cut from the gold files) plus, for the
#    IPC readers, the gold files and malformed files of ../shared/corpus (LIGHTSTREAM_FUZZ_CORPUS),
#    for the Parquet reader the parquet-testing data and bad_data files up to 64 KiB.
# 3. Runs the harness for SECONDS with -rss_limit_mb=2048 -malloc_limit_mb=1024 -timeout=20, so an
#    unbounded allocation or a hang is a finding like a crash. Crash, timeout and OOM inputs go to
#    Fuzz/Regressions/TARGET/ (commit them; the owning package's tests replay them).
#    The log is Fuzz/Logs/TARGET.log; the last lines give executions, cov and ft.
#
# FUZZ_KEEP_GOING=1 runs in fork mode (-fork=1 -ignore_crashes=1 -ignore_ooms=1
# -ignore_timeouts=1): every finding is saved and the run goes on (for a known, unfixed defect).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
targets="lz4-frame lz4-raw zstd snappy gzip deflate length-prefixed tlv connection flatbuffers ipc-stream ipc-file mmap csv jsonl parquet"
if [[ "${1:-}" == "list" ]]; then echo "$targets" | tr ' ' '\n'; exit 0; fi
if [[ $# -lt 2 ]] || ! [[ " $targets " == *" $1 "* ]] || ! [[ "$2" =~ ^[0-9]+$ ]]; then
    echo "usage: Tools/fuzz.sh TARGET SECONDS [libFuzzer flags...]; TARGET is one of: $targets" >&2
    exit 2
fi
target="$1"; seconds="$2"; shift 2
corpus_root="${LIGHTSTREAM_FUZZ_CORPUS:-$root/../shared/corpus}"
export LIGHTSTREAM_FUZZ_CORPUS="$corpus_root"
flags=(-Xswiftc -sanitize=fuzzer,address)
if [[ "${FUZZ_SKIP_BUILD:-0}" != 1 ]]; then
    echo "== building fuzz-$target" >&2
    swift build --package-path Fuzz -c release "${flags[@]}" --product "fuzz-$target" 2>&1 \
        | grep -v "Cannot export local symbol '__asan_extra_spill_area'" >&2
fi
binary="$(swift build --package-path Fuzz -c release "${flags[@]}" --show-bin-path)/fuzz-$target"
[[ -x "$binary" ]] || { echo "no harness binary at $binary" >&2; exit 1; }

corpus="Fuzz/Corpus/$target"
regressions="Fuzz/Regressions/$target"
mkdir -p "$corpus" "$regressions" Fuzz/Logs
# The Swift runtime's own crash handler would race ASan's and libFuzzer's reports.
export SWIFT_BACKTRACE=enable=no
# LeakSanitizer is off: Swift keeps spare bits of enum payload pointers for tags, so a live
# indirect enum (DataType.list(Field), ...) looks unreachable to it (false "direct leaks").
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"
if [[ -z "$(ls -A "$corpus")" ]]; then
    echo "== seeding $corpus" >&2
    LIGHTSTREAM_FUZZ_SEEDS="$corpus" "$binary"
    copy() { # copy FOLDER PATTERN [SIZE]: files of the shared corpus under SIZE (find -size, 2M by default), renamed by their path
        [[ -d "$corpus_root/$1" ]] || { echo "warning: no $corpus_root/$1" >&2; return; }
        find "$corpus_root/$1" -type f -name "$2" -size "-${3:-2M}" | while read -r file; do
            cp "$file" "$corpus/gold-$(echo "${file#"$corpus_root"/}" | tr '/' '_')"
        done
    }
    case "$target" in
        ipc-stream) copy arrow-ipc-stream '*.stream'; copy malformed/ipc-stream '*' ;;
        ipc-file | mmap) copy arrow-ipc-stream '*.arrow_file'; copy malformed/ipc-file '*' ;;
        parquet) copy parquet-testing/data '*.parquet' 64k; copy parquet-testing/bad_data '*.parquet' 64k ;;
    esac
    echo "== $(ls "$corpus" | wc -l) seed inputs" >&2
fi

run=(-max_total_time="$seconds" -rss_limit_mb=2048 -malloc_limit_mb=1024 -timeout=20 -detect_leaks=0
     -artifact_prefix="$regressions/" -print_final_stats=1)
if [[ "${FUZZ_KEEP_GOING:-0}" == 1 ]]; then
    run+=(-fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1)
fi
log="Fuzz/Logs/$target.log"
echo "== fuzz-$target for ${seconds}s (log: $log)" >&2
status=0
"$binary" "${run[@]}" "$@" "$corpus" >"$log" 2>&1 || status=$?
grep -E '^#[0-9]+.*(cov|DONE)' "$log" | tail -1 || true
grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$log" || true
echo "corpus: $(ls "$corpus" | wc -l) inputs; findings in $regressions: $(ls "$regressions" | grep -cv "^README.md$" || true)"
if [[ $status -ne 0 ]]; then
    echo "fuzz-$target stopped with status $status: see $log and $regressions" >&2
fi
exit $status
