#!/usr/bin/env python3
"""ringcheck: the command behind ./ringcheck (see --help)."""
import argparse
import glob
import json
import math
import os
import re
import shlex
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gate  # noqa: E402
import proc  # noqa: E402

ROOT = gate.ROOT
JOBS = str(max(1, os.cpu_count() or 1))
BUILD = os.path.join(ROOT, "build")  # the folder of the presets' build trees (--build-root)
# Installed (cmake --install, the .deb): ROOT is <prefix>/share/ringcheck, there is no source tree to
# build, and the command checks the queues of a project's build (gate --build DIR). Its reports and
# pictures go under the current folder; ringcheck-lincheck is next to the `ringcheck` command.
INSTALLED = not os.path.exists(os.path.join(ROOT, "CMakePresets.json"))
OUT = os.path.join(os.getcwd(), "ringcheck-out") if INSTALLED else os.path.join(ROOT, "out")
BIN = os.environ.get("RINGCHECK_BIN_DIR", os.path.join(ROOT, "..", "..", "bin"))

# The test suite: each build preset, the targets it builds (None: all; TESTED: the programs of the
# tests it runs) and the ctest labels it runs (None: all). g++ builds and runs everything; clang
# runs the rings' tests and models compiled by clang, then under ASan+UBSan and under TSan, and
# builds and runs the libFuzzer binaries. The stress runs (real threads under g++'s TSan and ASan)
# are g++'s and the gate's: clang's copies ran the same programs under the same runtimes' checks
# and cost two minutes of CI.
TESTED = "the programs of the tests it runs"
TEST_PLAN = [
    ("gcc", None, None),
    ("clang", TESTED, "unit|example|model"),
    ("asan", TESTED, "unit|example|oracle-cli|regression"),
    ("tsan", TESTED, "unit|example"),
    ("fuzz", ["all_fuzzers"], "fuzz"),
]

# After the presets: the gate's own tests (it can fail, replays, reports render, bad input, budgets).
GATE_TESTS = [["python3", "ci/tests/report_render_test.py"], ["python3", "ci/tests/gate_engine_test.py"],
              ["bash", "ci/tests/gate_test.sh"]]
FRESH_GATE_BUDGET = "135"  # seconds of checking for the gate run on a build tree of its own

RINGS = ["spsc", "mpmc", "locked"]
# Per ring: the stress configuration (threads, capacity, operation mix).
STRESS = {
    "spsc": ["--producers", "1", "--consumers", "1", "--capacity", "2", "--perturb"],
    "mpmc": ["--producers", "4", "--consumers", "4", "--capacity", "4", "--perturb"],
    "locked": ["--producers", "4", "--consumers", "4", "--capacity", "2", "--mix", "try,blocking,timed", "--perturb"],
}
# Rounds that alternate with the ones above: a close ends a run as soon as it happens.
STRESS_ALSO = {
    "locked": ["--producers", "4", "--consumers", "4", "--capacity", "2", "--mix", "try,blocking,timed,close", "--perturb"],
}
FUZZERS = {r: [f"seq_{r}_small", f"seq_{r}_large", f"sched_{r}"] for r in RINGS}
# The packaged peers (ringcheck gate --peers), as peers/CMakeLists.txt declares them with
# ringcheck_add_queue in the preset `peers`; checked as a user's queue is, reported, not gated.
PEERS = ["boost_spsc", "boost_queue", "atomic_queue2", "reader_writer_queue", "concurrent_queue", "tbb_bounded_queue"]
PEER_CHECKS = ["stress-tsan", "stress-release", "fuzz"]
MODES = {"quick": 200, "default": 720, "deep": 3600}  # seconds of checking after the build
MAX_SECONDS = 7 * 24 * 3600  # a duration longer than a week means a typo, not a plan


class UsageError(Exception):
    """Bad input from the user: reported as one line, exit 2."""


def log(msg):
    print(f"ringcheck: {msg}", flush=True)


def run(cmd, quiet=False, **kw):
    out = subprocess.DEVNULL if quiet else None
    return subprocess.run(cmd, cwd=ROOT, stdout=out, stderr=out, **kw).returncode


def seconds_option(text):
    """argparse type of every duration: a finite number of seconds in (0, one week]."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds")
    if not math.isfinite(value) or value <= 0 or value > MAX_SECONDS:
        raise argparse.ArgumentTypeError(f"'{text}' is not a duration in (0, {MAX_SECONDS}] seconds")
    return value


# ---- building ----

def build_dir(preset):
    return os.path.join(BUILD, preset)


def tool(preset, *parts):
    return os.path.join(build_dir(preset), *parts)


class Progress:
    """Build progress: one rewritten line on a terminal, a line every few seconds in a log."""

    def __init__(self, label):
        self.label, self.done, self.total, self.step, self.printed = label, 0, 0, "", 0.0
        self.terminal = proc.on_terminal()

    def line(self, text):
        m = re.match(r"^\[(\d+)/(\d+)\] (.*)", text)
        if not m:
            return
        self.done, self.total, self.step = int(m.group(1)), int(m.group(2)), m.group(3).strip()
        now = time.monotonic()
        if self.terminal:
            width = shutil.get_terminal_size((100, 20)).columns
            status = f"build {self.label}: {self.done}/{self.total} {self.step}"
            print("\r" + status[:width - 1].ljust(width - 1), end="", flush=True)
        elif now - self.printed >= 10:
            self.printed = now
            log(f"build {self.label}: {self.done}/{self.total} steps, now: {self.step[:100]}")

    def end(self):
        if self.terminal and self.total:
            print("\r" + " " * (shutil.get_terminal_size((100, 20)).columns - 1) + "\r", end="", flush=True)


def configure(preset):
    if os.path.exists(os.path.join(build_dir(preset), "CMakeCache.txt")):
        return True
    proc_result = subprocess.run(["cmake", "--preset", preset, "-B", build_dir(preset)], cwd=ROOT,
                                 capture_output=True, text=True)
    if proc_result.returncode != 0:
        sys.stderr.write(proc_result.stdout[-3000:] + proc_result.stderr[-3000:])
    return proc_result.returncode == 0


def build_preset(preset, targets=None):
    """Configures the preset once (reused afterwards) and builds the targets (None: all) with
    progress; on failure prints the compiler's errors. Returns True on success."""
    if not configure(preset):
        return False
    cmd = ["cmake", "--build", build_dir(preset), "-j", JOBS]
    if targets:
        cmd += ["--target", *targets]
    progress = Progress(preset)
    result = proc.run(cmd, time.monotonic() + 4 * 3600, cwd=ROOT, on_line=progress.line)
    progress.end()
    if result.code != 0:
        errors = [line for line in result.output.splitlines() if re.search(r"error|FAILED|Error", line)]
        sys.stderr.write("\n".join(errors[:40]) + "\n" + gate.tail(result.output, 30) + "\n")
    return result.code == 0


