#!/bin/bash
# Line and branch coverage of impl/ reached by the committed fuzz corpora (and regressions).
#   fuzz/coverage.sh OUTDIR [--check]
# Builds the replay drivers with clang's source-based coverage in OUTDIR, replays every corpus,
# and prints llvm-cov's report for impl/. --check fails unless lines >= 95% and branches >= 90%.
set -euo pipefail
out="${1:?usage: fuzz/coverage.sh OUTDIR [--check]}"
check="${2:-}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
profdata=$(command -v llvm-profdata-14 || command -v llvm-profdata)
cov=$(command -v llvm-cov-14 || command -v llvm-cov)

cmake -S "$root" -B "$out/build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_CXX_FLAGS="-fprofile-instr-generate -fcoverage-mapping" \
  -DCMAKE_EXE_LINKER_FLAGS="-fprofile-instr-generate" >"$out/configure.log"
ninja -C "$out/build" -j2 all_fuzzers >"$out/build.log"

rm -rf "$out/profiles" && mkdir -p "$out/profiles"
objects=()
for corpus in "$root"/fuzz/corpus/*/; do
  name="$(basename "$corpus")"
  bin="$out/build/fuzz/$name"
  [ -x "$bin" ] || continue
  inputs=("$corpus")
  [ -d "$root/fuzz/regressions/$name" ] && inputs+=("$root/fuzz/regressions/$name")
  LLVM_PROFILE_FILE="$out/profiles/$name-%p.profraw" "$bin" "${inputs[@]}" 2>/dev/null
  objects+=(-object "$bin")
done
"$profdata" merge -sparse "$out"/profiles/*.profraw -o "$out/fuzz.profdata"
"$cov" report "${objects[@]:1}" -instr-profile="$out/fuzz.profdata" "$root/impl/include" | tee "$out/coverage.txt"
"$cov" show "${objects[@]:1}" -instr-profile="$out/fuzz.profdata" -format=html -output-dir="$out/html" \
  -show-branches=count "$root/impl/include" >/dev/null
echo "HTML report: $out/html/index.html"

if [ "$check" = "--check" ]; then
  read -r lines branches < <(awk '/^TOTAL/ {print $10, $13}' "$out/coverage.txt" | tr -d '%')
  echo "impl/ coverage: lines ${lines}%, branches ${branches}% (required: 95%, 90%)"
  awk -v l="$lines" -v b="$branches" 'BEGIN { exit !(l >= 95 && b >= 90) }'
fi
