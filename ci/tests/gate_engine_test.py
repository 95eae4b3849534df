#!/usr/bin/env python3
"""The gate's engine keeps its promises: a stopped stage leaves no process behind, a hanging test is
reported as hung with its own output first, an undecided verdict is its own status, rounds stop
within the share, and every test of the builds has a timeout that fits it.

Run: python3 ci/tests/gate_engine_test.py [BUILD_ROOT]   (the timeout check needs BUILD_ROOT/gcc)"""
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import gate  # noqa: E402
import report  # noqa: E402

failures = []


def expect(condition, what):
    print(f"gate_engine_test: {'ok' if condition else 'FAILED'}: {what}")
    if not condition:
        failures.append(what)


def quiet(_):
    pass


def processes_with(marker):
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if marker.encode() in f.read():
                    found.append(int(pid))
        except OSError:
            pass
    return found


def stopped_stage_leaves_nothing_running():
    """A stage whose command started a child, a grandchild that left for init (double fork) and
    one that started a session of its own, all spinning or sleeping past the share."""
    marker = f"ringcheck-test-{uuid.uuid4().hex}"
    sleeper = f"exec -a {marker} sleep 600"
    spinner = f"exec -a {marker} sh -c 'while :; do :; done'"
    script = (f"({sleeper}) & ( ( {spinner} ) & ) ; setsid sh -c \"{sleeper}\" & "
              f"echo started; {sleeper}")
    check = gate.Check("test", "stopped-stage", fixed=[["bash", "-c", script]], floor=1)
    result = check.run(1.0, quiet)
    time.sleep(0.2)
    left = processes_with(marker)
    expect(result["status"] == "fail" and "HUNG" in result["detail"], "a stage past its share is a failure marked HUNG")
    expect(not left, f"no process of a stopped stage survives it (found {left})")
    for pid in left:
        os.kill(pid, 9)


def stragglers_of_a_finished_command_are_stopped():
    marker = f"ringcheck-test-{uuid.uuid4().hex}"
    check = gate.Check("test", "stragglers", fixed=[["bash", "-c", f"(exec -a {marker} sleep 600) & exit 0"]], floor=1)
    result = check.run(10.0, quiet)
    time.sleep(0.2)
    expect(result["status"] == "pass", "a command that exits 0 passes")
    expect(not processes_with(marker), "what a finished command left running is stopped with it")


CTEST_OUTPUT = """Test project /build
      Start  1: fast.one
 1/4 Test  #1: fast.one .........................   Passed    0.01 sec
      Start  2: ring.hangs
      Start  3: fast.two
 2/4 Test  #3: fast.two .........................   Passed    0.01 sec
      Start  6: fast.skipped
 2/4 Test  #6: fast.skipped .....................***Skipped   0.00 sec
      Start  4: ring.wrong_answer
 3/4 Test  #4: ring.wrong_answer ................***Failed    0.02 sec
expected 3, got 4 at pop 17
      Start  5: Typed.case<Typed/spsc.  # TypeParam = ring_of<spsc>>
 4/5 Test  #5: Typed.case<Typed/spsc.  # TypeParam = ring_of<spsc>> ...***Failed    0.02 sec
typed failure output
 4/4 Test  #2: ring.hangs .......................***Timeout  10.01 sec
waiting for the consumer

50% tests passed, 2 tests failed out of 4

The following tests FAILED:
	  2 - ring.hangs (Timeout)
	  4 - ring.wrong_answer (Failed)
Errors while running CTest
""" + "".join(f" {i}/9 Test  #{i}: later.pass{i} ......   Passed    0.01 sec\n" for i in range(1, 120))


def failed_tests_come_first():
    detail = gate.failure_first(CTEST_OUTPUT)
    head = detail.split("---- last lines")[0]
    expect("ring.hangs: HUNG" in head and "waiting for the consumer" in head,
           "a test stopped by its timeout is named as hung, with its own output")
    expect("ring.wrong_answer: Failed" in head and "expected 3, got 4" in head,
           "a failed test is named, with its own output")
    expect("Typed.case<Typed/spsc.  # TypeParam = ring_of<spsc>>: Failed" in head and "typed failure output" in head,
           "a typed test's name with spaces is named whole, with its own output")
    expect("fast.one" not in head and "later.pass" not in head and "fast.skipped" not in head,
           "passing and skipped tests are not in the failure's part")


WORK = tempfile.TemporaryDirectory(prefix="ringcheck-gate-engine-")


def ctest_project(tests):
    """A configured CMake project with these add_test() lines; returns its build folder."""
    source = tempfile.mkdtemp(dir=WORK.name)
    with open(os.path.join(source, "CMakeLists.txt"), "w") as f:
        f.write("cmake_minimum_required(VERSION 3.25)\nproject(tests NONE)\nenable_testing()\n" + tests)
    subprocess.run(["cmake", "-S", source, "-B", os.path.join(source, "b")], capture_output=True, check=True)
    return os.path.join(source, "b")


def tests_running_when_ctest_is_stopped_are_named_hung():
    """Several tests hang longer than the stage's share: ctest itself is stopped, and the tests
    it was running are named as hung (no result line would otherwise say so)."""
    tests = ctest_project("add_test(NAME ring.passes COMMAND true)\n"
                          "add_test(NAME ring.hangs_one COMMAND sleep 600)\nadd_test(NAME ring.hangs_two COMMAND sleep 600)\n")
    check = gate.Check("test", "unit", fixed=[["ctest", "--test-dir", tests, "-j", "3"]], floor=1)
    result = check.run(1.0, quiet)
    head = result["detail"].split("---- last lines")[0]
    expect(result["status"] == "fail" and "ring.hangs_one: HUNG (still running" in head
           and "ring.hangs_two: HUNG (still running" in head and "ring.passes" not in head,
           "tests still running when the stage was stopped are named as hung, passed ones are not")