def require_build(preset, targets):
    if not build_preset(preset, targets):
        raise UsageError(f"could not build {', '.join(targets)} (preset {preset}); see the compiler output above")


def ctest_command(preset, labels=None, extra=()):
    cmd = ["ctest", "--test-dir", build_dir(preset), "-j", JOBS, "--output-on-failure", "--no-tests=error", *extra]
    return cmd + (["-L", labels] if labels else [])


# ---- test ----

def fresh_gate_step():
    """The main job from nothing: `ringcheck gate --quick` on a build tree of its own. On a fresh
    clone that tree is build/ itself (nothing is built yet, and the presets after it reuse it);
    otherwise build/fresh-gate/, emptied first."""
    fresh = not any(os.path.exists(build_dir(p)) for p in ("gcc", "fuzz"))
    root = BUILD if fresh else os.path.join(BUILD, "fresh-gate")
    if not fresh:
        shutil.rmtree(root, ignore_errors=True)
    out = os.path.join(BUILD, "fresh-gate-report")
    cmd = [os.path.join(ROOT, "ringcheck"), "gate", "--quick", "--budget", FRESH_GATE_BUDGET,
           "--build-root", root, "--out", out]
    log(f"test: gate from nothing: {' '.join(cmd)}")
    code = run(cmd)
    ok = code == 0
    log(f"test: gate from nothing {'passed' if ok else f'FAILED (exit {code}; report {out}/report.md)'}")
    return ok


def cmd_test(args):
    if INSTALLED:
        raise UsageError("`test` runs ringcheck's own suite from its source tree; the installed ringcheck "
                         "checks your queues: ringcheck gate --build DIR")
    plan = [step for step in TEST_PLAN if not args.preset or step[0] in args.preset]
    passed = failed = 0
    if not args.preset:
        ok = fresh_gate_step()
        passed, failed = passed + ok, failed + (not ok)
    for preset, targets, labels in plan:
        start = time.monotonic()
        log(f"test: preset {preset}" + (f", labels {labels}" if labels else ", all labels"))
        if targets is TESTED:
            targets = TestsOf(labels).targets(preset) if configure(preset) else None
        ok = build_preset(preset, targets) and run(ctest_command(preset, labels)) == 0
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


def number(n):
    return f"{n:,}"


def stress_limits(remaining):
    """A stress round's watchdog, inside what is left of its stage's share: a hang is reported with
    its reproducer before the gate would stop the round. The oracle keeps its own default budget
    (60 s): a round whose history it cannot judge within the share is stopped by the gate and left
    out, unjudged, and the row says so. (A budget of 30% of the share was tried: `gate --quick` on the
    real rings then ended UNDECIDED on a locked_ring TSan history, not a verdict a user can act on.)"""
    return ["--watchdog", str(max(2, int(remaining - 1)))]


def stress_check(ring, config, weight, out):
    """Rounds of a stress run bounded by operations, each with a new seed, growing while the
    share allows; its watchdog ends within the share, so a hang is reported with its reproducer."""
    binary = tool("gcc", "sanitizers", f"ringcheck-stress-{config}")
    shapes = [STRESS[ring]] + ([STRESS_ALSO[ring]] if ring in STRESS_ALSO else [])
    state = {"ops": 4000}
    seed0 = int(time.time()) % 100000

    def round_command(k, remaining, last):
        if last is not None and last < remaining / 8:
            state["ops"] = min(state["ops"] * 2, 1 << 22)
        return [binary, "--ring", ring, *shapes[k % len(shapes)], "--ops", str(state["ops"]), "--seed",
                str(seed0 + k), *stress_limits(remaining), "--out", os.path.join(out, "stress", config)]

    def explored(text):
        runs = len(re.findall(r"operations checked", text))
        ops = sum(int(m) for m in re.findall(r"(\d+) operations checked", text))
        what = " and ".join(describe_stress(s) for s in shapes)
        return f"{runs} runs ({what}), {number(ops)} operations judged"
    return gate.Check(f"{ring}_ring", f"stress-{config}", rounds=round_command,
                      needs=[("gcc", f"ringcheck-stress-{config}")], counts={"operations": r"(\d+) operations checked"},
                      weight=weight, floor=4.0, explored=explored)


def describe_stress(args):
    """'4x4, capacity 2, mix try,blocking, perturbed' from a stress runner's options."""
    opts = {a: (b if not b.startswith("--") else "") for a, b in zip(args, args[1:] + ["--"]) if a.startswith("--")}
    words = [f"{opts.get('--producers', '?')}x{opts.get('--consumers', '?')}", f"capacity {opts.get('--capacity', '?')}"]
    words += [f"mix {opts['--mix']}"] if "--mix" in opts else []
    return ", ".join(words + (["perturbed"] if "--perturb" in args else []))


def model_check(ring, mode):
    """The ring's Relacy models (see relacy_check)."""
    runner = tool("gcc", "models", "ringcheck-models")
    floor = (DEEP_MODEL_FLOORS if mode == "deep" else MODEL_FLOORS)[ring]
    return relacy_check(f"{ring}_ring", runner, f"{ring}_", mode, floor, needs=[("gcc", "ringcheck-models")])


def relacy_check(label, runner, prefix, mode, floor, needs=(), replay_file=None):
    """The models of `runner` named `prefix`*: the exhaustive and context-bounded ones once (--deep:
    one more preemption), the random ones in rounds of growing iteration counts with new seeds. With
    replay_file, a failure writes its replay file there and the row names `ringcheck repro` on it."""
    plan = {"fixed": [], "random": []}
    keep = ["--replay-out", replay_file] if replay_file else []

    def listing():
        text = subprocess.run([runner, "list"], capture_output=True, text=True).stdout
        for line in text.splitlines():
            fields = line.split("\t")
            if len(fields) < 2 or not fields[0].startswith(prefix):
                continue
            kind = fields[1].split()
            if kind[0] == "random":
                plan["random"].append(fields[0])
            else:
                bound = int(kind[1].split("=")[1]) if kind[0] == "bound" else 0
                plan["fixed"].append((fields[0], kind[0], bound + (1 if mode == "deep" and bound else 0)))

    def fixed(share):
        listing()
        cmds = []
        for name, kind, bound in plan["fixed"]:
            cmds.append([runner, "run", name] + (["--context-bound", str(bound)] if kind == "bound" else []) + keep)
        return cmds
    state = {"iterations": 5000, "seed": 1}

    def round_command(k, remaining, last):
        if not plan["random"]:
            return None
        if last is not None and last < remaining / 8:
            state["iterations"] = min(state["iterations"] * 2, 10 ** 8)
        seed = state["seed"]
        state["seed"] += state["iterations"]  # the next round explores iterations not yet run
        return random_models_command(runner, plan["random"], state["iterations"], seed, keep)

    def explored(text):
        parts = []
        for name, kind, bound in plan["fixed"]:
            its = sum(int(m) for m in re.findall(rf"^ok {re.escape(name)}: (\d+) iterations", text, re.M))
            parts.append(f"{name} {'exhaustive' if kind == 'full' else f'context bound {bound}'} ({number(its)} it.)")
        if plan["random"]:
            its = sum(int(m) for n in plan["random"] for m in re.findall(rf"^ok {re.escape(n)}: (\d+) iterations", text, re.M))
            parts.append(f"{len(plan['random'])} random models, {number(its)} iterations in all")
        return "; ".join(parts)

    def replay(text):
        return f"ringcheck repro {replay_file}" if replay_file and re.search(r"^replay file: ", text, re.M) else None
    return gate.Check(label, "models", fixed=fixed, rounds=round_command, needs=needs,
                      counts={"iterations": r"(\d+) iterations"}, weight=1, floor=floor, explored=explored,
                      replay=replay if replay_file else None)


