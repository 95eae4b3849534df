#!/usr/bin/env python3
"""The deep mutation sweep: every explorer against every catalogue mutant.

usage: explore_mutants.py --build DIR --source DIR --out DIR [--build-first] [--gate] [--only NAME,...]

For each catalogue mutant (models/mutants/catalogue.txt) and for three controls over the real rings
(real_spsc, real_mpmc, real_locked), runs each explorer built by models/cmake/MutantExplorers.cmake
(configure with -DRINGCHECK_MUTATION_EXPLORERS=ON) and records whether it kills the mutant and how
long it took:
  relacy  the mutant's Relacy model runner (`row`: every model of its ring, stops at the first failure)
  sched   schedule fuzz harness: committed corpus and regressions, then seeded random schedules
  seq     sequential fuzz harness (small capacities): committed corpora, then seeded random inputs
  tsan    stress runs under ThreadSanitizer, fixed seeds, bounded by --ops
  unit    the ring's unit tests (GoogleTest)
Every explorer runs to its own end (none stops at another's kill). Writes OUT/mutation-matrix-deep.json
and .md. --gate: exit 1 unless every control passes every explorer, every mutant is killed by the
explorers catalogue.txt lists for it, and by at least two unless catalogue.txt gives the reason.
Exit 2 on bad input.
"""
import argparse
import json
import os
import random
import subprocess
import sys
import time

EXPLORERS = ["relacy", "sched", "seq", "tsan", "unit"]
INTERRUPTED = (-2, -9, -15)  # SIGINT, SIGKILL, SIGTERM from outside the sweep
RANDOM_INPUTS = 300  # per ring and harness kind: bounded by count, the same bytes every run
# Seconds per explorer run; running into it counts as a kill (a hang). A correct ring replays a
# harness's inputs in about a second and passes one unit test case in well under one (ctest gives
# each case 10 s; a loaded 2-core machine has been seen to need 3x), so these leave wide margins;
# the stress runner stops hangs itself (--watchdog 30). Unit cases run one per process, so a hang
# costs one case's timeout, not the whole binary's.
TIMEOUT = {"relacy": 300, "sched": 60, "seq": 60, "tsan": 120, "unit": 20}

# Stress configurations per ring: bounded by --ops, fixed seeds; the runner's watchdog reports hangs.
STRESS = {
    "spsc": [["--ring", "spsc", "--capacity", "1", "--perturb", "--ops", "20000", "--seed", "1"],
             ["--ring", "spsc", "--capacity", "4", "--ops", "20000", "--seed", "2"]],
    "mpmc": [["--ring", "mpmc", "--producers", "2", "--consumers", "2", "--capacity", "1", "--perturb",
              "--ops", "20000", "--seed", "3"],
             ["--ring", "mpmc", "--producers", "4", "--consumers", "4", "--capacity", "2", "--ops", "20000",
              "--seed", "4"]],
    "locked": [["--ring", "locked", "--producers", "2", "--consumers", "2", "--capacity", "1", "--mix",
                "try,blocking,timed,close", "--perturb", "--ops", "10000", "--seed", "5"],
               ["--ring", "locked", "--producers", "2", "--consumers", "4", "--capacity", "2", "--mix",
                "blocking,timed", "--ops", "10000", "--seed", "6"]]
              # A close racing four producers: one close per run, so TSan sees a push that reads a
              # guarded field without the mutex only when the two overlap (about 1 run in 3 here).
              + [["--ring", "locked", "--producers", "4", "--consumers", "2", "--capacity", "1", "--mix",
                  "try,blocking,timed,close", "--perturb", "--ops", "2000", "--seed", str(seed)]
                 for seed in range(7, 27)],
}


