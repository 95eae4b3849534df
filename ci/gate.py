"""The gate's engine: runs checks within their shares of a budget, stops what overruns, and writes
the reports. A check is a row of the verdict table: commands run once (`fixed`) and, while its share
allows, further rounds of a command (`rounds`); their exit codes are its verdict, their output its
counts, what it explored and, when it failed, the failure's own lines."""
import os
import platform
import re
import subprocess
import time

import proc
import report

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GRACE = 3.0           # seconds a stage may run past its share before it is stopped
EXIT_UNDECIDED = 3    # the oracle could not decide within its budget (never pass, never a bug)


class Check:
    """One row of the verdict table.

    fixed:    commands run once, in order (a list, or callable(share) -> list);
    rounds:   callable(k, share, last) -> command for round k, or None when done; rounds run while
              the share leaves room for one more as long as the longest so far (at least one runs);
    needs:    [(preset, target)] that the commands use; the gate builds exactly these;
    floor:    seconds the fixed part needs whatever the budget (the budget must cover every floor);
    weight:   how much of the budget above the floors this check gets;
    explored: callable(output) -> text saying what the row covered."""

    def __init__(self, ring, checker, fixed=(), rounds=None, needs=(), counts=None, weight=1.0, floor=2.0,
                 gated=True, replay=None, env=None, explored=None):
        self.ring, self.checker = ring, checker
        self.fixed, self.rounds, self.needs = fixed, rounds, list(needs)
        self.env = {**os.environ, **(env or {})}
        self.count_patterns = counts or {}
        self.weight, self.floor, self.gated = weight, floor, gated
        self.replay = replay  # callable(output) -> replay command or None
        self.explored = explored

    def commands_once(self, share):
        return self.fixed(share) if callable(self.fixed) else list(self.fixed)

    def run(self, share, log):
        start = time.monotonic()
        deadline = start + share + GRACE
        outputs, status, note, unfinished = [], "pass", "", ""

        def execute(cmd, in_round=False):
            nonlocal status, note, unfinished
            beat = (lambda s: log(f"    ... {self.ring} / {self.checker}: {time.monotonic() - start:.0f} s of {share:.0f} s"))
            r = proc.run(cmd, deadline, cwd=ROOT, env=self.env, heartbeat=beat, every=15.0)
            if r.stopped and in_round:
                # A later round only adds exploration, and its own watchdog and oracle budget report a
                # hang or an undecidable history before the share ends: a round stopped here ran out
                # of time, unjudged. It is left out of the row (its verdict and counts), and said so.
                unfinished = f"; a last round was stopped unfinished at the end of the share and is not counted"
                return False
            outputs.append(r.output)
            if r.stopped:
                status = "fail"
                note = (f"HUNG: `{' '.join(cmd)}` was still running at the end of this stage's share "
                        f"({share:.0f} s + {GRACE:.0f} s) and was stopped with every process it started")
                return False
            if r.code == 0:
                return True
            if r.code == EXIT_UNDECIDED and re.search(r"^undecided:", r.output, re.M):
                status = "undecided" if status == "pass" else status
                return True
            status = "fail"
            return False

        ok = all(execute(cmd) for cmd in self.commands_once(share))
        longest, k, last = 0.0, 0, None
        while ok and self.rounds:
            elapsed = time.monotonic() - start
            if k > 0 and elapsed + 1.5 * longest + 1.0 > share:
                break
            cmd = self.rounds(k, share - elapsed, last)
            if cmd is None:
                break
            t0 = time.monotonic()
            ok = execute(cmd, in_round=k > 0)
            last = time.monotonic() - t0
            longest, k = max(longest, last), k + 1
        text = "".join(outputs)
        failed = status == "fail"
        return {
            "ring": self.ring, "checker": self.checker, "status": status, "gated": self.gated,
            "counts": self.counts(text), "seconds": time.monotonic() - start, "share_seconds": share,
            "explored": (self.explored(text) if self.explored else "") + (f"; {k - bool(unfinished)} rounds" if k > 1 else "") + unfinished,
            "detail": failure_first(text, note) if status != "pass" else "",
            "svg": (find_svg(text) or draw_history(text, self.ring, self.checker)) if failed else None,
            "replay": (self.replay(text) if self.replay else find_replay(text)) if failed else None,
        }

    def counts(self, text):
        found = {}
        for name, pattern in self.count_patterns.items():
            values = [int(float(m)) for m in re.findall(pattern, text)]
            if values:
                found[name] = sum(values)
        return found


