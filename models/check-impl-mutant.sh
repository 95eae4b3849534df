#!/bin/sh
# Usage: models/check-impl-mutant.sh PATCH [BUILD_DIR]
# Proves that the models catch a change made to impl/ from outside: copies the source tree (without
# build/), applies PATCH (paths relative to impl/, -p1) to the copy's impl/, builds the model runner
# against it and runs the real-ring models. Exit 0 when the models FAIL (the mutant is caught),
# 1 when they all pass (it survived), 2 on bad input.
set -eu
patch_file=${1:?usage: check-impl-mutant.sh PATCH [BUILD_DIR]}
[ -f "$patch_file" ] || { echo "check-impl-mutant.sh: no such patch: $patch_file" >&2; exit 2; }
patch_file=$(cd "$(dirname "$patch_file")" && pwd)/$(basename "$patch_file")
root=$(cd "$(dirname "$0")/.." && pwd)
work=${2:-$(mktemp -d)}
mkdir -p "$work/src"
tar -C "$root" --exclude=./build --exclude=./.git -cf - . | tar -C "$work/src" -xf -
patch -p1 --batch --silent -d "$work/src/impl" -i "$patch_file" || { echo "check-impl-mutant.sh: patch does not apply to impl/" >&2; exit 2; }
cmake -S "$work/src" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRINGCHECK_MUTATION_MATRIX=OFF >/dev/null
ninja -C "$work/build" ringcheck-models >/dev/null
caught=0
for ring in spsc mpmc locked; do
  if "$work/build/models/ringcheck-models" run "${ring}_*" --replay-out "$work/$ring.replay" >"$work/$ring.log" 2>&1; then
    echo "$ring models: pass"
  else
    echo "$ring models: FAIL ($(grep -m1 '^FAILED' "$work/$ring.log")); replay file $work/$ring.replay"
    caught=1
  fi
done
[ "$caught" = 1 ] && { echo "caught: the models fail on the patched impl/"; exit 0; }
echo "SURVIVED: every model passed on the patched impl/"
exit 1