def read_catalogue(path):
    notes = {}
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            head, _, reason = line.partition("|")
            fields = head.split()
            if len(fields) != 3:
                raise SystemExit(f"explore_mutants.py: malformed catalogue line: {line}")
            name, blind_spot, must = fields
            notes[name] = {"blind_spot": blind_spot, "must_kill": must.split(","), "single_reason": reason.strip()}
    return notes


def random_inputs(folder, seed, count, min_len, max_len):
    """Seeded random byte strings, written once: the same files every run."""
    os.makedirs(folder, exist_ok=True)
    rng = random.Random(seed)
    for i in range(count):
        data = bytes(rng.randrange(256) for _ in range(rng.randint(min_len, max_len)))
        with open(os.path.join(folder, f"random-{i:04d}"), "wb") as f:
            f.write(data)
    return folder


def first_failure_line(text):
    keys = ("ThreadSanitizer", "ringcheck fuzz:", "FAILED", "divergence", "AddressSanitizer", "failure",
            "deadlock", "hang", "timed out", "FAIL", "error")
    for line in text.splitlines():
        if any(k in line for k in keys):
            return line.strip()[:160]
    lines = [l for l in text.splitlines() if l.strip()]
    return lines[-1].strip()[:160] if lines else ""


def run(command, log, timeout):
    start = time.monotonic()
    try:
        done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout)
        code, text = done.returncode, done.stdout.decode(errors="replace")
    except subprocess.TimeoutExpired as e:
        code, text = "timeout", (e.stdout or b"").decode(errors="replace") + f"\ntimed out after {timeout} s (a hang)"
    seconds = time.monotonic() - start
    with open(log, "a") as f:
        f.write("$ " + " ".join(command) + f"\n{text}\nexit {code}\n")
    return code, text, seconds


def explore(name, ring, args, scratch):
    build = args.build
    models = os.path.join(build, "models")
    source = args.source
    logs = os.path.join(args.out, "mutation-deep", name)
    os.makedirs(logs, exist_ok=True)
    result = {}

    def record(explorer, commands, killed_by_code):
        log = os.path.join(logs, explorer + ".log")
        open(log, "w").close()
        total, killed, detail, interrupted = 0.0, False, "", False
        for command in commands:
            code, text, seconds = run(command, log, TIMEOUT[explorer])
            total += seconds
            if code in INTERRUPTED:  # stopped from outside: says nothing about the mutant
                interrupted, detail = True, f"interrupted by signal {-code}"
                break
            if killed_by_code(code, text):
                killed, detail = True, first_failure_line(text)
                break
        result[explorer] = {"killed": killed, "interrupted": interrupted, "seconds": round(total, 2),
                            "detail": detail, "log": log}

    # relacy
    if name.startswith("real_"):
        record("relacy", [[os.path.join(models, "ringcheck-models"), "run", f"{ring}_*"]], lambda c, t: c != 0)
    else:
        binary = os.path.join(models, f"ringcheck-models-mutant-{name}")

        def relacy_killed(code, text):
            rows = [l for l in text.splitlines() if l.startswith("ROW\t")]
            return code != 0 or not rows or rows[0].split("\t")[2] == "1"
        record("relacy", [[binary, "row"]], relacy_killed)
    # sched: corpus and regressions first, then the random schedules
    sched_inputs = [os.path.join(source, "fuzz", "corpus", f"sched_{ring}")]
    regressions = os.path.join(source, "fuzz", "regressions", f"sched_{ring}")
    if os.path.isdir(regressions):
        sched_inputs.append(regressions)
    harness = os.path.join(models, f"explore-sched-{name}")
    record("sched", [[harness, "-runs=0"] + sched_inputs, [harness, "-runs=0", scratch[f"sched_{ring}"]]],
           lambda c, t: c != 0)
    # seq: the ring's small and large corpora (both decode as valid inputs), then random inputs
    harness = os.path.join(models, f"explore-seq-{name}")
    corpora = [os.path.join(source, "fuzz", "corpus", f"seq_{ring}_{size}") for size in ("small", "large")]
    record("seq", [[harness, "-runs=0"] + corpora, [harness, "-runs=0", scratch[f"seq_{ring}"]]], lambda c, t: c != 0)
    # tsan
    stress = os.path.join(models, f"explore-tsan-{name}")
    repro = os.path.join(args.out, "mutation-deep", name, "stress-repro")
    record("tsan", [[stress] + config + ["--watchdog", "30", "--out", repro] for config in STRESS[ring]],
           lambda c, t: c != 0)
    # unit: one process per test case, in the binary's order
    unit = os.path.join(models, f"explore-unit-{name}")
    record("unit", [[unit, "--gtest_brief=1", "--gtest_filter=" + case] for case in unit_cases(unit)],
           lambda c, t: c != 0)
    return result