# ---- what a failure shows first ----

CTEST_STATUS = re.compile(r"^\s*\d+/\d+ Test\s+#(\d+): (.+?)\s\.*\s*(\*\*\*\w+|Failed|Not Run|Passed)\b.*$", re.M)
CTEST_START = re.compile(r"^\s*Start\s+(\d+): (.+)$", re.M)
CTEST_BOUNDARY = re.compile(r"^\s*(Start\s+\d+:|\d+/\d+ Test\s+#\d+:|\d+% tests passed|The following tests)", re.M)
FAILURE_MARKS = re.compile(
    r"(WARNING: ThreadSanitizer|ERROR: (Address|Leak)Sanitizer|runtime error:|==\d+==ERROR|"
    r"^violation|violat|^FAIL|FAILED|counterexample|deadlock|data race|hang|^undecided:|Assertion|"
    r"deadly signal|^error|: error:|Error |ERROR)", re.M)


def failure_first(text, note=""):
    """The failure's own lines first: the note, ctest's failed and hung tests with their own
    output, the sanitizer's report head or the checker's verdict lines; then the last lines."""
    parts = [note] if note else []
    ctest = ctest_failures(text)
    if ctest:
        parts.append(ctest)
    else:
        marks = failure_lines(text)
        if marks:
            parts.append(marks)
    parts.append("---- last lines of the output ----\n" + tail(text, 40))
    return "\n\n".join(p for p in parts if p.strip())


def ctest_failures(text):
    blocks, finished = [], set()
    for m in CTEST_STATUS.finditer(text):
        number, name, word = m.group(1), m.group(2).strip(), m.group(3)
        finished.add(number)
        if word in ("Passed", "***Skipped"):  # a skip (GTEST_SKIP) is not a failure
            continue
        end = CTEST_BOUNDARY.search(text, m.end())
        body = text[m.end():end.start() if end else len(text)].strip("\n")
        what = "HUNG (stopped by its timeout)" if "Timeout" in word else word.strip("*")
        blocks.append(f"{name}: {what}\n{tail(body, 60)}".rstrip())
    for number, name in CTEST_START.findall(text):  # ctest itself was stopped while these ran
        if number not in finished:
            blocks.append(f"{name.strip()}: HUNG (still running when the stage was stopped)")
    if not blocks:
        listed = re.findall(r"^\s+\d+ - (\S+) \((\w[\w ]*)\)", text, re.M)
        blocks = [f"{name}: {why}" for name, why in listed]
    return ("failed tests:\n" + "\n\n".join(blocks)) if blocks else ""


def failure_lines(text):
    lines = text.splitlines()
    picked, seen = [], set()
    for i, line in enumerate(lines):
        if FAILURE_MARKS.search(line):
            span = 25 if "Sanitizer" in line or "runtime error" in line else 3
            for j in range(i, min(len(lines), i + span)):
                if j not in seen:
                    seen.add(j)
                    picked.append(lines[j])
        if len(picked) > 80:
            break
    return "\n".join(picked)


def short(text, width):
    """One table cell on a terminal: the report files keep the whole text."""
    return text if len(text) <= width else text[:width - 3] + "..."


def tail(text, lines):
    parts = text.rstrip().splitlines()
    return "\n".join(parts[-lines:])


def find_svg(text):
    """The counterexample picture a failed check wrote: an .svg it names, or its reproducer's."""
    candidates = re.findall(r"(\S+\.svg)\b", text)
    candidates += [os.path.join(d, "counterexample.svg") for d in re.findall(r"reproducer: (\S+)", text)]
    for candidate in reversed(candidates):
        path = candidate if os.path.isabs(candidate) else os.path.join(ROOT, candidate)
        if os.path.exists(path):
            return path
    return None


