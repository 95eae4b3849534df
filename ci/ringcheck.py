#!/usr/bin/env python3
"""ringcheck: the command behind ./ringcheck (see --help)."""
import argparse
import glob
import os
import re
import shlex
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gate  # noqa: E402

ROOT = gate.ROOT
JOBS = str(max(1, os.cpu_count() or 1))
BUILD = os.path.join(ROOT, "build")

# The test suite: each build preset, the targets it builds (None: all) and the ctest labels it runs
# (None: all). g++ builds and runs everything; clang builds everything too, runs the rings' tests
# under ASan+UBSan and under TSan, and builds and runs the libFuzzer binaries.
TEST_PLAN = [
    ("gcc", None, None),
    ("clang", None, "unit|example|model|stress"),
    ("asan", None, "unit|example|oracle-cli|regression"),
    ("tsan", None, "unit|example"),
    ("fuzz", ["all_fuzzers"], "fuzz"),
]

# After the presets: the gate's own tests (it can fail, replays, reports render, bad input).
GATE_TESTS = [["python3", "ci/tests/report_render_test.py"], ["bash", "ci/tests/gate_test.sh"]]

RINGS = ["spsc", "mpmc", "locked"]
# Per ring: the stress configuration (threads, capacity, operation mix) and the fuzz harnesses.
STRESS = {
    "spsc": ["--producers", "1", "--consumers", "1", "--capacity", "2", "--perturb"],
    "mpmc": ["--producers", "4", "--consumers", "4", "--capacity", "4", "--perturb"],
    "locked": ["--producers", "4", "--consumers", "4", "--capacity", "2", "--mix", "try,blocking,timed", "--perturb"],
}
# Runs bounded by operations rather than time: a close ends a timed run as soon as it happens.
STRESS_BY_OPS = {
    "locked": [["--producers", "4", "--consumers", "4", "--capacity", "2", "--mix", "try,blocking,timed,close",
                "--perturb", "--ops", "20000"]],
}
FUZZERS = {r: [f"seq_{r}_small", f"seq_{r}_large", f"sched_{r}"] for r in RINGS}
# The packaged peers (ringcheck gate --peers): stress-runner name -> threads. Reported, not gated.
PEERS = {
    "boost-spsc": ["--producers", "1", "--consumers", "1"],
    "boost-queue": ["--producers", "4", "--consumers", "4"],
    "atomic-queue2": ["--producers", "4", "--consumers", "4"],
    "reader-writer-queue": ["--producers", "1", "--consumers", "1"],
    "concurrent-queue": ["--producers", "4", "--consumers", "4"],
    "tbb-bounded-queue": ["--producers", "4", "--consumers", "4"],
}
MODES = {"quick": 200, "default": 720, "deep": 3600}  # seconds of checking after the build


class UsageError(Exception):
    """Bad input from the user: reported as one line, exit 2."""


def log(msg):
    print(f"ringcheck: {msg}", flush=True)


def run(cmd, quiet=False, **kw):
    out = subprocess.DEVNULL if quiet else None
    return subprocess.run(cmd, cwd=ROOT, stdout=out, stderr=out, **kw).returncode


def build_preset(preset, targets=None, quiet=False):
    """Configures the preset once (reused afterwards) and builds it; returns True on success."""
    if not os.path.exists(os.path.join(BUILD, preset, "CMakeCache.txt")):
        if run(["cmake", "--preset", preset], quiet=True) != 0:
            return False
    cmd = ["cmake", "--build", "--preset", preset, "-j", JOBS]
    if targets:
        cmd += ["--target", *targets]
    if quiet:
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        if proc.returncode != 0:
            sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-2000:])
        return proc.returncode == 0
    return run(cmd) == 0


def require_build(preset, targets):
    if not build_preset(preset, targets, quiet=True):
        raise UsageError(f"could not build {', '.join(targets)} (preset {preset}); see the compiler output above")


def tool(preset, *parts):
    return os.path.join(BUILD, preset, *parts)


