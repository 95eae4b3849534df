#!/bin/sh
# Passes only when the command fails with a ringcheck diagnosis (a must-fail fuzz run or the
# replay of a bug's reproducer). A clean exit means the bug was not found: the test fails.
out=$("$@" 2>&1)
status=$?
if [ "$status" -eq 0 ]; then
  printf '%s\n' "$out" | tail -n 5
  echo "FAIL: expected a crash from: $*"
  exit 1
fi
if ! printf '%s\n' "$out" | grep -q 'ringcheck fuzz:'; then
  printf '%s\n' "$out" | tail -n 30
  echo "FAIL: the command failed (status $status) without a ringcheck diagnosis"
  exit 1
fi
printf '%s\n' "$out" | grep -E 'ringcheck fuzz:|^#[0-9]+.*(NEW|DONE)|Test unit written|stat::' | tail -n 12
echo "PASS: the broken ring was caught (status $status)"
