#!/bin/sh
# run_fuzz.sh: the ctest side of the fuzz targets.
#   run_fuzz.sh fuzz FUZZER SRCDIR NAME SECONDS
#       fuzzes for SECONDS over corpus/NAME and regressions/NAME; new inputs
#       and crash artifacts go to a temp dir (kept and printed on failure).
#   run_fuzz.sh replay SRCDIR FUZZER...
#       runs every file of regressions/ (all targets) and of each target's
#       own corpus once through every FUZZER, no fuzzing.
set -u
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

case "$1" in
fuzz)
    fuzzer=$2 src=$3 name=$4 secs=$5
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/kb-fuzz-$name.XXXXXX") || exit 1
    mkdir -p "$tmp/new" || exit 1
    dirs=""
    for d in "$src/corpus/$name" "$src/regressions/$name"; do
        [ -d "$d" ] && dirs="$dirs $d"
    done
    # The first corpus dir is the one libFuzzer writes to: the temp one.
    # shellcheck disable=SC2086
    "$fuzzer" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=20 -print_final_stats=1 \
        -artifact_prefix="$tmp/" "$tmp/new" $dirs
    rc=$?
    if [ $rc -ne 0 ]; then
        echo "fuzz $name failed (exit $rc); artifacts kept in $tmp" >&2
        ls -l "$tmp" >&2
        exit $rc
    fi
    rm -rf "$tmp"
    ;;
replay)
    src=$2
    shift 2
    rc=0
    for fuzzer in "$@"; do
        name=$(basename "$fuzzer" | sed 's/^fuzz_//')
        files=$(find "$src/regressions" "$src/corpus/$name" -type f 2>/dev/null | sort)
        [ -n "$files" ] || continue
        # Files given one by one: libFuzzer runs each once and writes nothing.
        # shellcheck disable=SC2086
        echo "$files" | xargs -d '\n' "$fuzzer" -rss_limit_mb=2048 -timeout=20 >/dev/null 2>"${TMPDIR:-/tmp}/kb-replay.$$" || {
            rc=1
            echo "replay through $name FAILED:" >&2
            tail -n 60 "${TMPDIR:-/tmp}/kb-replay.$$" >&2
        }
        echo "replayed $(echo "$files" | wc -l) inputs through $name"
    done
    rm -f "${TMPDIR:-/tmp}/kb-replay.$$"
    exit $rc
    ;;
*)
    echo "usage: run_fuzz.sh fuzz FUZZER SRCDIR NAME SECONDS | replay SRCDIR FUZZER..." >&2
    exit 2
    ;;
esac