# Seconds the exhaustive and bounded models of each ring need, with a first random round: measured
# here (2 cores) 1.2, 5.3 and 0.4 s; with --deep's extra preemption mpmc's bounded models take 70 s.
MODEL_FLOORS = {"spsc": 3.0, "mpmc": 8.0, "locked": 2.0}
DEEP_MODEL_FLOORS = {"spsc": 3.0, "mpmc": 90.0, "locked": 2.0}


def random_models_command(runner, names, iterations, seed, extra=()):
    """One round of the random models: the runner takes one model name or prefix per call, so the
    round is a shell loop that stops at the first failure (its output names the model)."""
    more = "".join(f" {shlex.quote(a)}" for a in extra)
    script = " && ".join(f'"$0" run {shlex.quote(n)} --iterations {iterations} --seed {seed}{more}' for n in names)
    return ["sh", "-c", script, runner]


def fuzz_check(ring, out):
    harnesses = FUZZERS[ring]

    def fixed(share):
        each = max(2, int((share - 2) / len(harnesses)))
        cmds = []
        for h in harnesses:
            cmds.append([tool("fuzz", "fuzz", h), new_corpus(out, h), os.path.join(ROOT, "fuzz", "corpus", h),
                         f"-dict={os.path.join(ROOT, 'fuzz', 'dict', h + '.dict')}", f"-max_total_time={each}",
                         f"-artifact_prefix={os.path.join(out, 'fuzz', h)}-", "-print_final_stats=1"])
        return cmds

    def explored(text):
        execs = sum(int(m) for m in re.findall(r"Done (\d+) runs", text))
        return f"{len(harnesses)} harnesses ({', '.join(harnesses)}), {number(execs)} executions"
    return gate.Check(f"{ring}_ring", "fuzz", fixed=fixed, needs=[("fuzz", h) for h in harnesses],
                      counts={"execs": r"Done (\d+) runs"}, weight=1.2, floor=3 * len(harnesses) + 2,
                      replay=lambda text: fuzz_replay_hint(text), explored=explored)
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
    unit_labels = "unit|example|oracle-cli"
    checks = [gate.Check("all rings", "unit", fixed=[ctest_command("gcc", unit_labels)], needs=[("gcc", TestsOf(unit_labels))],
                         counts={"tests": r"tests failed out of (\d+)"}, weight=0.02, floor=UNIT_FLOOR,
                         explored=lambda text: f"ctest labels {unit_labels.replace('|', ', ')}: "
                         + (re.findall(r"tests failed out of (\d+)", text) or ["?"])[-1] + " tests")]
    for ring in rings:
        checks.append(model_check(ring, args.mode))
        checks.append(fuzz_check(ring, out))
        checks.append(stress_check(ring, "tsan", 1.5, out))
        checks.append(stress_check(ring, "asan", 1, out))
    if args.broken:
        checks += broken_checks(out)
    if args.mode == "deep":
        checks.append(gate.Check("spsc, mpmc, locked", "mutation-matrix", fixed=[ctest_command("gcc", "mutation", extra=("-V",))],  # -V: the matrix's own count
                                 needs=[("gcc", TestsOf("mutation"))], counts={"mutants": r"matrix of (\d+) mutants"}, weight=0.5,
                                 floor=MUTATION_FLOOR, explored=lambda text: "every weaker order at every site, "
                                 "and the catalogue of known ring bugs"))
        checks.append(mutation_sweep_check(out))
    if args.peers:
        checks += peer_checks(out)
    return checks


def peer_checks(out):
    """--peers: each packaged peer through the stages a user's queue gets (stress under TSan and -O2,
    the sequential fuzzer), from the manifests ringcheck_add_queue writes in the preset `peers`."""
    checks = []
    for peer in PEERS:
        queue = QueueFacts(build_dir("peers"), peer)
        for kind in PEER_CHECKS:
            needs = [("peers", f"{peer}-{kind}"), ("peers", f"{peer}-stress-release")]  # release: --describe-queue
            checks.append(queue_fuzz_check(queue, out, weight=0.3, gated=False, floor=2, needs=needs) if kind == "fuzz"
                          else queue_stress_check(queue, kind.split("-")[1], 0.3, out, gated=False, floor=2, needs=needs))
    return checks


def mutation_sweep_check(out):
    """--deep: every explorer (models, schedule and sequential fuzz, TSan stress, unit) against every
    catalogue mutant, in the preset that builds them; each mutant must be killed by the explorers
    catalogue.txt lists, and by two unless it says why not."""
    sweep_out = os.path.join(out, "mutation")
    os.makedirs(sweep_out, exist_ok=True)
    command = [sys.executable, os.path.join(ROOT, "models", "explore_mutants.py"), "--build", build_dir("mutation"),
               "--source", ROOT, "--out", sweep_out, "--gate"]
    return gate.Check("spsc, mpmc, locked", "mutation-sweep", fixed=[command],
                      needs=[("mutation", TestsOf("mutation")), ("mutation", "ringcheck-models"), ("mutation", "mutation-explorers")],
                      counts={"mutants": r"swept (\d+) mutants"}, weight=0.5, floor=SWEEP_FLOOR,
                      replay=lambda text: " ".join(command),
                      explored=lambda text: f"every explorer against every catalogue mutant; matrix in "
                                            f"{os.path.relpath(sweep_out, ROOT)}/mutation-matrix-deep.md")