def ctest(preset, labels, extra=()):
    cmd = ["ctest", "--preset", preset, "-j", JOBS, *extra]
    if labels:
        cmd += ["-L", labels]
    return run(cmd) == 0


# ---- test ----

def cmd_test(args):
    plan = [step for step in TEST_PLAN if not args.preset or step[0] in args.preset]
    passed = failed = 0
    for preset, targets, labels in plan:
        start = time.monotonic()
        log(f"test: preset {preset}" + (f", labels {labels}" if labels else ", all labels"))
        ok = build_preset(preset, targets) and ctest(preset, labels)
        log(f"test: preset {preset} {'passed' if ok else 'FAILED'} in {time.monotonic() - start:.0f} s")
        passed, failed = passed + ok, failed + (not ok)
    if not args.preset:  # the gate itself, end to end, on the builds above
        for script in GATE_TESTS:
            log(f"test: {' '.join(script)}")
            ok = run(script) == 0
            log(f"test: {script[-1]} {'passed' if ok else 'FAILED'}")
            passed, failed = passed + ok, failed + (not ok)
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


# ---- gate ----

def ring_names(names):
    rings = []
    for name in names or RINGS:
        short = name.removesuffix("_ring")
        if short not in RINGS:
            raise UsageError(f"unknown ring '{name}' (choose from {', '.join(RINGS)})")
        rings.append(short)
    return rings


def stress_check(ring, config, seconds_share, out, counts, gated=True, label=None):
    binary = tool("gcc", "sanitizers", f"ringcheck-stress-{config}")
    threads = STRESS.get(ring) or PEERS[ring] + ["--capacity", "4"]

    def commands(budget):
        # Judging and the sanitizer's start-up cost about as much again as running: a quarter of the share runs.
        seed = ["--seed", str(int(time.time()) % 100000), "--out", os.path.join(out, "stress")]
        by_ops = [[binary, "--ring", ring, *args, *seed] for args in STRESS_BY_OPS.get(ring, [])]
        return by_ops + [[binary, "--ring", ring, *threads, "--seconds", str(max(1, int(budget / 4))), *seed]]
    return gate.Check(label or f"{ring}_ring", f"stress-{config}", commands, counts=counts, weight=seconds_share, gated=gated)


def fuzz_check(ring, out):
    harnesses = FUZZERS[ring]

    def commands(budget):
        each = max(2, int(budget / len(harnesses)) - 1)
        cmds = []
        for h in harnesses:
            cmds.append([tool("fuzz", "fuzz", h), new_corpus(out, h), os.path.join(ROOT, "fuzz", "corpus", h),
                         f"-dict={os.path.join(ROOT, 'fuzz', 'dict', h + '.dict')}", f"-max_total_time={each}",
                         f"-artifact_prefix={os.path.join(out, 'fuzz', h)}-", "-print_final_stats=1"])
        return cmds
    return gate.Check(f"{ring}_ring", "fuzz", commands, counts={"execs": r"Done (\d+) runs"}, weight=2,
                      replay=lambda text: fuzz_replay_hint(text))


def new_corpus(out, harness):
    """Where libFuzzer writes what it finds (its first corpus folder): the gate's output, never
    the committed corpus."""
    folder = os.path.join(out, "fuzz", "corpus", harness)
    os.makedirs(folder, exist_ok=True)
    return folder


def fuzz_replay_hint(text):
    m = re.findall(r"Test unit written to (\S+)", text)
    return f"./ringcheck repro {m[-1]}" if m else None


