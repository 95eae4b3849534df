#!/bin/bash
# Runs .clusterfuzzlite/build.sh as ClusterFuzzLite would (clang, ASan, libFuzzer) from a foreign
# working directory into temporary $OUT and $WORK, checks each fuzzer's dictionary and seed
# corpus archive, and runs every fuzzer from its seed corpus for a number of inputs (a count, not a
# time: the same work on every machine).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs="${1:-2000}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export OUT="$tmp/out" WORK="$tmp/work" SRC="$tmp/src"
export CC=clang CXX=clang++ CFLAGS="-fsanitize=address,fuzzer-no-link" CXXFLAGS="-fsanitize=address,fuzzer-no-link"
export LIB_FUZZING_ENGINE="-fsanitize=fuzzer"
mkdir -p "$OUT" "$WORK" "$SRC"
(cd "$tmp" && bash "$root/.clusterfuzzlite/build.sh")
count=0
for src in "$root"/fuzz/harnesses/*.cpp; do
  name="$(basename "${src%.cpp}")"
  case "$name" in *broken*) continue ;; esac
  for f in "$OUT/$name" "$OUT/$name.dict" "$OUT/${name}_seed_corpus.zip"; do
    [ -e "$f" ] || { echo "FAIL: $f missing"; exit 1; }
  done
  mkdir -p "$tmp/corpus/$name"
  python3 -m zipfile -e "$OUT/${name}_seed_corpus.zip" "$tmp/corpus/$name"
  "$OUT/$name" -runs="$runs" -seed=1 -dict="$OUT/$name.dict" "$tmp/corpus/$name" 2>"$tmp/$name.log" || {
    tail -n 40 "$tmp/$name.log"; echo "FAIL: $name crashed"; exit 1; }
  echo "$name: $(grep -o 'Done [0-9]* runs in [0-9]* second(s)' "$tmp/$name.log" | tail -n 1)"
  count=$((count + 1))
done
echo "PASS: $count fuzzers built by build.sh and ran $runs inputs each"
