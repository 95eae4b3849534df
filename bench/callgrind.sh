#!/usr/bin/env bash
# bench/callgrind.sh: instructions per push+pop pair for every queue, counted by callgrind.
#
# usage: bench/callgrind.sh [--out DIR] [--build-dir DIR] [--pairs N]
#
# Runs ringcheck_bench_churn (one thread, capacity 1024, batches of 32 pushes then 32 pops)
# under `valgrind --tool=callgrind` with N and 2N pairs; (Ir(2N) - Ir(N)) / N is the cost of one
# push plus one pop, without start-up and construction. Instruction counts are exact and do not
# depend on machine load, unlike timings on a shared machine; they do not show cache misses or
# contention (a 2-thread run can be slower with fewer instructions). Writes DIR/callgrind.md and
# DIR/callgrind.json (default DIR: out/bench). Exit 2 on bad options, 1 if a run fails.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/out/bench"
build_dir="$root/build/bench-release"
pairs=20000

die() { echo "bench/callgrind.sh: $1" >&2; exit "$2"; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) [[ $# -ge 2 ]] || die "option --out needs a value" 2; out="$2"; shift 2 ;;
    --build-dir) [[ $# -ge 2 ]] || die "option --build-dir needs a value" 2; build_dir="$2"; shift 2 ;;
    --pairs) [[ $# -ge 2 && "$2" =~ ^[1-9][0-9]*$ ]] || die "--pairs wants a positive integer" 2; pairs="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see --help)" 2 ;;
  esac
done
command -v valgrind >/dev/null || die "valgrind not found (apt-get install valgrind)" 1

log="$build_dir/bench-build.log"
if [[ ! -f "$build_dir/CMakeCache.txt" ]]; then
  cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release >>"$log" 2>&1 \
    || die "configuring $build_dir failed (log: $log)" 1
fi
cmake --build "$build_dir" --target ringcheck_bench_churn --parallel 2 >>"$log" 2>&1 \
  || die "building ringcheck_bench_churn failed (log: $log)" 1
churn="$build_dir/bench/ringcheck_bench_churn"

# Instructions executed by one run of the driver.
instructions() {
  local collected
  collected="$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$churn" "$1" "$2" "$3" 2>&1 \
    | sed -n 's/.*Collected : \([0-9]*\).*/\1/p')"
  [[ -n "$collected" ]] || die "callgrind run of '$1' $2 $3 failed" 1
  echo "$collected"
}

mkdir -p "$out"
md="$out/callgrind.md"
json="$out/callgrind.json"
{
  echo "Instructions per push+pop pair (callgrind, one thread, capacity 1024, batches of 32; $(g++ --version | head -1 || true))"
  echo
  echo "| queue | u64 | struct64 |"
  echo "|---|---:|---:|"
} >"$md"
echo "[" >"$json"
first=1
while IFS= read -r queue; do
  row="| $queue |"
  entry="{\"queue\": \"$queue\""
  for elem in u64 struct64; do
    one="$(instructions "$queue" "$elem" "$pairs")"
    two="$(instructions "$queue" "$elem" "$((2 * pairs))")"
    per_pair="$(awk -v a="$one" -v b="$two" -v n="$pairs" 'BEGIN { printf "%.1f", (b - a) / n }')"
    row="$row $per_pair |"
    entry="$entry, \"$elem\": $per_pair"
  done
  echo "$row" >>"$md"
  [[ $first -eq 1 ]] || echo "," >>"$json"
  printf '%s}' "$entry" >>"$json"
  first=0
  echo "$row"
done < <("$churn" --list)
echo "]" >>"$json"
echo "bench/callgrind.sh: wrote $md and $json"
