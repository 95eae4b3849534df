"""The gate: builds what it needs, runs every checker on every ring, prints a verdict table and
writes the reports. Each check is a command; its exit code is its verdict, its output gives counts."""
import os
import platform
import re
import subprocess
import time

import report

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Check:
    """One row of the verdict table: a ring, a checker and the commands that decide it."""

    def __init__(self, ring, checker, commands, counts=None, weight=1.0, gated=True, replay=None, env=None):
        self.ring, self.checker, self.commands = ring, checker, commands
        self.env = {**os.environ, **(env or {})}
        self.count_patterns = counts or {}
        self.weight, self.gated = weight, gated
        self.replay = replay  # callable(output) -> replay command or None

    def run(self, timeout):
        start = time.monotonic()
        output, status = [], "pass"
        for cmd in self.commands(timeout) if callable(self.commands) else self.commands:
            remaining = max(5.0, timeout - (time.monotonic() - start))
            try:
                proc = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                      text=True, errors="replace", timeout=remaining + 60, env=self.env)
                output.append(proc.stdout)
                if proc.returncode == 3:  # the oracle's budget ran out: neither pass nor failure
                    status = "undecided"
                    break
                if proc.returncode != 0:
                    status = "fail"
                    break
            except subprocess.TimeoutExpired as e:
                output.append((e.stdout or "") if isinstance(e.stdout, str) else "")
                output.append(f"\nringcheck gate: {' '.join(cmd)} ran past its budget and was stopped")
                status = "fail"
                break
        text = "".join(output)
        counts = self.counts(text)
        undecided = len(re.findall(r"^undecided:", text, re.M))
        if undecided:
            counts["undecided"] = undecided
        return {
            "ring": self.ring, "checker": self.checker, "status": status, "gated": self.gated,
            "counts": counts, "seconds": time.monotonic() - start,
            "detail": tail(text, 120) if status != "pass" else "",
            "svg": (find_svg(text) or draw_history(text, self.ring, self.checker)) if status != "pass" else None,
            "replay": (self.replay(text) if self.replay else find_replay(text)) if status != "pass" else None,
        }

    def counts(self, text):
        found = {}
        for name, pattern in self.count_patterns.items():
            values = [int(float(m)) for m in re.findall(pattern, text)]
            if values:
                found[name] = sum(values)
        return found


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
    lincheck = os.path.join(ROOT, "build", "gcc", "oracle", "ringcheck-lincheck")
    if not m or not os.path.exists(lincheck) or not OUT_DIR:
        return None
    name = re.sub(r"[^\w.-]+", "_", f"{ring}-{checker}")
    hist, svg = os.path.join(OUT_DIR, name + ".history.txt"), os.path.join(OUT_DIR, name + ".svg")
    with open(hist, "w") as f:
        f.write(m.group(1))
    subprocess.run([lincheck, "--svg", svg, hist], capture_output=True)
    return svg if os.path.exists(svg) else None


OUT_DIR = None  # the gate's report folder, set by run_checks


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


def run_checks(checks, budget, mode, out_dir, log, prefix=(), started=None):
    """Runs the checks in order, each with its share of what is left of the budget."""
    global OUT_DIR
    OUT_DIR = out_dir
    start = time.monotonic()
    results = list(prefix)
    total_weight = sum(c.weight for c in checks)
    for i, check in enumerate(checks):
        elapsed = time.monotonic() - start
        left = max(0.0, budget - elapsed)
        share = left * check.weight / max(1e-9, total_weight)
        total_weight -= check.weight
        log(f"[{i + 1}/{len(checks)}] {check.ring} / {check.checker} "
            f"(elapsed {elapsed:.0f} s, {left:.0f} s of budget left, this stage up to {share:.0f} s)")
        result = check.run(max(share, 5.0))
        log(f"    {report.verdict_word(result)} in {result['seconds']:.1f} s"
            + (f": {result['counts']}" if result["counts"] else ""))
        results.append(result)
    return finish(results, mode, budget, out_dir, log, time.monotonic() - (started or start))


def finish(results, mode, budget, out_dir, log, seconds):
    """The gate's verdict: "FAIL" if a gated row failed, else "UNDECIDED" if a gated row could not be
    decided (the oracle's budget ran out: neither pass nor bug), else "PASS"."""
    gated = [r["status"] for r in results if r["gated"]]
    verdict = "FAIL" if "fail" in gated else "UNDECIDED" if "undecided" in gated else "PASS"
    meta = {"mode": mode, "passed": verdict == "PASS", "verdict": verdict,
            "undecided": sum(1 for r in results if r["status"] == "undecided"), "seconds": seconds,
            "machine": machine(), "commit": commit(), "budget_seconds": budget}
    report.write_all(out_dir, meta, results)
    print_table(results, verdict)
    log(f"reports: {os.path.join(out_dir, 'report.html')} (also report.md, report.json, junit.xml)")
    return verdict


def print_table(results, verdict):
    rows = [report.HEADER] + list(report.table_rows(results))
    widths = [max(len(r[i]) for r in rows) for i in range(len(report.HEADER))]
    for n, row in enumerate(rows):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)))
        if n == 0:
            print("  ".join("-" * w for w in widths))
    print(f"gate: {verdict}")