# Seconds the fixed stages need here (2 cores, g++ build): ctest's unit, example and oracle-cli tests
# (230 tests, a process each: 11-13 s with nothing beside them, 23 s with a CPU-bound process beside
# them, which a 20 s floor called HUNG, and 28.6 s in a run whose build took twice its usual time;
# each test has its own timeout for a real hang), the mutation matrix (about 150 s) and the deep
# sweep (390 s measured with a compiler beside it; its explorers have their own timeouts).
UNIT_FLOOR, MUTATION_FLOOR, SWEEP_FLOOR = 45.0, 200.0, 600.0


def broken_checks(out):
    """The deliberately broken rings kept in the test code, one per explorer: the gate must fail on
    each (ringcheck gate --broken proves that it can, and shows what a failure looks like)."""
    mutant = "ringcheck-models-mutant-mpmc_vyukov_empty"
    model = tool("gcc", "models", mutant)
    replay_file = os.path.join(out, "mpmc_vyukov_empty.replay")
    return [
        gate.Check("broken: mpmc full one early", "stress-release",
                   fixed=[[tool("gcc", "sanitizers", "ringcheck-stress-mutants-release"), "--ring", "mpmc-full-one-early",
                           "--producers", "2", "--consumers", "2", "--capacity", "2", "--ops", "20000",
                           "--repeat-until-fail", "--budget", "30", "--out", os.path.join(out, "stress")]],
                   needs=[("gcc", "ringcheck-stress-mutants-release")],
                   counts={"operations": r"(\d+) operations"}, weight=0.2, floor=3,
                   replay=lambda text: stress_replay_hint(text)),
        gate.Check("broken: mpmc original Vyukov", "models",
                   fixed=lambda share: [[model_binary(mutant) or model, "run", "mpmc_*", "--replay-out", replay_file]],
                   needs=[("gcc", mutant)], counts={"iterations": r"after (\d+) iterations"}, weight=0.2, floor=3,
                   replay=lambda text: f"./ringcheck repro {replay_file}"),
        gate.Check("broken: mpmc original Vyukov", "fuzz",
                   fixed=[[tool("fuzz", "fuzz", "sched_mpmc_broken_vyukov"), new_corpus(out, "sched_mpmc_broken_vyukov"),
                           os.path.join(ROOT, "fuzz", "corpus", "sched_mpmc"), "-runs=100000",
                           f"-artifact_prefix={os.path.join(out, 'fuzz', 'sched_mpmc_broken_vyukov')}-"]],
                   needs=[("fuzz", "sched_mpmc_broken_vyukov")], counts={"execs": r"Done (\d+) runs"}, weight=0.2,
                   floor=3, replay=lambda text: fuzz_replay_hint(text),
                   env={"RINGCHECK_FUZZ_SVG": os.path.join(out, "fuzz", "sched_mpmc_broken_vyukov.svg")}),
    ]


def model_binary(name):
    found = glob.glob(os.path.join(build_dir("gcc"), "models", "**", name), recursive=True)
    return found[0] if found else None


def stress_replay_hint(text):
    m = re.findall(r"reproducer: (\S+)", text)
    return f"./ringcheck repro {m[-1]}" if m else None


class TestsOf:
    """A stage's need for every ctest test with these labels: resolved, once the preset is configured,
    to the build outputs those tests run, so a new test's program is built without a list to keep."""

    def __init__(self, labels):
        self.labels = labels

    def __str__(self):
        return f"the programs of ctest -L '{self.labels}'"

    def targets(self, preset):
        ninja = subprocess.run(["ninja", "-C", build_dir(preset), "-t", "targets", "all"], capture_output=True, text=True)
        if ninja.returncode != 0:
            raise UsageError(f"cannot list the build outputs of preset {preset}: {ninja.stderr.strip()}")
        rules = dict(line.rsplit(": ", 1) for line in ninja.stdout.splitlines())
        found = []
        # A GoogleTest program not built yet stands as one unlabelled test named <target>_NOT_BUILT:
        # its tests and labels are known only once it is built, so it is built (by its target name).
        for test in list_tests(preset):
            name = test["name"][:-len("_NOT_BUILT")]
            if name in rules and name not in found:
                found.append(name)
        # Of a test's command, only words naming a file the build makes: a phony output (`all`, a
        # folder's alias) is a word like any other there (`ringcheck-models-adapter run all`).
        for test in list_tests(preset, self.labels):
            for piece in test_pieces(test, preset):
                if os.path.isabs(piece):
                    piece = os.path.relpath(piece, build_dir(preset))
                if rules.get(piece, "phony") != "phony" and piece not in found:
                    found.append(piece)
        return found


def list_tests(preset, labels=None):
    """ctest's tests of a configured preset with these labels; without labels, its placeholders of
    GoogleTest programs not built yet."""
    cmd = ["ctest", "--test-dir", build_dir(preset), "--show-only=json-v1"] + (["-L", labels] if labels else [])
    listing = subprocess.run(cmd, capture_output=True, text=True)
    if listing.returncode != 0:
        raise UsageError(f"cannot list the tests of preset {preset}: {listing.stderr.strip()}")
    tests = json.loads(listing.stdout).get("tests", [])
    return [t for t in tests if t["name"].endswith("_NOT_BUILT")] if labels is None else tests


def test_pieces(test, preset):
    """Every word of a test's command that could name a program: its arguments, split at '=' and at
    the '@@' a script-run test uses to pass a command as one argument. ctest leaves out the command
    of a test whose program does not exist yet; it is then read from the generated test files."""
    pieces = []
    for word in test.get("command") or declared_commands(preset).get(test["name"], []):
        pieces += re.split(r"=|@@|;", word)
    return [p for p in pieces if p]


def declared_commands(preset):
    """name -> command of every add_test() in the preset's generated CTestTestfile.cmake files."""
    commands = {}
    for path in glob.glob(os.path.join(build_dir(preset), "**", "CTestTestfile.cmake"), recursive=True):
        with open(path) as f:
            for m in re.finditer(r'^add_test\(\[=\[(.*?)\]=\] (.*)\)$', f.read(), re.M):
                commands[m.group(1)] = re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(2))
    return commands


def needed_targets(checks, preset):
    """What the stages run in this preset, in first-use order: the build is derived from the checks."""
    targets = []
    for check in checks:
        for where, need in check.needs:
            if where != preset:
                continue
            for target in need.targets(preset) if isinstance(need, TestsOf) else [need]:
                if target not in targets:
                    targets.append(target)
    return targets


def needed_presets(checks):
    presets = []
    for check in checks:
        for preset, _ in check.needs:
            if preset not in presets:
                presets.append(preset)
    return presets