def draw_history(text, ring, checker):
    """A failed check that printed its counterexample as a history (the models do) gets the
    oracle's picture of it, next to the gate's reports."""
    m = re.search(r"^(ringcheck-history 1 .*?)(?=^----|^\S+:|\Z)", text, re.M | re.S)
    if not m or not LINCHECK or not os.path.exists(LINCHECK) or not OUT_DIR:
        return None
    return picture_of_history(m.group(1), OUT_DIR, re.sub(r"[^\w.-]+", "_", f"{ring}-{checker}"), LINCHECK)


def picture_of_history(history, folder, name, lincheck):
    """Writes folder/name.history.txt and the oracle's picture of it, folder/name.svg; returns
    the picture's path, or None when the oracle drew none."""
    os.makedirs(folder, exist_ok=True)
    hist, svg = os.path.join(folder, name + ".history.txt"), os.path.join(folder, name + ".svg")
    with open(hist, "w") as f:
        f.write(history)
    subprocess.run([lincheck, "--svg", svg, hist], capture_output=True)
    return svg if os.path.exists(svg) else None


OUT_DIR = None   # the gate's report folder, set by run_checks
LINCHECK = None  # the oracle's command line tool, set by the caller


def find_replay(text):
    m = re.findall(r"^.*(?:replay|Replay|REPLAY)[^:\n]*:\s*(.+)$", text, re.M)
    return m[-1].strip() if m else None


def machine():
    cpu = "unknown cpu"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"


def commit():
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True).stdout.strip() or "unknown"
    except OSError:
        return "unknown"


# ---- the budget ----

def floors(checks):
    return sum(c.floor for c in checks)


def run_checks(checks, budget, mode, out_dir, log, prefix=(), started=None):
    """Runs the checks in order. Each gets its floor plus its weight's part of what is left above the
    floors still to come, so an early stage's overrun or saving moves to the later ones."""
    global OUT_DIR
    OUT_DIR = out_dir
    start = time.monotonic()
    results = list(prefix)
    for i, check in enumerate(checks):
        elapsed = time.monotonic() - start
        left = max(0.0, budget - elapsed)
        rest = checks[i:]
        spare = max(0.0, left - floors(rest))
        share = check.floor + spare * check.weight / max(1e-9, sum(c.weight for c in rest))
        log(f"[{i + 1}/{len(checks)}] {check.ring} / {check.checker} "
            f"(elapsed {elapsed:.0f} s, {left:.0f} s of budget left, this stage up to {share:.0f} s)")
        result = check.run(share, log)
        log(f"    {report.verdict_word(result)} in {result['seconds']:.1f} s of {share:.0f} s"
            + (f": {result['explored']}" if result["explored"] else ""))
        results.append(result)
    return finish(results, mode, budget, out_dir, log, time.monotonic() - (started or start),
                  checking=time.monotonic() - start)


def verdict(results):
    gated = [r for r in results if r["gated"]]
    if any(r["status"] == "fail" for r in gated):
        return "FAIL"
    return "UNDECIDED" if any(r["status"] == "undecided" for r in gated) else "PASS"


def finish(results, mode, budget, out_dir, log, seconds, checking=0.0):
    word = verdict(results)
    meta = {"mode": mode, "verdict": word.lower(), "passed": word == "PASS", "seconds": seconds,
            "checking_seconds": checking, "machine": machine(), "commit": commit(), "budget_seconds": budget,
            "undecided": sum(1 for r in results if r["status"] == "undecided")}
    report.write_all(out_dir, meta, results)
    print_table(results, word)
    log(f"reports: {os.path.join(out_dir, 'report.html')} (also report.md, report.json, junit.xml)")
    return word


def print_table(results, word):
    rows = [report.HEADER] + [row[:-1] + [short(row[-1], 90)] for row in report.table_rows(results)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(report.HEADER))]
    for n, row in enumerate(rows):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))
    undecided = sum(1 for r in results if r["status"] == "undecided")
    print(f"gate: {word}" + (f" ({undecided} undecided)" if undecided and word != "UNDECIDED" else ""), flush=True)