def unit_cases(binary):
    """The full names of a GoogleTest binary's test cases (Suite.name, typed suites included)."""
    listing = subprocess.run([binary, "--gtest_list_tests"], stdout=subprocess.PIPE, timeout=60).stdout.decode()
    cases, suite = [], ""
    for line in listing.splitlines():
        if not line.strip():
            continue
        if not line.startswith(" "):
            suite = line.split()[0]
        else:
            cases.append(suite + line.split()[0])
    return cases or ["*"]


def markdown(rows, problems):
    out = ["# Mutation matrix, deep sweep: every explorer against every catalogue mutant", "",
           "Each cell: killed or not, and the explorer's wall time on this run (seconds). Controls "
           "(real_*) are the unmodified rings: no explorer may fail them.", "",
           "| mutant | ring | blind spot | must kill | " + " | ".join(EXPLORERS) + " | killed by | verdict |",
           "|---|---|---|---|" + "---|" * len(EXPLORERS) + "---|---|"]
    for r in rows:
        cells = []
        for e in EXPLORERS:
            x = r["explorers"][e]
            mark = "**killed**" if x["killed"] else "INTERRUPTED" if x["interrupted"] else "-"
            cells.append(f"{mark} {x['seconds']:.1f}s")
        out.append(f"| {r['mutant']} | {r['ring']} | {r['blind_spot']} | {r['must_kill']} | " + " | ".join(cells)
                   + f" | {len(r['killed_by'])}: {','.join(r['killed_by']) or '-'} | {r['verdict']} |")
    single = [r for r in rows if len(r["killed_by"]) == 1]
    if single:
        out += ["", "## Killed by one explorer only", ""]
        for r in single:
            out.append(f"- {r['mutant']} ({r['killed_by'][0]}): {r['single_reason'] or 'NO REASON GIVEN'}")
    out += ["", "## First failure line per kill", ""]
    for r in rows:
        for e in EXPLORERS:
            x = r["explorers"][e]
            if x["killed"]:
                out.append(f"- {r['mutant']} / {e}: `{x['detail'].replace('`', '')}`")
    if problems:
        out += ["", "## Problems", ""] + [f"- {p}" for p in problems]
    return "\n".join(out) + "\n"


