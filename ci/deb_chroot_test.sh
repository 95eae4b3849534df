#!/usr/bin/env bash
# Opt-in, minutes, needs root and Debian's archive: the .deb in a bare Debian bookworm.
#   ci/deb_chroot_test.sh [BUILD_DIR (default build/gcc, built)] [CHROOT_DIR (default: a new temp folder)]
# Builds the package with cpack, makes a bare bookworm (debootstrap --variant=minbase), installs the
# package there with apt (which brings its dependencies), then configures, builds and checks
# examples/own_queue inside it: its ctest passes the article's ring and catches the broken one, and
# the installed `ringcheck gate` passes the one and fails the other. Prints how long each step took.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$here/build/gcc}" && pwd)
root=${2:-$(mktemp -d /tmp/ringcheck-bookworm.XXXXXX)}
[ "$(id -u)" -eq 0 ] || { echo "deb_chroot_test: needs root (debootstrap, chroot)" >&2; exit 2; }
command -v debootstrap >/dev/null || { echo "deb_chroot_test: needs debootstrap (apt-get install debootstrap)" >&2; exit 2; }

timed() {  # timed LABEL COMMAND...: runs it, prints the seconds it took, returns its exit code
  local label=$1 start=$SECONDS rc=0
  shift
  "$@" || rc=$?
  echo "deb_chroot_test: $label took $((SECONDS - start)) s"
  return $rc
}
mounted=()
cleanup() {
  for m in "${mounted[@]}"; do umount -l "$m" 2>/dev/null || true; done
}
trap cleanup EXIT

timed "cpack (the .deb)" bash -c "cd '$build' && cpack -G DEB >/dev/null"
deb=$(ls -t "$build"/ringcheck_*_amd64.deb | head -1)
echo "deb_chroot_test: package $deb ($(du -h "$deb" | cut -f1))"
if [ ! -x "$root/usr/bin/apt-get" ]; then
  timed "debootstrap --variant=minbase bookworm" debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >/dev/null
fi
mount -t proc proc "$root/proc" && mounted+=("$root/proc")   # the sanitizers read /proc/self/maps
cp /etc/resolv.conf "$root/etc/resolv.conf"
rm -rf "$root/work" && mkdir -p "$root/work"
cp "$deb" "$root/work/"
cp -r "$here/examples/own_queue" "$root/work/own_queue"

in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root DEBIAN_FRONTEND=noninteractive "$@"; }
timed "apt-get install ./$(basename "$deb") (and its dependencies)" \
  in_root bash -c "apt-get update -qq && apt-get install -y -qq --no-install-recommends ninja-build ./work/$(basename "$deb") >/dev/null"
timed "configure and build examples/own_queue" \
  in_root bash -c "cmake -S /work/own_queue -B /work/build -G Ninja >/dev/null && cmake --build /work/build -j 2 >/dev/null"
timed "ctest: the article's ring passes" in_root ctest --test-dir /work/build -j 2 -R '^ringcheck[.]article_ring[.]'
set +e
timed "ctest: the broken ring is caught" in_root bash -c "ctest --test-dir /work/build -j 2 -R '^ringcheck[.]article_ring_broken[.]' >/dev/null"
caught=$?
set -e
[ "$caught" -ne 0 ] || { echo "deb_chroot_test: FAILED: the broken ring passed its ctest" >&2; exit 1; }
timed "ringcheck gate on the article's ring (PASS)" \
  in_root bash -c "set -o pipefail; cd /work && ringcheck gate --build /work/build --queue article_ring --budget 24 | tail -3"
set +e
timed "ringcheck gate on the broken ring (FAIL)" \
  in_root bash -c "cd /work && ringcheck gate --build /work/build --queue article_ring_broken --budget 24 | tail -8"
set -e
in_root python3 -c "import json,sys; d=json.load(open('/work/ringcheck-out/gate/report.json')); sys.exit(0 if d['verdict'] == 'fail' else 1)" \
  || { echo "deb_chroot_test: FAILED: the gate did not fail the broken ring" >&2; exit 1; }
timed "the gate's replay commands reproduce" in_root python3 -c "
import json, shlex, subprocess, sys
checks = json.load(open('/work/ringcheck-out/gate/report.json'))['checks']
replays = [c['replay'] for c in checks if c['status'] == 'fail' and c.get('replay')]
codes = [subprocess.run(shlex.split(r), cwd='/work', capture_output=True).returncode for r in replays]
print('\n'.join(f'  exit {c}: {r}' for r, c in zip(replays, codes)))
sys.exit(0 if replays and all(c == 1 for c in codes) else 1)"
echo "deb_chroot_test: passed (chroot $root)"
