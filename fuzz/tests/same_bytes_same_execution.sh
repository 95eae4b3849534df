#!/bin/sh
# Replays one failing input twice and requires identical diagnoses (timeline, history and the
# trace of yield points): the schedule depends on the input bytes only. libFuzzer's own lines
# (process ids, addresses, timings) are left out of the comparison.
# usage: same_bytes_same_execution.sh HARNESS INPUT [HARNESS FLAGS...]
harness=$1 input=$2
shift 2
ours() {
  "$harness" "$@" "$input" 2>&1 |
    grep -vE '0x[0-9a-f]+|^==|^INFO|^MS:|artifact_prefix|^Base64|^Running|^SUMMARY|^Executed|^NOTE|^DEDUP|^replaying|^[[:space:]]*$'
}
first=$(ours "$@")
second=$(ours "$@")
if ! printf '%s\n' "$first" | grep -q 'ringcheck fuzz:'; then
  echo "FAIL: $input did not fail on $harness"; exit 1
fi
if [ "$first" != "$second" ]; then
  echo "FAIL: two replays of $input differ"; exit 1
fi
printf '%s\n' "$first" | head -n 12
echo "PASS: two replays gave the same execution"