def cmd_gate(args):
    if args.build:
        if args.ring or args.peers or args.broken:
            raise UsageError("--build checks a project's queues: --ring, --peers and --broken are for ringcheck's own rings")
        return gate_queues(args)
    if args.queue:
        raise UsageError("--queue needs --build DIR (the build folder of the project that declares the queue)")
    if INSTALLED:
        raise UsageError("the installed ringcheck checks your queues: ringcheck gate --build DIR, DIR the build "
                         "folder of a project that calls ringcheck_add_queue")
    rings = ring_names(args.ring)
    budget = args.budget if args.budget is not None else MODES[args.mode]
    out = os.path.abspath(args.out)
    checks = gate_checks(args, rings, out)
    if budget < gate.floors(checks):
        raise UsageError(f"--budget {budget:g} is below the {gate.floors(checks):.0f} s these {len(checks)} stages "
                         "need at least (give more, or fewer rings)")
    os.makedirs(out, exist_ok=True)
    start = time.monotonic()
    build_results = []
    for preset in needed_presets(checks):
        t0 = time.monotonic()
        ok = configure(preset)
        targets = needed_targets(checks, preset) if ok else []
        log(f"build: preset {preset} in {build_dir(preset)}: {', '.join(targets)} (reused where built before)")
        ok = ok and build_preset(preset, targets)
        build_results.append({"ring": "all rings", "checker": f"build ({preset})", "status": "pass" if ok else "fail",
                              "gated": True, "counts": {}, "seconds": time.monotonic() - t0, "explored": ", ".join(targets),
                              "detail": "" if ok else f"cmake --build {build_dir(preset)} failed (the compiler's errors are above)",
                              "svg": None, "replay": None})
        log(f"build: preset {preset} {'done' if ok else 'FAILED'} in {time.monotonic() - t0:.0f} s")
        if not ok:
            gate.finish(build_results, args.mode, budget, out, log, time.monotonic() - start)
            return 1
    log(f"build done in {time.monotonic() - start:.0f} s; checking {', '.join(rings)} with a budget of {budget:.0f} s")
    gate.LINCHECK = tool("gcc", "oracle", "ringcheck-lincheck")
    word = gate.run_checks(checks, budget, args.mode, out, log, prefix=build_results, started=start)
    return {"PASS": 0, "FAIL": 1, "UNDECIDED": gate.EXIT_UNDECIDED}[word]


# ---- your queues (ringcheck_add_queue) ----

def load_queues(build, names):
    """The manifests ringcheck_add_queue wrote into the build folder, those named (default all)."""
    if not os.path.isdir(build):
        raise UsageError(f"--build {build}: no such folder")
    files = sorted(glob.glob(os.path.join(build, "ringcheck", "queues", "*.json")))
    if not files:
        raise UsageError(f"--build {build}: no queues there (ringcheck/queues/*.json): is it the configured build "
                         "folder of a project that calls ringcheck_add_queue?")
    found = {}
    for path in files:
        try:
            with open(path) as f:
                manifest = json.load(f)
        except (OSError, ValueError) as e:
            raise UsageError(f"{path}: not a readable queue manifest ({e})")
        if not isinstance(manifest, dict) or manifest.get("format") != "ringcheck-queue 1":
            raise UsageError(f"{path}: not a queue manifest this version reads (format 'ringcheck-queue 1')")
        missing = [key for key in ("name", "targets", "stress", "fuzz") if key not in manifest]
        if missing:
            raise UsageError(f"{path}: queue manifest without {', '.join(missing)}")
        found[manifest["name"]] = manifest
    for name in names or []:
        if name not in found:
            raise UsageError(f"unknown queue '{name}' in {build} (its queues: {', '.join(sorted(found))})")
    return [found[n] for n in (names or sorted(found))]


def build_queues(build, queues):
    """Builds the queues' programs in their project's build folder; True on success."""
    targets = [t for q in queues for t in q["targets"]]
    progress = Progress(os.path.basename(os.path.abspath(build)))
    result = proc.run(["cmake", "--build", build, "-j", JOBS, "--target", *targets], time.monotonic() + 4 * 3600,
                      cwd=build, on_line=progress.line)
    progress.end()
    if result.code != 0:
        errors = [line for line in result.output.splitlines() if re.search(r"error|FAILED|Error", line)]
        sys.stderr.write("\n".join(errors[:40]) + "\n" + gate.tail(result.output, 30) + "\n")
    return result.code == 0, targets


def describe_queue(queue):
    """The adapter's facts (contract, thread limits), as its runner states them."""
    runner = queue["stress"]["release"]
    done = subprocess.run([runner, "--describe-queue"], capture_output=True, text=True)
    try:
        return json.loads(done.stdout)
    except ValueError:
        raise UsageError(f"{runner} --describe-queue gave no description ({done.stderr.strip() or done.stdout.strip()})")


def queue_shapes(facts):
    """Thread counts and capacities a queue is stressed with, within what its adapter allows."""
    def threads(limit, wanted):
        return str(min(limit, wanted) if limit else wanted)
    shapes = []
    for producers, consumers, capacity in ((1, 1, "2"), (2, 2, "4"), (4, 4, "1")):
        shape = ["--producers", threads(facts["max_producers"], producers), "--consumers",
                 threads(facts["max_consumers"], consumers), "--capacity", capacity, "--perturb"]
        if shape not in shapes:
            shapes.append(shape)
    return shapes


class QueueFacts:
    """A queue's manifest and its adapter's facts, read when a stage first needs them (a packaged
    peer's exist only once the gate has built its preset)."""

    def __init__(self, build, name, manifest=None, facts=None):
        self.build, self.name, self._manifest, self._facts = build, name, manifest, facts

    @property
    def manifest(self):
        if self._manifest is None:
            self._manifest = load_queues(self.build, [self.name])[0]
        return self._manifest

    @property
    def facts(self):
        if self._facts is None:
            self._facts = describe_queue(self.manifest)
        return self._facts


def queue_stress_check(queue, config, weight, out, gated=True, floor=4.0, needs=()):
    state = {"ops": 4000}
    seed0 = int(time.time()) % 100000

    def round_command(k, remaining, last):
        if last is not None and last < remaining / 8:
            state["ops"] = min(state["ops"] * 2, 1 << 22)
        shapes = queue_shapes(queue.facts)
        return [queue.manifest["stress"][config], *shapes[k % len(shapes)], "--ops", str(state["ops"]), "--seed",
                str(seed0 + k), *stress_limits(remaining), "--out", os.path.join(out, "stress", queue.name, config)]

    def explored(text):
        runs = len(re.findall(r"operations checked", text))
        ops = sum(int(m) for m in re.findall(r"(\d+) operations checked", text))
        shapes = queue_shapes(queue.facts)
        what = " and ".join(describe_stress(s) for s in shapes[:max(1, min(runs, len(shapes)))])
        return f"{runs} runs ({what}), {number(ops)} operations judged, contract {queue.facts['contract']}"

    def replay(text):
        m = re.findall(r"reproducer: (\S+)", text)
        return f"ringcheck repro {m[-1]}" if m else None
    return gate.Check(queue.name, f"stress-{config}", rounds=round_command, counts={"operations": r"(\d+) operations checked"},
                      weight=weight, floor=floor, gated=gated, needs=needs, explored=explored, replay=replay)