def gate_checks(args, rings, out):
    checks = [gate.Check("all rings", "unit", [["ctest", "--preset", "gcc", "-j", JOBS, "-L", "unit|example|oracle-cli",
                                                "--output-on-failure"]],
                         counts={"tests": r"tests failed out of (\d+)"}, weight=0.3)]
    stress_counts = {"operations": r"(\d+) operations checked"}
    for ring in rings:
        checks.append(gate.Check(f"{ring}_ring", "models", [[tool("gcc", "models", "ringcheck-models"), "run", f"{ring}_*"]],
                                 counts={"iterations": r"(\d+) iterations"}, weight=0.3))
        checks.append(fuzz_check(ring, out))
        checks.append(stress_check(ring, "tsan", 1.5, out, stress_counts))
        checks.append(stress_check(ring, "asan", 1, out, stress_counts))
    if args.broken:
        checks += broken_checks(out)
    if args.mode == "deep":
        checks.append(gate.Check("spsc, mpmc, locked", "mutation-matrix",
                                 [["ctest", "--preset", "gcc", "-L", "mutation", "--output-on-failure"]],
                                 counts={"mutants": r"(\d+) mutants"}, weight=1))
    if args.peers:
        for peer in PEERS:
            checks.append(stress_check(peer, "tsan", 0.5, out, stress_counts, gated=False, label=peer))
            checks.append(stress_check(peer, "release", 0.5, out, stress_counts, gated=False, label=peer))
    return checks


def broken_checks(out):
    """The deliberately broken rings kept in the test code, one per explorer: the gate must fail on
    each (ringcheck gate --broken proves that it can, and shows what a failure looks like)."""
    model = tool("gcc", "models", "mutants", "mpmc_vyukov_empty", "ringcheck-models-mutant-mpmc_vyukov_empty")
    found = glob.glob(os.path.join(BUILD, "gcc", "models", "**", "ringcheck-models-mutant-mpmc_vyukov_empty"), recursive=True)
    model = found[0] if found else model
    replay_file = os.path.join(out, "mpmc_vyukov_empty.replay")
    return [
        gate.Check("broken: mpmc full one early", "stress-release",
                   [[tool("gcc", "sanitizers", "ringcheck-stress-mutants-release"), "--ring", "mpmc-full-one-early",
                     "--producers", "2", "--consumers", "2", "--capacity", "2", "--ops", "20000",
                     "--repeat-until-fail", "--budget", "30", "--out", os.path.join(out, "stress")]],
                   counts={"operations": r"(\d+) operations"}, weight=0.2,
                   replay=lambda text: stress_replay_hint(text)),
        gate.Check("broken: mpmc original Vyukov", "models",
                   [[model, "run", "mpmc_*", "--replay-out", replay_file]],
                   counts={"iterations": r"after (\d+) iterations"}, weight=0.2,
                   replay=lambda text: f"./ringcheck repro {replay_file}"),
        gate.Check("broken: mpmc original Vyukov", "fuzz",
                   [[tool("fuzz", "fuzz", "sched_mpmc_broken_vyukov"), new_corpus(out, "sched_mpmc_broken_vyukov"),
                     os.path.join(ROOT, "fuzz", "corpus", "sched_mpmc"), "-runs=100000", f"-artifact_prefix={os.path.join(out, 'fuzz', 'sched_mpmc_broken_vyukov')}-"]],
                   counts={"execs": r"Done (\d+) runs"}, weight=0.2,
                   replay=lambda text: fuzz_replay_hint(text),
                   env={"RINGCHECK_FUZZ_SVG": os.path.join(out, "fuzz", "sched_mpmc_broken_vyukov.svg")}),
    ]


def stress_replay_hint(text):
    m = re.findall(r"reproducer: (\S+)", text)
    return f"./ringcheck repro {m[-1]}" if m else None


def gate_targets(args):
    gcc = ["ring_contract_test", "locked_ring_test", "lock_free_ring_test", "example_one_to_one",
           "example_many_to_many", "ringcheck-lincheck", "ringcheck_oracle_tests", "ringcheck-models",
           "ringcheck-stress-tsan", "ringcheck-stress-asan"]
    if args.peers:
        gcc.append("ringcheck-stress-release")
    if args.broken:
        gcc += ["ringcheck-stress-mutants-release", "ringcheck-models-mutant-mpmc_vyukov_empty"]
    if args.mode == "deep":
        gcc.append("all")
    return [("gcc", gcc), ("fuzz", ["all_fuzzers"])]


