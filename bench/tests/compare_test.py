#!/usr/bin/env python3
"""bench/compare's verdicts: ratios are taken per round against that round's best peer, and a
target is met, missed or too noisy to call from where their interquartile range lies."""
import importlib.machinery
import importlib.util
import os
import sys

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "compare")
loader = importlib.machinery.SourceFileLoader("compare", path)
spec = importlib.util.spec_from_loader("compare", loader)
compare = importlib.util.module_from_spec(spec)
loader.exec_module(compare)

failures = []


def expect(condition, what):
    print(f"compare_test: {'ok' if condition else 'FAILED'}: {what}")
    if not condition:
        failures.append(what)


def rounds(**rates):
    """{queue: [items/s per round]} -> collect()'s {queue: [sample per round]}."""
    return {q: [{"items_per_s": r, "median_ns": None, "p99_ns": None, "pinned": True} for r in v] for q, v in rates.items()}


def target_row(samples, goal=1.2):
    summaries = {q: compare.summarise(q, s, False) for q, s in samples.items()}
    peers = [q for q in samples if not compare.ours(q)]
    vs = compare.compare_with(samples, summaries, "ringcheck::spsc_ring", peers, False)
    return vs, compare.verdict(vs["q1"], vs["q3"], goal)


# Ours is 1.5x the best peer in every round, whichever peer is best in that round.
vs, word = target_row(rounds(**{"ringcheck::spsc_ring": [30, 60, 45, 90, 30, 60, 45, 90, 30, 60, 45],
                                "boost": [20, 10, 30, 60, 20, 10, 30, 60, 20, 10, 30],
                                "rwq": [10, 40, 10, 10, 10, 40, 10, 10, 10, 40, 10]}))
expect(abs(vs["ratio"] - 1.5) < 1e-9 and abs(vs["q1"] - 1.5) < 1e-9, f"per-round ratios against each round's best peer (median {vs['ratio']:.2f})")
expect(word == "met", "a target under the whole IQR is met")

# Ours and the peer swap places from round to round: the IQR straddles the goal.
vs, word = target_row(rounds(**{"ringcheck::spsc_ring": [50, 20, 50, 20, 50, 20, 50, 20, 50, 20, 50],
                                "boost": [20, 50, 20, 50, 20, 50, 20, 50, 20, 50, 20]}))
expect(word == "too noisy to call", f"an IQR straddling the goal is too noisy to call (IQR {vs['q1']:.2f}-{vs['q3']:.2f})")

# Ours is steadily slower.
vs, word = target_row(rounds(**{"ringcheck::spsc_ring": [10] * 11, "boost": [20] * 11}))
expect(word == "missed" and abs(vs["ratio"] - 0.5) < 1e-9, "a target above the whole IQR is missed")

# The regime cases get ratios but no verdict, and the failed attempts per item reach the summary.
regime = {"spsc_near_full_u64_cap1024": rounds(**{"ringcheck::spsc_ring": [40] * 11, "boost::lockfree::spsc_queue": [10] * 11,
                                                   "spsc_ring unfenced (not linearizable)": [80] * 11})}
for q, samples in regime["spsc_near_full_u64_cap1024"].items():
    for s in samples:
        s.update(failed_pushes_per_item=0.5 if q == "boost::lockfree::spsc_queue" else 0.25, failed_pops_per_item=0.0)
summaries = {c: {q: compare.summarise(q, s, False) for q, s in v.items()} for c, v in regime.items()}
rows = compare.evaluate_targets(regime, summaries, compare.DIAGNOSTICS)
expect(len(rows) == 1 and abs(rows[0]["ratio"] - 4.0) < 1e-9 and "verdict" not in rows[0]
       and rows[0]["against"] == "boost::lockfree::spsc_queue",
       "a regime case is compared with the best packaged peer (not a reference point) and gets no verdict")
expect(summaries["spsc_near_full_u64_cap1024"]["boost::lockfree::spsc_queue"]["failed_pushes_per_item"] == 0.5,
       "the failed attempts per item reach the queue's summary")
expect(compare.evaluate_targets(regime, summaries) == [], "a regime case is not a target")

# Against try_push/try_pop peers only: the blocking (optimist) row is left out.
rtt = {"rtt_u64": {q: [{"items_per_s": None, "median_ns": ns, "p99_ns": ns, "pinned": True}] * 11
                   for q, ns in (("ringcheck::spsc_ring", 200.0), ("atomic_queue::AtomicQueue2<SPSC>(optimist)", 100.0),
                                 ("boost::lockfree::spsc_queue", 250.0))}}
summaries = {c: {q: compare.summarise(q, s, True) for q, s in v.items()} for c, v in rtt.items()}
rows = {r["target"]: r for r in compare.evaluate_targets(rtt, summaries, compare.DIAGNOSTICS)}
row = rows.get("spsc_ring vs best packaged SPSC peer's try_push/try_pop")
expect(row is not None and row["against"] == "boost::lockfree::spsc_queue" and abs(row["ratio"] - 1.25) < 1e-9,
       "the try_push/try_pop comparison leaves the blocking peer out")
expect(compare.evaluate_targets(rtt, summaries)[0]["against"] == "atomic_queue::AtomicQueue2<SPSC>(optimist)",
       "the target itself still counts the blocking peer")

expect(compare.quartiles([1.0, 2.0, 3.0, 4.0, 5.0]) == (2.0, 3.0, 4.0), "quartiles of 1..5 are 2, 3, 4")
print(f"compare_test: {len(failures)} failed")
sys.exit(1 if failures else 0)
