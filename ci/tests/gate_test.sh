#!/usr/bin/env bash
# The gate can fail, and what it writes when it does can be replayed and looked at:
# 1. `ringcheck gate --broken` on one ring: the real checks pass, each broken ring's check FAILs
#    (stress, model, fuzz), and the exit code is 1;
# 2. `ringcheck repro` makes each of those failures happen again (exit 1), and judges histories;
# 3. the HTML report renders in headless Chromium with the counterexamples' pictures;
# 4. bad input gets one line and exit 2.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
rc=0
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fail() { echo "gate_test: FAILED: $*"; rc=1; }
ok() { echo "gate_test: ok: $*"; }

"$root/ringcheck" gate --quick --ring spsc --broken --budget 100 --out "$out/gate" > "$out/gate.log" 2>&1
code=$?
[ $code -eq 1 ] && ok "gate with broken rings exits 1" || { fail "gate with broken rings exited $code"; tail -30 "$out/gate.log"; }
python3 - "$out/gate/report.json" <<'PY' || rc=1
import json, sys
checks = json.load(open(sys.argv[1]))["checks"]
broken = [c for c in checks if c["ring"].startswith("broken")]
real = [c for c in checks if not c["ring"].startswith("broken")]
assert len(broken) == 3 and all(c["status"] == "fail" and c["replay"] for c in broken), "each broken ring must fail with a replay"
assert all(c["svg"] for c in broken), "each broken ring's failure must have a picture"
assert all(c["status"] == "pass" for c in real), "the real checks must pass"
print("gate_test: ok: report.json: 3 broken rows failed with replay and picture, real rows passed")
PY

if [ -d "$root/.git" ] && [ -n "$(git -C "$root" status --porcelain -- fuzz/corpus)" ]; then
  fail "the gate wrote into the committed corpora: $(git -C "$root" status --porcelain -- fuzz/corpus | head -3)"
else
  ok "the committed corpora are untouched"
fi

for replay in $(python3 -c "import json,sys; print(' '.join(c['replay'].split()[-1] for c in json.load(open(sys.argv[1]))['checks'] if c['replay']))" "$out/gate/report.json"); do
  "$root/ringcheck" repro "$replay" > "$out/repro.log" 2>&1
  code=$?
  [ $code -eq 1 ] && ok "repro $(basename "$replay") happened again" || { fail "repro $replay exited $code"; tail -20 "$out/repro.log"; }
done

"$root/ringcheck" repro "$root/oracle/tests/cli/pop_before_push.txt" > "$out/h.log" 2>&1
[ $? -eq 1 ] && grep -q "picture:" "$out/h.log" && ok "repro judges a violating history" || fail "repro of a violating history"
"$root/ringcheck" repro "$root/oracle/tests/cli/valid.txt" > "$out/h.log" 2>&1
[ $? -eq 0 ] && ok "repro judges a valid history" || fail "repro of a valid history"
"$root/ringcheck" check-history "$root/oracle/tests/cli/bad_header.txt" > /dev/null 2> "$out/err"
[ $? -eq 2 ] && [ "$(wc -l < "$out/err")" -eq 1 ] && ok "check-history: malformed history, one line, exit 2" || fail "check-history on a malformed history"
"$root/ringcheck" check-history --jobs 2 "$root/oracle/tests/cli/valid.txt" > "$out/h.log" 2>&1
[ $? -eq 0 ] && grep -q "^ok: 7 operations" "$out/h.log" && ok "check-history --jobs 2 judges a valid history" || fail "check-history --jobs 2"

python3 "$root/ci/tests/report_render_test.py" "$out/gate" || fail "the report does not render"

bad() {  # one line on standard error and exit 2
  "$root/ringcheck" "$@" > /dev/null 2> "$out/err"
  local code=$?
  [ $code -eq 2 ] && [ "$(wc -l < "$out/err")" -eq 1 ] && ok "bad input: ringcheck $*" || { fail "ringcheck $* exited $code with: $(cat "$out/err")"; }
}
bad gate --ring nosuch
for budget in -5 0 nan inf 1e99 ten 5; do bad gate --budget "$budget"; done  # 5: below the stages' floors
for seconds in -1 0 nan inf 1e99; do bad sanitize --seconds "$seconds"; done
bad gate --frobnicate
bad sanitize --ring nosuch
bad repro "$out/does-not-exist"
mkdir -p "$out/empty"; bad repro "$out/empty"
printf 'ringcheck-model-replay 2\nbinary ringcheck-models\n' > "$out/old.replay"; bad repro "$out/old.replay"
printf 'hello\n' > "$out/random-crash-file"; bad repro "$out/random-crash-file"
bad check-history "$out/does-not-exist"
bad check-history --jobs 0 "$root/oracle/tests/cli/valid.txt"
exit $rc