def cmd_gate(args):
    rings = ring_names(args.ring)
    budget = args.budget if args.budget is not None else MODES[args.mode]
    if budget <= 0:
        raise UsageError("--budget must be a positive number of seconds")
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    start = time.monotonic()
    build_results = []
    for preset, targets in gate_targets(args):
        log(f"build: preset {preset} ({len(targets)} targets; reused where built before)")
        t0 = time.monotonic()
        ok = build_preset(preset, targets, quiet=True)
        build_results.append({"ring": "all rings", "checker": f"build ({preset})", "status": "pass" if ok else "fail",
                              "gated": True, "counts": {}, "seconds": time.monotonic() - t0,
                              "detail": "" if ok else f"cmake --build --preset {preset} failed", "svg": None, "replay": None})
        if not ok:
            gate.finish(build_results, args.mode, budget, out, log, time.monotonic() - start)
            return 1
    log(f"build done in {time.monotonic() - start:.0f} s; checking {', '.join(rings)} with a budget of {budget:.0f} s")
    verdict = gate.run_checks(gate_checks(args, rings, out), budget, args.mode, out, log, prefix=build_results,
                              started=start)
    return {"PASS": 0, "FAIL": 1, "UNDECIDED": 3}[verdict]


# ---- sanitize ----

def cmd_sanitize(args):
    rings = ring_names(args.ring)
    configs = [c for c, on in (("tsan", args.tsan), ("asan", args.asan)) if on] or ["tsan", "asan"]
    if args.seconds <= 0:
        raise UsageError("--seconds must be above 0")
    require_build("gcc", [f"ringcheck-stress-{c}" for c in configs])
    failures = undecided = 0
    for config in configs:
        for ring in rings:
            log(f"sanitize: {ring}_ring under {config} for {args.seconds} s")
            code = run([tool("gcc", "sanitizers", f"ringcheck-stress-{config}"), "--ring", ring, *STRESS[ring],
                        "--seconds", str(args.seconds), "--out", os.path.join(ROOT, "out", "sanitize")])
            undecided += code == 3  # the oracle's budget ran out: neither pass nor failure
            failures += code not in (0, 3)
    runs = len(configs) * len(rings)
    print(f"sanitize: {runs - failures - undecided} passed, {failures} failed, {undecided} undecided")
    return 1 if failures else 3 if undecided else 0


# ---- check-history ----

def cmd_check_history(args):
    require_build("gcc", ["ringcheck-lincheck"])
    cmd = [tool("gcc", "oracle", "ringcheck-lincheck")]
    if args.contract:
        cmd += ["--contract", args.contract]
    if args.svg:
        cmd += ["--svg", args.svg]
    if args.budget_steps:
        cmd += ["--budget-steps", args.budget_steps]
    if args.budget_seconds:
        cmd += ["--budget-seconds", args.budget_seconds]
    return run(cmd + [args.file])


# ---- repro ----

def first_line(path):
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
    except OSError as e:
        raise UsageError(f"cannot read '{path}': {e.strerror}")
    for line in head.decode("utf-8", "replace").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            return line.strip()
    return ""


def repro_stress(folder):
    failure = os.path.join(folder, "failure.txt")
    try:
        text = open(failure).read()
    except OSError:
        raise UsageError(f"'{folder}' is a stress reproducer without failure.txt (the run did not finish writing it)")
    m = re.search(r"^replay: (.+)$", text, re.M)
    if not m:
        raise UsageError(f"'{failure}' names no replay command")
    cmd = shlex.split(m.group(1))
    binary = os.path.basename(cmd[0])
    require_build("gcc", [binary])
    cmd[0] = tool("gcc", "sanitizers", binary)
    log(f"repro: replaying {folder} with {binary} until the failure recurs (budget 120 s)")
    code = run(cmd + ["--budget", "120"])
    for name in ("counterexample.txt", "counterexample.svg"):
        path = os.path.join(folder, name)
        if os.path.exists(path):
            log(f"repro: {name}: {path}")
    return code


