"""A policy written in Python against the built-in one, on the year benchmark's workload.

The workload is bench_year's (bench_year.cpp): one AI Gigafactory (100,000 B200) and one AI
Factory (25,000 H100) -- the EU programme's sizes -- and J jobs (default 10^6) arriving as a
Poisson stream over 365 days, sizes uniform over the powers of two from 8 to 16,384 chips
(mean 2,730), lognormal run times (sigma 1) whose mean makes the offered load 85% of the
installed chips. Reports the median wall time over repetitions of: the built-in strict FIFO,
the same policy in Python (examples/policies/strict_fifo.py, and a variant with first fit written
by hand; same schedule, checked), and a
pure-Python heapq simulator of the same FIFO without metrics, on the same jobs.

    PYTHONPATH=build/python python3 benchmarks/bench_python.py [--jobs J] [--repeats N]
"""
import argparse
import heapq
import math
import statistics
import sys
import time
from pathlib import Path

import numpy as np

import gigasim

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples" / "policies"))
from strict_fifo import StrictFifo  # noqa: E402

class StrictFifoByHand(StrictFifo):
    """The same policy with first fit written in Python instead of view.place()."""

    def schedule(self, view):
        for job in view.waiting:
            factory = next((f for f in job.eligible_factories if view.fits(job, f)), None)
            if factory is None:
                return
            view.start(job, factory)


CHIPS_MEAN = sum(2 ** k for k in range(3, 15)) / 12  # pow2 from 8 to 16,384


def scenario_text(jobs, load):
    rate_per_day = jobs / 365
    mean_run_s = load * 125_000 / (rate_per_day / 86400 * CHIPS_MEAN)
    sigma = 1.0
    median_s = mean_run_s / math.exp(sigma * sigma / 2)
    return f"""
name: bench-year-python
horizon: 365d
seed: 42
factories:
  - {{name: gf, chip: B200, chips: 100000, node_size: 8}}
  - {{name: af, chip: H100, chips: 25000, node_size: 8}}
policy: {{queue: fifo, backfill: none}}
workload:
  - arrivals: {{rate: {rate_per_day!r}/d}}
    chips: {{dist: pow2, min: 8, max: 16384}}
    duration: {{dist: lognormal, median: {median_s:.3f}s, sigma: {sigma}}}
"""


def heapq_fifo(jobs):
    """The reference: strict FIFO first-fit over the two factories with a heap of completions,
    no metrics. `jobs`: (submit, chips, duration) in submit order, seconds."""
    free = [100_000 // 8, 25_000 // 8]
    ends = []  # (end, factory, nodes)
    queue = []
    head = 0
    i, n = 0, len(jobs)
    horizon = 365 * 86400.0
    started = 0
    while i < n or ends:
        t = min(jobs[i][0] if i < n else math.inf, ends[0][0] if ends else math.inf)
        if t >= horizon:
            break
        while ends and ends[0][0] == t:
            _, f, nodes = heapq.heappop(ends)
            free[f] += nodes
        while i < n and jobs[i][0] == t:
            queue.append(jobs[i])
            i += 1
        while head < len(queue):
            _, chips, duration = queue[head]
            nodes = -(-chips // 8)
            f = 0 if free[0] >= nodes else 1 if free[1] >= nodes else -1
            if f < 0:
                break
            free[f] -= nodes
            heapq.heappush(ends, (t + duration, f, nodes))
            head += 1
            started += 1
    return started


def median_time(fn, repeats):
    times = []
    out = None
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=float, default=1e6)
    ap.add_argument("--load", type=float, default=0.85)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()

    s = gigasim.loads(scenario_text(args.jobs, args.load))
    t_builtin, builtin = median_time(lambda: gigasim.run(s, policy="fifo"), args.repeats)
    t_python, python = median_time(lambda: gigasim.run(s, policy=StrictFifo()), args.repeats)
    t_by_hand, by_hand = median_time(lambda: gigasim.run(s, policy=StrictFifoByHand()), args.repeats)

    def same_jobs(a, b):
        return all(np.array_equal(a.jobs[k], b.jobs[k], equal_nan=True) if a.jobs[k].dtype != object
                   else (a.jobs[k] == b.jobs[k]).all() for k in a.jobs)
    same = same_jobs(builtin, python) and same_jobs(builtin, by_hand)
    # The same jobs for the reference (the engine's draws, in ms, as seconds).
    j = builtin.jobs
    order = np.argsort(j["id"], kind="stable")
    durations = (j["end"] - j["start"])[order]
    listed = [(float(a), int(c), float(d)) for a, c, d in zip(j["submit"][order], j["chips"][order], durations)
              if not math.isnan(d)]
    t_heapq, _ = median_time(lambda: heapq_fifo(listed), args.repeats)

    print(f"jobs {int(args.jobs):,}, load {args.load}, median of {args.repeats}")
    print(f"  built-in strict FIFO      {t_builtin:8.2f} s  (full metrics, per-job table)")
    print(f"  Python strict FIFO        {t_python:8.2f} s  ({t_python / t_builtin:.1f}x built-in; same schedule: {same})")
    print(f"    first fit by hand       {t_by_hand:8.2f} s  ({t_by_hand / t_builtin:.1f}x built-in; "
          "view.fits per factory instead of view.place)")
    print(f"  pure-Python heapq FIFO    {t_heapq:8.2f} s  (no metrics; completed jobs only; "
          f"gigasim+Python policy = {t_python / t_heapq:.1f}x)")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
