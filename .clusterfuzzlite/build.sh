#!/bin/bash -eu
# ClusterFuzzLite / OSS-Fuzz build script for ringcheck's fuzzers.
# Honours $CC $CXX $CFLAGS $CXXFLAGS $LIB_FUZZING_ENGINE; writes every fuzzer, its
# <name>_seed_corpus.zip and <name>.dict to $OUT; intermediate objects go to $WORK.
# Sources are found relative to this script, so it runs from any directory.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
: "${CXX:=clang++}" "${CXXFLAGS:=}" "${LIB_FUZZING_ENGINE:=-fsanitize=fuzzer}"
: "${OUT:?OUT must name the folder that receives the fuzzers}"
: "${WORK:=$(mktemp -d)}"
mkdir -p "$OUT" "$WORK/ringcheck-oracle"

includes=(-I"$root/impl/include" -I"$root/adapters/include" -I"$root/oracle/include" -I"$root/fuzz/include")
flags=(-std=c++20 -O1 -g -pthread)

# The oracle library, compiled once with the fuzzing flags (two compiler processes at a time).
objects=()
for src in "$root"/oracle/src/*.cpp; do
  obj="$WORK/ringcheck-oracle/$(basename "${src%.cpp}").o"
  objects+=("$obj")
  $CXX $CXXFLAGS "${flags[@]}" "${includes[@]}" -c "$src" -o "$obj" &
  while [ "$(jobs -rp | wc -l)" -ge 2 ]; do wait -n; done
done
wait

zip_corpus() {  # zip_corpus FOLDER ARCHIVE: flat zip of the seed inputs (zip, or python3 without it)
  rm -f "$2"
  if command -v zip >/dev/null; then
    (cd "$1" && zip -q -j "$2" ./*)
  else
    python3 - "$1" "$2" <<'PY'
import os, sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(dst, "w") as z:
    for name in sorted(os.listdir(src)):
        z.write(os.path.join(src, name), name)
PY
  fi
}

# Every harness except the deliberately broken ones (those exist to crash, in ctest).
for src in "$root"/fuzz/harnesses/*.cpp; do
  name="$(basename "${src%.cpp}")"
  case "$name" in *broken*) continue ;; esac
  $CXX $CXXFLAGS "${flags[@]}" "${includes[@]}" "$src" "${objects[@]}" $LIB_FUZZING_ENGINE -o "$OUT/$name" &
  while [ "$(jobs -rp | wc -l)" -ge 2 ]; do wait -n; done
done
wait

for src in "$root"/fuzz/harnesses/*.cpp; do
  name="$(basename "${src%.cpp}")"
  case "$name" in *broken*) continue ;; esac
  test -x "$OUT/$name" || { echo "build.sh: $name failed to build" >&2; exit 1; }
  cp "$root/fuzz/dict/$name.dict" "$OUT/$name.dict"
  if [ -n "$(ls -A "$root/fuzz/corpus/$name" 2>/dev/null)" ]; then
    zip_corpus "$root/fuzz/corpus/$name" "$OUT/${name}_seed_corpus.zip"
  fi
done
echo "build.sh: fuzzers written to $OUT"
