#!/usr/bin/env bash
# Installs what ringcheck needs from Debian's packages, only what is missing, quietly.
# Safe to run again: it does nothing when everything is there.
set -euo pipefail

packages=(
  ca-certificates git python3 cmake ninja-build g++ clang libclang-rt-14-dev llvm-14
  libgtest-dev libbenchmark-dev relacy-dev
  libboost-dev libatomic-queue-dev libreaderwriterqueue-dev libconcurrentqueue-dev libtbb-dev
  valgrind zip chromium
)

missing=()
for p in "${packages[@]}"; do
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" = installed ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "ringcheck setup: missing Debian packages (${missing[*]}); run as root or: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "ringcheck setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