def main():
    p = argparse.ArgumentParser(description="the deep mutation sweep (see the module docstring)")
    p.add_argument("--build", required=True)
    p.add_argument("--source", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--build-first", action="store_true", help="build the explorers (target mutation-explorers)")
    p.add_argument("--gate", action="store_true")
    p.add_argument("--only", default="", help="comma-separated mutant names (default: all, and the controls)")
    args = p.parse_args()
    notes_path = os.path.join(args.source, "models", "mutants", "catalogue.txt")
    if not os.path.isfile(notes_path):
        print(f"explore_mutants.py: no catalogue at {notes_path}", file=sys.stderr)
        return 2
    notes = read_catalogue(notes_path)
    patches = sorted(f[:-6] for f in os.listdir(os.path.join(args.source, "models", "mutants")) if f.endswith(".patch"))
    problems = [f"{n}: a patch without a catalogue.txt line" for n in patches if n not in notes]
    problems += [f"{n}: a catalogue.txt line without a patch" for n in notes if n not in patches]
    names = ["real_spsc", "real_mpmc", "real_locked"] + [n for n in patches if n in notes]
    if args.only:
        wanted = set(args.only.split(","))
        names = [n for n in names if n in wanted]
    if args.build_first:
        done = subprocess.run(["cmake", "--build", args.build, "--target", "mutation-explorers"])
        if done.returncode != 0:
            print("explore_mutants.py: building the explorers failed", file=sys.stderr)
            return 1
    scratch_root = os.path.join(args.out, "mutation-deep", "random-inputs")
    scratch = {}
    for ring_index, ring in enumerate(["spsc", "mpmc", "locked"]):
        scratch[f"sched_{ring}"] = random_inputs(os.path.join(scratch_root, f"sched_{ring}"), 1000 + ring_index,
                                                 RANDOM_INPUTS, 16, 200)
        scratch[f"seq_{ring}"] = random_inputs(os.path.join(scratch_root, f"seq_{ring}"), 2000 + ring_index,
                                               RANDOM_INPUTS, 4, 120)
    rows = []
    for name in names:
        ring = name.split("_")[1] if name.startswith("real_") else name.split("_")[0]
        note = notes.get(name, {"blind_spot": "control", "must_kill": [], "single_reason": ""})
        started = time.monotonic()
        explorers = explore(name, ring, args, scratch)
        killed_by = [e for e in EXPLORERS if explorers[e]["killed"]]
        stopped = [e for e in EXPLORERS if explorers[e]["interrupted"]]
        if stopped:
            problems.append(f"{name}: {','.join(stopped)} interrupted from outside; run the sweep again")
        if name.startswith("real_"):
            verdict = "passes every explorer" if not killed_by else "FAILED by " + ",".join(killed_by)
            if killed_by:
                problems.append(f"{name}: the real ring fails {','.join(killed_by)} (an explorer is unsound)")
        else:
            missing = [e for e in note["must_kill"] if e not in killed_by]
            if missing:
                verdict = "NOT killed by " + ",".join(missing) + " (catalogue.txt says it must be)"
                problems.append(f"{name}: not killed by {','.join(missing)}")
            elif len(killed_by) < 2 and not note["single_reason"]:
                verdict = "killed by one explorer only, with no reason in catalogue.txt"
                problems.append(f"{name}: killed by {len(killed_by)} explorer(s) and no reason given")
            else:
                verdict = f"killed by {len(killed_by)}"
        rows.append({"mutant": name, "ring": ring, "blind_spot": note["blind_spot"],
                     "must_kill": ",".join(note["must_kill"]) or "-", "single_reason": note["single_reason"],
                     "explorers": explorers, "killed_by": killed_by, "verdict": verdict,
                     "seconds": round(time.monotonic() - started, 2)})
        summary = ", ".join(f"{e} {explorers[e]['seconds']:.1f}s{'*' if explorers[e]['killed'] else ''}" for e in EXPLORERS)
        print(f"{name}: {verdict} [{summary}]", flush=True)
    with open(os.path.join(args.out, "mutation-matrix-deep.json"), "w") as f:
        json.dump({"explorers": EXPLORERS, "rows": rows, "problems": problems}, f, indent=1)
    with open(os.path.join(args.out, "mutation-matrix-deep.md"), "w") as f:
        f.write(markdown(rows, problems))
    mutants = sum(1 for r in rows if not r["mutant"].startswith("real_"))
    print(f"swept {mutants} mutants and {len(rows) - mutants} controls with {len(EXPLORERS)} explorers each")
    print(f"wrote {args.out}/mutation-matrix-deep.json and .md; {len(problems)} problem(s)")
    for problem in problems:
        print("  " + problem)
    return 1 if args.gate and problems else 0


if __name__ == "__main__":
    sys.exit(main())