def queue_fuzz_check(queue, out, schedule=False, weight=1.0, gated=True, floor=4.0, needs=()):
    """The queue's sequential fuzzer, or (schedule) its schedule fuzzer: libFuzzer for the share, or
    the replay driver over the seeds and regressions, then rounds of random inputs with new seeds."""
    def fuzz():
        return queue.manifest["sched_fuzz" if schedule else "fuzz"]

    def inputs():
        return list(fuzz()["corpus"]) + ([fuzz()["regressions"]] if fuzz().get("regressions") else [])
    name = queue.name
    tag = name + ("-sched" if schedule else "")
    prefix = os.path.join(out, "fuzz", tag) + "-"
    state = {"runs": 500}
    seed0 = int(time.time()) % 100000

    def fixed(share):
        if not fuzz()["libfuzzer"]:  # the replay driver (a g++ build): every seed and regression input
            return [[fuzz()["binary"], *inputs()]]
        return [[fuzz()["binary"], new_corpus(out, tag), *inputs(), f"-dict={fuzz()['dict']}",
                 f"-max_total_time={max(2, int(share - 2))}", f"-artifact_prefix={prefix}", "-print_final_stats=1"]]

    def round_command(k, remaining, last):
        if fuzz()["libfuzzer"]:
            return None
        if last is not None and last < remaining / 8:
            state["runs"] = min(state["runs"] * 2, 10 ** 7)
        return [fuzz()["binary"], f"-runs={state['runs']}", f"-seed={seed0 + k}", f"-artifact_prefix={prefix}"]

    def explored(text):
        if fuzz()["libfuzzer"]:
            execs = sum(int(m) for m in re.findall(r"Done (\d+) runs", text))
            return f"libFuzzer, {number(execs)} executions"
        replayed = len(re.findall(r"^replaying ", text, re.M))
        randoms = sum(int(m) for m in re.findall(r"^ran (\d+) random inputs", text, re.M))
        return f"replay driver (no libFuzzer in this build): {replayed} inputs replayed, {number(randoms)} random inputs"

    def replay(text):
        found = re.findall(r"Test unit written to (\S+)", text) or re.findall(r"^replaying (\S+) \(", text, re.M)
        which = " --schedule" if schedule else ""
        return f"ringcheck repro --build {queue.build} --queue {name}{which} {found[-1]}" if found else None
    return gate.Check(name, "sched-fuzz" if schedule else "fuzz", fixed=fixed, rounds=round_command,
                      counts={"execs": r"Done (\d+) runs", "inputs": r"(?:replayed|ran) (\d+) (?:random )?inputs"},
                      weight=weight, floor=floor, gated=gated, needs=needs, explored=explored, replay=replay,
                      env={"RINGCHECK_FUZZ_SVG": os.path.join(out, "fuzz", tag + ".svg")})


def queue_model_check(queue, mode, out):
    """The Relacy models of a queue given with SYNC_ADAPTER; a failure's replay file goes to out/models/."""
    os.makedirs(os.path.join(out, "models"), exist_ok=True)
    replay_file = os.path.join(out, "models", queue["name"] + ".replay")
    return relacy_check(queue["name"], queue["models"]["binary"], "", mode, QUEUE_MODEL_FLOOR, replay_file=replay_file)


# Seconds a queue's exhaustive and bounded models need with a first random round (the article's
# ring: about 1 s here, 2 cores).
QUEUE_MODEL_FLOOR = 4.0


def gate_queues(args):
    """ringcheck gate --build DIR: the gate's stages over a project's queues, with the same budget,
    table, reports and replay commands as over ringcheck's rings."""
    build = os.path.abspath(args.build)
    queues = load_queues(build, args.queue)
    budget = args.budget if args.budget is not None else MODES[args.mode]
    out = os.path.abspath(args.out)
    os.makedirs(os.path.join(out, "fuzz"), exist_ok=True)
    start = time.monotonic()
    log(f"build: {', '.join(q['name'] for q in queues)} in {build}")
    ok, targets = build_queues(build, queues)
    build_row = {"ring": ", ".join(q["name"] for q in queues), "checker": "build", "status": "pass" if ok else "fail",
                 "gated": True, "counts": {}, "seconds": time.monotonic() - start, "explored": ", ".join(targets),
                 "detail": "" if ok else f"cmake --build {build} failed (the compiler's errors are above)",
                 "svg": None, "replay": None}
    if not ok:
        gate.finish([build_row], args.mode, budget, out, log, time.monotonic() - start)
        return 1
    checks = []
    for manifest in queues:
        queue = QueueFacts(build, manifest["name"], manifest)
        facts = queue.facts
        log(f"queue {queue.name}: {facts['queue']}, contract {facts['contract']}, producers "
            f"{facts['max_producers'] or 'any'}, consumers {facts['max_consumers'] or 'any'}")
        if manifest.get("models"):
            checks.append(queue_model_check(manifest, args.mode, out))
        checks.append(queue_fuzz_check(queue, out))
        if manifest.get("sched_fuzz"):
            checks.append(queue_fuzz_check(queue, out, schedule=True))
        checks.append(queue_stress_check(queue, "tsan", 1.5, out))
        checks.append(queue_stress_check(queue, "asan", 1, out))
    if budget < gate.floors(checks):
        raise UsageError(f"--budget {budget:g} is below the {gate.floors(checks):.0f} s these {len(checks)} stages "
                         "need at least (give more, or fewer queues)")
    gate.LINCHECK = os.path.join(BIN, "ringcheck-lincheck") if INSTALLED else None
    word = gate.run_checks(checks, budget, args.mode, out, log, prefix=[build_row], started=start)
    return {"PASS": 0, "FAIL": 1, "UNDECIDED": gate.EXIT_UNDECIDED}[word]