def repro_model(path):
    fields = dict(line.split(" ", 1) for line in open(path).read().splitlines()[1:] if " " in line)
    binary = os.path.basename(fields.get("binary", "ringcheck-models").strip())
    if not re.fullmatch(r"ringcheck-models[-\w]*", binary):
        raise UsageError(f"'{path}': unknown model binary '{binary}'")
    require_build("gcc", [binary])
    found = glob.glob(os.path.join(BUILD, "gcc", "models", "**", binary), recursive=True)
    if not found:
        raise UsageError(f"'{path}': model binary {binary} was not built")
    log(f"repro: replaying model {fields.get('model', '?').strip()} with {binary}")
    proc = subprocess.run([found[0], "replay", path], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, errors="replace")
    sys.stdout.write(proc.stdout)
    if proc.returncode == 2:
        return 2
    reproduced = re.search(r"^reproduced: (\S+)", proc.stdout, re.M)
    history = re.search(r"^(ringcheck-history 1 .*?)(?=^----|\Z)", proc.stdout, re.M | re.S)
    if reproduced and history:
        draw_history(history.group(1), os.path.basename(path))
    log("repro: the failure " + ("happened again" if reproduced else "did NOT happen again"))
    return 1 if reproduced else 0


def draw_history(text, name):
    """Writes a counterexample history and its picture (the oracle's SVG) under out/repro/."""
    folder = os.path.join(ROOT, "out", "repro")
    os.makedirs(folder, exist_ok=True)
    hist, svg = os.path.join(folder, name + ".history.txt"), os.path.join(folder, name + ".svg")
    with open(hist, "w") as f:
        f.write(text)
    require_build("gcc", ["ringcheck-lincheck"])
    subprocess.run([tool("gcc", "oracle", "ringcheck-lincheck"), "--svg", svg, hist], cwd=ROOT, capture_output=True)
    if os.path.exists(svg):
        log(f"repro: history: {hist}")
        log(f"repro: picture: {svg}")


def repro_fuzz(path):
    name = os.path.basename(path)
    m = re.match(r"((?:seq|sched)_\w+?)-(?:crash|leak|timeout|oom|slow-unit)-", name)
    harness = m.group(1) if m else os.path.basename(os.path.dirname(os.path.abspath(path)))
    if not os.path.exists(os.path.join(ROOT, "fuzz", "harnesses", harness + ".cpp")):
        raise UsageError(f"'{path}': cannot tell which fuzz harness it is for (name it <harness>-crash-..., "
                         "or keep it in fuzz/regressions/<harness>/)")
    require_build("gcc", [harness])
    svg = os.path.join(ROOT, "out", "repro", name + ".svg")
    os.makedirs(os.path.dirname(svg), exist_ok=True)
    log(f"repro: replaying {path} through harness {harness} (same bytes, same execution)")
    code = subprocess.run([tool("gcc", "fuzz", harness), os.path.abspath(path)], cwd=ROOT,
                          env={**os.environ, "RINGCHECK_FUZZ_SVG": svg}).returncode
    if code != 0 and os.path.exists(svg):
        log(f"repro: picture: {svg}")
    log("repro: the failure " + ("happened again" if code != 0 else "did NOT happen again (the input passes)"))
    return 1 if code != 0 else 0