def hanging_test_fails_by_its_timeout():
    """A real ctest project whose test hangs: its 2 s timeout stops it, and the gate says hung."""
    tests = ctest_project("add_test(NAME ring.hangs COMMAND sleep 600)\n"
                          "set_tests_properties(ring.hangs PROPERTIES TIMEOUT 2)\nadd_test(NAME ring.passes COMMAND true)\n")
    check = gate.Check("test", "unit", fixed=[["ctest", "--test-dir", tests, "--output-on-failure"]], floor=1)
    result = check.run(60.0, quiet)
    expect(result["status"] == "fail" and "ring.hangs: HUNG" in result["detail"], "a hanging ctest test is reported as hung")
    expect("HUNG: `ctest" not in result["detail"], "it is stopped by its own timeout, not by the stage's share")


def undecided_is_its_own_status():
    check = gate.Check("test", "oracle", fixed=[["sh", "-c", "echo 'undecided: ops 10-20'; exit 3"]], floor=1)
    result = check.run(5.0, quiet)
    expect(result["status"] == "undecided", "exit 3 with an 'undecided:' line is an undecided row")
    plain_three = gate.Check("test", "x", fixed=[["sh", "-c", "exit 3"]], floor=1).run(5.0, quiet)
    expect(plain_three["status"] == "fail", "exit 3 without the line is a failure, not a way to pass")
    passing = gate.Check("test", "y", fixed=[["true"]], floor=1).run(5.0, quiet)
    expect(gate.verdict([passing, result]) == "UNDECIDED", "a gate with an undecided row is UNDECIDED, not PASS")
    expect(gate.verdict([passing, result, plain_three]) == "FAIL", "a failure outweighs an undecided row")
    out = tempfile.mkdtemp(dir=WORK.name)
    meta = {"mode": "quick", "verdict": "undecided", "passed": False, "seconds": 1, "checking_seconds": 1,
            "budget_seconds": 1, "undecided": 1, "machine": "test", "commit": "test"}
    report.write_all(out, meta, [passing, result])
    with open(os.path.join(out, "junit.xml")) as f:
        junit = f.read()
    expect('skipped="1"' in junit and 'failures="0"' in junit, "junit counts undecided as skipped, not failed")
    with open(os.path.join(out, "report.md")) as f:
        expect("UNDECIDED, 1 undecided" in f.read().splitlines()[0], "report.md's headline counts undecided rows")


def rounds_stop_within_the_share():
    check = gate.Check("test", "rounds", rounds=lambda k, remaining, last: ["sleep", "0.2"], floor=1)
    result = check.run(2.0, quiet)
    rounds = int(result["explored"].split("; ")[-1].split()[0]) if "rounds" in result["explored"] else 1
    expect(result["status"] == "pass" and 2 <= rounds <= 10, f"rounds repeat while the share allows ({rounds} rounds)")


def a_round_stopped_at_the_end_of_the_share_is_left_out():
    marker = f"ringcheck-test-{uuid.uuid4().hex}"
    slow = ["bash", "-c", f"echo 'judged 999'; exec -a {marker} sleep 600"]
    check = gate.Check("test", "rounds", rounds=lambda k, remaining, last: ["echo", "judged 1"] if k == 0 else slow,
                       counts={"judged": r"judged (\d+)"}, floor=1)
    result = check.run(2.0, quiet)
    time.sleep(0.2)
    expect(result["status"] == "pass" and result["counts"] == {"judged": 1} and "not counted" in result["explored"],
           f"a round stopped unfinished is not counted and is said so ({result['status']}, {result['counts']})")
    expect(not processes_with(marker), "nothing of the stopped round survives")


def every_test_has_a_timeout_that_fits(build_root):
    gcc = os.path.join(build_root, "gcc")
    if not os.path.exists(os.path.join(gcc, "CTestTestfile.cmake")):
        print(f"gate_engine_test: skipped: the timeout check needs a configured {gcc}")
        return
    shown = subprocess.run(["ctest", "--test-dir", gcc, "--show-only=json-v1"], capture_output=True, text=True)
    tests = json.loads(shown.stdout)["tests"]
    limits = {"unit": 60, "example": 20, "oracle-cli": 30}
    too_long = []
    for t in tests:
        props = {p["name"]: p["value"] for p in t.get("properties", [])}
        for label in props.get("LABELS", []):
            if label in limits and not 0 < float(props.get("TIMEOUT", 0)) <= limits[label]:
                too_long.append(f"{t['name']} ({label}, timeout {props.get('TIMEOUT', 'none')})")
    expect(not too_long,
           f"every unit, example and oracle-cli test has a timeout that fits it ({len(tests)} tests; "
           f"too long or none: {too_long[:5]})")


def main():
    stopped_stage_leaves_nothing_running()
    stragglers_of_a_finished_command_are_stopped()
    failed_tests_come_first()
    hanging_test_fails_by_its_timeout()
    tests_running_when_ctest_is_stopped_are_named_hung()
    undecided_is_its_own_status()
    rounds_stop_within_the_share()
    a_round_stopped_at_the_end_of_the_share_is_left_out()
    every_test_has_a_timeout_that_fits(sys.argv[1] if len(sys.argv) > 1 else os.path.join(gate.ROOT, "build"))
    print(f"gate_engine_test: {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