def sanitize_queues(args):
    """ringcheck sanitize --build DIR: each queue under TSan and/or ASan+UBSan for --seconds."""
    build = os.path.abspath(args.build)
    queues = load_queues(build, args.queue)
    configs = [c for c, on in (("tsan", args.tsan), ("asan", args.asan)) if on] or ["tsan", "asan"]
    if not build_queues(build, queues)[0]:
        raise UsageError(f"could not build the queues in {build}; see the compiler output above")
    failures = undecided = 0
    for queue in queues:
        shape = queue_shapes(describe_queue(queue))[-1]
        for config in configs:
            log(f"sanitize: {queue['name']} under {config} for {args.seconds:g} s ({describe_stress(shape)})")
            code = run([queue["stress"][config], *shape, "--seconds", repr(args.seconds),
                        "--out", os.path.join(OUT, "sanitize", queue["name"])])
            undecided += code == 3  # the oracle's budget ran out: neither pass nor failure
            failures += code not in (0, 3)
    runs = len(configs) * len(queues)
    print(f"sanitize: {runs - failures - undecided} passed, {failures} failed, {undecided} undecided")
    return 1 if failures else 3 if undecided else 0


def repro_queue_fuzz(args, path):
    """A fuzz input of a project's queue, through that queue's fuzzer (same bytes, same execution)."""
    build = os.path.abspath(args.build)
    queues = load_queues(build, [args.queue] if args.queue else None)
    if len(queues) > 1:
        named = [q for q in queues if os.path.basename(path).startswith(q["name"] + "-")]
        if len(named) != 1:
            raise UsageError(f"'{path}': say which queue's fuzzer replays it (--queue, one of "
                             f"{', '.join(q['name'] for q in queues)})")
        queues = named
    queue = queues[0]
    schedule = args.schedule or os.path.basename(path).startswith(queue["name"] + "-sched-")
    if schedule and not queue.get("sched_fuzz"):
        raise UsageError(f"{queue['name']} has no schedule fuzzer (ringcheck_add_queue without SYNC_ADAPTER)")
    if not build_queues(build, [queue])[0]:
        raise UsageError(f"could not build {queue['name']} in {build}; see the compiler output above")
    fuzzer = queue["sched_fuzz" if schedule else "fuzz"]["binary"]
    log(f"repro: replaying {path} through the {'schedule' if schedule else 'sequential'} fuzzer of {queue['name']} "
        "(same bytes, same execution)")
    code = subprocess.run([fuzzer, os.path.abspath(path)]).returncode
    log("repro: the failure " + ("happened again" if code != 0 else "did NOT happen again (the input passes)"))
    return 1 if code != 0 else 0


# ---- sanitize ----

def cmd_sanitize(args):
    if args.build:
        return sanitize_queues(args)
    if INSTALLED:
        raise UsageError("the installed ringcheck sanitizes your queues: ringcheck sanitize --build DIR [--queue NAME]")
    rings = ring_names(args.ring)
    configs = [c for c, on in (("tsan", args.tsan), ("asan", args.asan)) if on] or ["tsan", "asan"]
    require_build("gcc", [f"ringcheck-stress-{c}" for c in configs])
    failures = undecided = 0
    for config in configs:
        for ring in rings:
            log(f"sanitize: {ring}_ring under {config} for {args.seconds:g} s")
            code = run([tool("gcc", "sanitizers", f"ringcheck-stress-{config}"), "--ring", ring, *STRESS[ring],
                        "--seconds", repr(args.seconds), "--out", os.path.join(OUT, "sanitize")])
            undecided += code == 3  # the oracle's budget ran out: neither pass nor failure
            failures += code not in (0, 3)
    runs = len(configs) * len(rings)
    print(f"sanitize: {runs - failures - undecided} passed, {failures} failed, {undecided} undecided")
    return 1 if failures else 3 if undecided else 0


# ---- check-history ----

def lincheck():
    """The oracle's command line tool: the installed one, or built in the gcc preset."""
    if INSTALLED:
        return os.path.join(BIN, "ringcheck-lincheck")
    require_build("gcc", ["ringcheck-lincheck"])
    return tool("gcc", "oracle", "ringcheck-lincheck")


def cmd_check_history(args):
    cmd = [lincheck()]
    if args.contract:
        cmd += ["--contract", args.contract]
    if args.svg:
        cmd += ["--svg", args.svg]
    if args.budget_steps:
        cmd += ["--budget-steps", args.budget_steps]
    if args.budget_seconds:
        cmd += ["--budget-seconds", args.budget_seconds]
    if args.jobs:
        cmd += ["--jobs", args.jobs]
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
    if re.fullmatch(r"ringcheck-stress(-mutants)?-(tsan|asan|release)", binary) and not INSTALLED:
        require_build("gcc", [binary])  # ringcheck's own runner
        cmd[0] = tool("gcc", "sanitizers", binary)
    elif os.path.isabs(cmd[0]):
        # A runner of a project's queue (ringcheck_add_queue; the peers too): rebuilt by its build
        # when that build is still there, and run where it is.
        build = os.path.dirname(cmd[0])
        while build != os.path.dirname(build) and not os.path.exists(os.path.join(build, "CMakeCache.txt")):
            build = os.path.dirname(build)
        if os.path.exists(os.path.join(build, "CMakeCache.txt")):
            run(["cmake", "--build", build, "--target", binary], quiet=True)
        if not os.path.exists(cmd[0]):
            raise UsageError(f"'{failure}': its runner {cmd[0]} no longer exists (rebuild that project)")
    else:
        raise UsageError(f"'{failure}': unknown runner '{cmd[0]}'")
    log(f"repro: replaying {folder} with {binary} until the failure recurs (budget 120 s)")
    code = run(cmd + ["--budget", "120"])
    for name in ("counterexample.txt", "counterexample.svg"):
        path = os.path.join(folder, name)
        if os.path.exists(path):
            log(f"repro: {name}: {path}")
    return code