def cmd_repro(args):
    path = args.path
    if not os.path.exists(path):
        raise UsageError(f"'{path}' does not exist")
    if os.path.isdir(path):
        if not os.path.exists(os.path.join(path, "config.json")):
            raise UsageError(f"'{path}' is a folder but not a stress reproducer (no config.json)")
        return repro_stress(path)
    head = first_line(path)
    if head.startswith("ringcheck-model-replay"):
        if head != "ringcheck-model-replay 1":
            raise UsageError(f"'{path}': replay format '{head}' is not the one this version reads (ringcheck-model-replay 1)")
        return repro_model(path)
    if head.startswith("ringcheck-history"):
        svg = os.path.join(ROOT, "out", "repro", os.path.basename(path) + ".svg")
        os.makedirs(os.path.dirname(svg), exist_ok=True)
        code = cmd_check_history(argparse.Namespace(contract=args.contract, svg=svg, file=path))
        if code == 1:
            log(f"repro: picture: {svg}")
        return code
    if head.startswith("{") and "ringcheck-stress-repro" in open(path, errors="replace").read():
        return repro_stress(os.path.dirname(os.path.abspath(path)))
    return repro_fuzz(path)


# ---- command line ----

def parser():
    p = argparse.ArgumentParser(prog="ringcheck", description="Verify bounded ring-buffer queues: "
                                "unit tests, Relacy models, libFuzzer, sanitizer stress runs, one oracle.")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    t = sub.add_parser("test", help="build the presets and run the test suite (what CI runs)")
    t.add_argument("--preset", action="append", choices=[step[0] for step in TEST_PLAN], help="only this preset (repeatable)")
    t.set_defaults(func=cmd_test)

    g = sub.add_parser("gate", help="the main job: every checker on every ring, a verdict table and reports")
    mode = g.add_mutually_exclusive_group()
    mode.add_argument("--quick", dest="mode", action="store_const", const="quick", help="fits in 5 minutes")
    mode.add_argument("--deep", dest="mode", action="store_const", const="deep", help="adds the mutation matrix; runs as long as its budget")
    g.set_defaults(mode="default")
    g.add_argument("--budget", type=float, metavar="SECONDS", help="checking time after the build (quick 200, default 720, deep 3600)")
    g.add_argument("--ring", nargs="+", metavar="NAME", help=f"only these rings ({', '.join(RINGS)})")
    g.add_argument("--peers", action="store_true", help="also stress the packaged peers (reported, not gated)")
    g.add_argument("--broken", action="store_true", help="also run the deliberately broken rings: the gate "
                   "must FAIL on them (proves it can fail, shows what a failure report looks like)")
    g.add_argument("--out", default=os.path.join(ROOT, "out", "gate"), help="report folder (default out/gate)")
    g.set_defaults(func=cmd_gate)

    s = sub.add_parser("sanitize", help="stress the rings under ThreadSanitizer and/or ASan+UBSan")
    s.add_argument("--tsan", action="store_true")
    s.add_argument("--asan", action="store_true")
    s.add_argument("--ring", action="append", metavar="NAME")
    s.add_argument("--seconds", type=float, default=20)
    s.set_defaults(func=cmd_sanitize)

    r = sub.add_parser("repro", help="make a reported failure happen again: a stress reproducer folder, a fuzz "
                       "crash input, a model replay file, or judge a history file")
    r.add_argument("path")
    r.add_argument("--contract", help="for a history file: linearizable, per-producer-fifo or bag")
    r.set_defaults(func=cmd_repro)

    c = sub.add_parser("check-history", help="judge a history file (exit 0 holds, 1 violation, 2 bad input, "
                                                          "3 undecided: the search budget ran out)")
    c.add_argument("--contract", help="linearizable (default), per-producer-fifo or bag")
    c.add_argument("--svg", metavar="OUT.svg", help="write the counterexample picture")
    c.add_argument("--budget-steps", metavar="N", help="search steps before 'undecided' (ringcheck-lincheck's option)")
    c.add_argument("--budget-seconds", metavar="S", help="seconds before 'undecided' (ringcheck-lincheck's option)")
    c.add_argument("file", help="history file, or - for standard input")
    c.set_defaults(func=cmd_check_history)
    return p


def main(argv):
    p = parser()

    def error(message):  # one clear line, exit 2 (argparse would print usage and a trace-like block)
        print(f"ringcheck: {message}", file=sys.stderr)
        sys.exit(2)
    p.error = error
    for action in p._subparsers._group_actions:
        for sub in action.choices.values():
            sub.error = error
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
