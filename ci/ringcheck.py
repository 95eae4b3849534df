#!/usr/bin/env python3
"""ringcheck: the command behind ./ringcheck (see --help)."""
import argparse
import os
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JOBS = str(max(1, os.cpu_count() or 1))

# The test suite: each build preset, the targets it builds (None: all) and the ctest labels it runs
# (None: all). g++ builds and runs everything; clang builds the rings' tests under ASan+UBSan and the
# libFuzzer binaries.
TEST_PLAN = [
    ("gcc", None, None),
    ("asan", None, "unit|example|oracle-cli|regression"),
    ("fuzz", ["all_fuzzers"], "fuzz"),
]


class UsageError(Exception):
    """Bad input from the user: reported as one line, exit 2."""


def log(msg):
    print(f"ringcheck: {msg}", flush=True)


def run(cmd, **kw):
    return subprocess.run(cmd, cwd=ROOT, **kw).returncode


def build_preset(preset, targets=None):
    """Configures the preset once (reused afterwards) and builds it; returns True on success."""
    if not os.path.exists(os.path.join(ROOT, "build", preset, "CMakeCache.txt")):
        if run(["cmake", "--preset", preset], stdout=subprocess.DEVNULL) != 0:
            return False
    cmd = ["cmake", "--build", "--preset", preset, "-j", JOBS]
    if targets:
        cmd += ["--target", *targets]
    return run(cmd) == 0


def ctest(preset, labels, extra=()):
    cmd = ["ctest", "--preset", preset, "-j", JOBS, *extra]
    if labels:
        cmd += ["-L", labels]
    return run(cmd) == 0


def cmd_test(args):
    plan = [step for step in TEST_PLAN if not args.preset or step[0] in args.preset]
    passed = failed = 0
    for preset, targets, labels in plan:
        start = time.monotonic()
        log(f"test: preset {preset}" + (f", labels {labels}" if labels else ", all labels"))
        ok = build_preset(preset, targets) and ctest(preset, labels)
        log(f"test: preset {preset} {'passed' if ok else 'FAILED'} in {time.monotonic() - start:.0f} s")
        passed, failed = passed + ok, failed + (not ok)
    print(f"presets: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


def cmd_gate(args):
    # For now the gate builds every preset of the test plan and runs the examples and checks.
    return cmd_test(args)


def parser():
    p = argparse.ArgumentParser(prog="ringcheck", description="Verify bounded ring-buffer queues.")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    t = sub.add_parser("test", help="build the presets and run the test suite (what CI runs)")
    t.add_argument("--preset", action="append", choices=[step[0] for step in TEST_PLAN],
                   help="only this preset (repeatable)")
    t.set_defaults(func=cmd_test)
    g = sub.add_parser("gate", help="the main job: build, test and check every ring")
    g.add_argument("--preset", action="append", choices=[step[0] for step in TEST_PLAN])
    g.set_defaults(func=cmd_gate)
    return p




def main(argv):
    p = parser()
    # argparse prints usage + error and exits 2 on bad options: one clear line is what we want.
    p.error = lambda message: (print(f"ringcheck: {message}", file=sys.stderr), sys.exit(2))
    for action in p._subparsers._group_actions:
        for sp in action.choices.values():
            sp.error = p.error
    args = p.parse_args(argv)
    if not getattr(args, "func", None):
        p.print_help()
        return 0
    try:
        return args.func(args)
    except UsageError as e:
        print(f"ringcheck: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