def repro_model(path):
    fields = dict(line.split(" ", 1) for line in open(path).read().splitlines()[1:] if " " in line)
    recorded = fields.get("binary", "ringcheck-models").strip()
    binary = os.path.basename(recorded)
    if os.path.isabs(recorded) and not recorded.startswith(BUILD + os.sep):
        # The models of a project's queue (ringcheck_add_queue ... SYNC_ADAPTER): run where it is.
        if not os.path.exists(recorded):
            raise UsageError(f"'{path}': its model binary {recorded} no longer exists (rebuild that project)")
        found = recorded
    elif INSTALLED:
        raise UsageError(f"'{path}': model binary '{recorded}' is not a path to a project's models")
    else:
        if not re.fullmatch(r"ringcheck-models[-\w]*", binary):
            raise UsageError(f"'{path}': unknown model binary '{binary}'")
        require_build("gcc", [binary])
        found = model_binary(binary)
        if not found:
            raise UsageError(f"'{path}': model binary {binary} was not built")
    log(f"repro: replaying model {fields.get('model', '?').strip()} with {binary}")
    proc = subprocess.run([found, "replay", os.path.abspath(path)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
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
    folder = os.path.join(OUT, "repro")
    svg = gate.picture_of_history(text, folder, name, lincheck())
    if svg:
        log(f"repro: history: {os.path.join(folder, name + '.history.txt')}")
        log(f"repro: picture: {svg}")


def repro_fuzz(path):
    name = os.path.basename(path)
    m = re.match(r"((?:seq|sched)_\w+?)-(?:crash|leak|timeout|oom|slow-unit)-", name)
    harness = m.group(1) if m else os.path.basename(os.path.dirname(os.path.abspath(path)))
    if not os.path.exists(os.path.join(ROOT, "fuzz", "harnesses", harness + ".cpp")):
        raise UsageError(f"'{path}': cannot tell which fuzz harness it is for (name it <harness>-crash-..., "
                         "or keep it in fuzz/regressions/<harness>/)")
    require_build("gcc", [harness])
    svg = os.path.join(OUT, "repro", name + ".svg")
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
    if args.queue and not args.build:
        raise UsageError("--queue needs --build DIR (the build folder of the project that declares the queue)")
    head = "" if os.path.isdir(path) else first_line(path)
    if args.schedule and not args.build:
        raise UsageError("--schedule needs --build DIR (the build folder of the project that declares the queue)")
    if args.build and not head.startswith("ringcheck-model-replay"):
        return repro_queue_fuzz(args, path)
    if os.path.isdir(path):
        if not os.path.exists(os.path.join(path, "config.json")):
            raise UsageError(f"'{path}' is a folder but not a stress reproducer (no config.json)")
        return repro_stress(path)
    if head.startswith("ringcheck-model-replay"):
        if head != "ringcheck-model-replay 1":
            raise UsageError(f"'{path}': replay format '{head}' is not the one this version reads (ringcheck-model-replay 1)")
        return repro_model(path)
    if head.startswith("ringcheck-history"):
        svg = os.path.join(OUT, "repro", os.path.basename(path) + ".svg")
        os.makedirs(os.path.dirname(svg), exist_ok=True)
        code = cmd_check_history(argparse.Namespace(contract=args.contract, svg=svg, file=path,
                                                         budget_steps=None, budget_seconds=None, jobs=None))
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
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--build-root", metavar="DIR", help="folder of the presets' build trees "
                        "(default build/ in the source tree; each preset builds in DIR/<preset>)")
    t = sub.add_parser("test", parents=[common], help="build the presets and run the test suite (what CI runs)")
    t.add_argument("--preset", action="append", choices=[step[0] for step in TEST_PLAN], help="only this preset (repeatable)")
    t.set_defaults(func=cmd_test)

    g = sub.add_parser("gate", parents=[common], help="the main job: every checker on every ring, a verdict table and reports")
    mode = g.add_mutually_exclusive_group()
    mode.add_argument("--quick", dest="mode", action="store_const", const="quick", help="200 s of checking")
    mode.add_argument("--deep", dest="mode", action="store_const", const="deep",
                      help="3600 s: one more preemption in the bounded models, and the mutation matrix")
    g.set_defaults(mode="default")
    g.add_argument("--budget", type=seconds_option, metavar="SECONDS",
                   help="checking time after the build (quick 200, default 720, deep 3600); the stages share it")
    g.add_argument("--ring", nargs="+", metavar="NAME", help=f"only these rings ({', '.join(RINGS)})")
    g.add_argument("--peers", action="store_true", help="also check the packaged peers, declared with ringcheck_add_queue "
                   "in peers/ and built in the preset peers (reported, not gated)")
    g.add_argument("--broken", action="store_true", help="also run the deliberately broken rings: the gate "
                   "must FAIL on them (proves it can fail, shows what a failure report looks like)")
    g.add_argument("--build", metavar="DIR", help="check the queues of this build folder instead of ringcheck's "
                   "rings: a project that calls ringcheck_add_queue (its manifests are in DIR/ringcheck/queues/)")
    g.add_argument("--queue", nargs="+", metavar="NAME", help="with --build: only these queues")
    g.add_argument("--out", default=os.path.join(OUT, "gate"), help="report folder (default out/gate; "
                   "installed: ringcheck-out/gate in the current folder)")
    g.set_defaults(func=cmd_gate)

    s = sub.add_parser("sanitize", parents=[common], help="stress the rings under ThreadSanitizer and/or ASan+UBSan")
    s.add_argument("--tsan", action="store_true")
    s.add_argument("--asan", action="store_true")
    s.add_argument("--ring", action="append", metavar="NAME")
    s.add_argument("--seconds", type=seconds_option, default=20.0, help="per ring and sanitizer (default 20)")
    s.add_argument("--build", metavar="DIR", help="stress the queues of this build folder (ringcheck_add_queue)")
    s.add_argument("--queue", nargs="+", metavar="NAME", help="with --build: only these queues")
    s.set_defaults(func=cmd_sanitize)

    r = sub.add_parser("repro", parents=[common], help="make a reported failure happen again: a stress reproducer folder, a fuzz "
                       "crash input, a model replay file, or judge a history file")
    r.add_argument("path")
    r.add_argument("--contract", help="for a history file: linearizable, per-producer-fifo or bag")
    r.add_argument("--build", metavar="DIR", help="a fuzz input of a queue of this build (ringcheck_add_queue)")
    r.add_argument("--queue", metavar="NAME", help="with --build: the queue whose fuzzer replays the input")
    r.add_argument("--schedule", action="store_true", help="with --build: the input is for the queue's schedule "
                   "fuzzer (SYNC_ADAPTER), not its sequential one")
    r.set_defaults(func=cmd_repro)

    c = sub.add_parser("check-history", parents=[common], help="judge a history file (exit 0 holds, 1 violation, 2 bad input, "
                                                                          "3 undecided: the search budget ran out)")
    c.add_argument("--contract", help="linearizable (default), per-producer-fifo or bag")
    c.add_argument("--svg", metavar="OUT.svg", help="write the counterexample picture")
    c.add_argument("--budget-steps", metavar="N", help="search steps before 'undecided' (ringcheck-lincheck's option)")
    c.add_argument("--budget-seconds", metavar="S", help="seconds before 'undecided' (ringcheck-lincheck's option)")
    c.add_argument("--jobs", metavar="N", help="threads for the search (ringcheck-lincheck's option; default: all)")
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
    if getattr(args, "build_root", None):
        global BUILD
        BUILD = os.path.abspath(args.build_root)
    if not getattr(args, "func", None):
        p.print_help()
        return 0
    try:
        return args.func(args)
    except UsageError as e:
        print(f"ringcheck: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # a running stage's processes were stopped with it (proc.run)
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
