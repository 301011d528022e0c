"""gigasim: a discrete-event simulator of AI compute capacity, from Python.

The engine is C++ (the ``_gigasim`` extension module); this package gives it a Python face:

    import gigasim
    s = gigasim.load("scenarios/default.yaml", set={"policy.backfill": "easy"})
    r = gigasim.run(s, seed=2)
    r.summary["utilisation"]          # the same document as `gigasim run --json`
    r.jobs["start"]                   # per-job columns as numpy arrays
    r.jobs_frame()                    # ... as a pandas DataFrame, when pandas is installed
    gigasim.bench(s, policies=["fifo", "easy", MyPolicy()], replicas=5)

A policy is any object with a ``schedule(self, view)`` method, called once per scheduling pass
in which jobs wait (see docs/writing-a-policy.md, and examples/policies/).
"""
from __future__ import annotations

import json
import os
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Union

import numpy as np

from . import _gigasim
from ._gigasim import (  # noqa: F401  (re-exported)
    Error,
    Factory,
    Job,
    OutputError,
    PolicyError,
    PolicyView,
    Preempt,
    ScenarioError,
    Start,
    Tenant,
    WaitingJobs,
)

__version__: str = _gigasim.__version__

__all__ = [
    "Scenario", "RunResult", "Simulation", "load", "loads", "run", "bench", "compare", "sweep", "policy_names",
    "Error", "ScenarioError", "PolicyError", "OutputError",
    "PolicyView", "WaitingJobs", "Job", "Factory", "Tenant", "Start", "Preempt",
]

Duration = Union[str, float, int]
"""A duration: text with a unit as in scenario files ("90d", "6h", "30m", "1y") or seconds. A
``horizon=`` may also be a calendar date ("2027-06-30"), counted from the scenario's ``start``."""


def _seconds(value: Optional[Duration], what: str) -> Optional[float]:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return _gigasim.parse_duration(value)
        except ScenarioError as e:
            raise ScenarioError(f"{what}: {e}") from None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{what}: expected a duration such as '90d' or seconds, got {value!r}")
    return float(value)


def _horizon(native: Any, value: Optional[Duration]) -> Optional[float]:
    """A horizon as the scenario's ``horizon`` key takes it: seconds, a duration ("90d", "1y"),
    or a calendar date ("2027-06-30") counted from the scenario's ``start``."""
    if isinstance(value, str):
        try:
            return _gigasim.parse_horizon(value, native.start)
        except ScenarioError as e:
            raise ScenarioError(f"horizon: {e}") from None
    return _seconds(value, "horizon")


def _yaml_text(value: Any) -> str:
    """A --set value as YAML text: strings as they are (YAML reads them), the rest as JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value)


def _overrides(set: Optional[Mapping[str, Any]]) -> List[tuple]:
    if not set:
        return []
    if not isinstance(set, Mapping):
        raise TypeError("set: expected a dict {PATH: VALUE}, as the CLI's --set PATH=VALUE")
    return [(str(path), _yaml_text(value)) for path, value in set.items()]


class Scenario:
    """A loaded scenario file, or the capacity plans of a file with ``plans:``."""

    def __init__(self, native: "_gigasim.ScenarioSet"):
        self._native = native

    name = property(lambda self: self._native.name, doc="the scenario's name (the first plan's, for plans)")
    plans = property(lambda self: list(self._native.plans), doc="plan names ([] for a plain scenario)")
    path = property(lambda self: self._native.path or None, doc="the file it was loaded from; None for loads()")
    seed = property(lambda self: self._native.seed)
    horizon = property(lambda self: self._native.horizon, doc="seconds; None = until every job finished")
    start = property(lambda self: self._native.start, doc="calendar date of time 0 ('YYYY-MM-DD'); None if not given")
    factories = property(lambda self: list(self._native.factories))
    tenants = property(lambda self: list(self._native.tenants))
    policy = property(lambda self: self._native.policy, doc="canonical name, e.g. 'fifo+easy+first-fit'")
    warnings = property(lambda self: list(self._native.warnings), doc="problems that did not stop loading")

    def __repr__(self) -> str:
        plans = f", plans={self.plans}" if len(self.plans) > 1 else ""
        return f"<gigasim.Scenario {self.name!r}{plans}>"


def load(path: Union[str, os.PathLike], set: Optional[Mapping[str, Any]] = None) -> Scenario:
    """Reads and validates a scenario file (and the traces it names, relative to its folder).

    ``set`` is the CLI's ``--set PATH=VALUE`` as a dict, e.g. ``{"factories[0].chips": 4096}``.
    Bad input raises ScenarioError with ``.file``, ``.line``, ``.column`` and the CLI's message.
    """
    return Scenario(_gigasim.load(os.fspath(path), _overrides(set)))


def loads(text: str, set: Optional[Mapping[str, Any]] = None, *, base_dir: Union[str, os.PathLike, None] = None,
          label: str = "<string>") -> Scenario:
    """A scenario from YAML text; traces are found relative to ``base_dir`` (default: the
    current directory); messages name the text as ``label``."""
    return Scenario(_gigasim.loads(text, label, os.fspath(base_dir) if base_dir is not None else "", _overrides(set)))


def _native(scenario: Union[Scenario, str, os.PathLike]) -> "_gigasim.ScenarioSet":
    if isinstance(scenario, Scenario):
        return scenario._native
    if isinstance(scenario, (str, os.PathLike)):
        return load(scenario)._native
    raise TypeError(f"expected a gigasim.Scenario or a scenario file, got {type(scenario).__name__}")


def _table(columns: Optional[Dict[str, Any]]) -> Optional[Dict[str, np.ndarray]]:
    """Engine columns -> numpy arrays; names given as (codes, names) become object arrays."""
    if columns is None:
        return None
    out: Dict[str, np.ndarray] = {}
    n = len(columns["id"]) if "id" in columns else len(columns["time_s"])
    for key, value in columns.items():
        if isinstance(value, tuple):
            codes, names = value
            out[key] = np.array(names, dtype=object)[codes] if len(codes) else np.empty(0, dtype=object)
        elif value is None:  # labels: the workload has none
            out[key] = np.full(n, "", dtype=object)
        elif isinstance(value, list):
            out[key] = np.array(value, dtype=object)
        else:
            out[key] = value
    return out


class RunResult:
    """One run's results.

    ``summary``: the document of ``gigasim run --json`` (docs/metrics.md), as a dict.
    ``jobs``: one entry per job, as numpy arrays: id (arrival ordinal), label (the trace's id),
    tenant, submit, start, end (seconds; NaN when not applicable), chips, factory, status
    (completed | running | queued | unschedulable), interruptions, reason, source, class, flops
    (NaN for jobs given as run times) -- the columns of ``--jobs-csv``. None when run with ``jobs=False``.
    ``timeseries``: interval means, the columns of ``--timeseries`` (one row per factory, then
    the totals row with factory "(all)"), when run with ``timeseries=INTERVAL``; else None.
    """

    def __init__(self, native: Dict[str, Any]):
        self.summary: Dict[str, Any] = json.loads(native["summary"])
        self.jobs: Optional[Dict[str, np.ndarray]] = _table(native["jobs"])
        self.timeseries: Optional[Dict[str, np.ndarray]] = _table(native["timeseries"])

    def jobs_frame(self):
        """The per-job table as a pandas DataFrame (needs pandas)."""
        return _frame(self.jobs, "jobs")

    def timeseries_frame(self):
        """The time series as a pandas DataFrame (needs pandas)."""
        return _frame(self.timeseries, "timeseries")

    def __repr__(self) -> str:
        s = self.summary
        return (f"<gigasim.RunResult {s.get('scenario', '')!r}: utilisation {s.get('utilisation', 0):.4f}, "
                f"{s.get('jobs', {}).get('completed', '?')} jobs completed>")


def _frame(table: Optional[Dict[str, np.ndarray]], what: str):
    if table is None:
        raise ValueError(f"this result has no {what} table: run with "
                         + ("jobs=True" if what == "jobs" else "timeseries='1d' (an interval)"))
    try:
        import pandas as pd
    except ImportError:
        raise ImportError(f"{what}_frame() needs pandas (Debian: python3-pandas); "
                          f"the columns are in .{what} as numpy arrays") from None
    return pd.DataFrame(table)


PolicyArg = Union[str, object, None]


def run(scenario: Union[Scenario, str, os.PathLike], *, seed: Optional[int] = None, horizon: Optional[Duration] = None,
        plan: Optional[str] = None, policy: PolicyArg = None, jobs: bool = True,
        timeseries: Optional[Duration] = None) -> RunResult:
    """Runs one scenario (or one plan of it) and returns its results.

    ``policy``: None (the scenario's), a policy name as in ``bench`` (e.g. "sjf+easy"), or a
    policy object with ``schedule(view)``. The GIL is released while the engine runs.
    """
    native = _native(scenario)
    return RunResult(_gigasim.run(native, plan, seed, _horizon(native, horizon), policy, bool(jobs),
                                  _seconds(timeseries, "timeseries")))


class Simulation:
    """One run driven step by step: advance it, look at it between steps, fork it, and take
    its result. Stepping decides only when you look: the result is ``run``'s, byte for byte.

        sim = gigasim.Simulation(s, seed=1, policy="easy")
        sim.run_until("30d")                 # every instant up to day 30
        sim.queue_length, sim.factories      # the state at that instant
        what_if = sim.fork()                 # an independent copy of the run from here
        r = sim.result()                     # to the horizon; a RunResult

    The arguments are ``run``'s. ``fork()`` copies the queue, running jobs, failure clocks,
    random streams and metrics so far (and the records, so its tables cover its whole run); a
    Python policy is copied with ``copy.deepcopy``. An error in a step (a refused decision,
    Ctrl-C) ends the Simulation: further calls raise RuntimeError.
    """

    def __init__(self, scenario: Union[Scenario, str, os.PathLike], *, seed: Optional[int] = None,
                 horizon: Optional[Duration] = None, plan: Optional[str] = None, policy: PolicyArg = None,
                 jobs: bool = True, timeseries: Optional[Duration] = None):
        if isinstance(scenario, _gigasim.Simulation):  # from fork()
            self._native = scenario
            return
        native = _native(scenario)
        self._native = _gigasim.Simulation(native, plan, seed, _horizon(native, horizon), policy,
                                           bool(jobs), _seconds(timeseries, "timeseries"))

    def step(self) -> bool:
        """Handles the next instant (all its events, then one scheduling pass); False once the
        run has ended (horizon reached, or nothing left to happen)."""
        return self._native.step()

    def run_until(self, time: Duration) -> None:
        """Handles every instant at or before ``time`` (seconds, or text such as "30d")."""
        self._native.run_until(_seconds(time, "run_until"))

    def stop(self) -> None:
        """Ends the run here: result() then reports up to the last instant handled."""
        self._native.stop()

    def fork(self) -> "Simulation":
        """An independent copy of the run at this instant."""
        return Simulation(self._native.fork())

    def result(self) -> RunResult:
        """Runs to the end (unless stopped) and returns the results; once per Simulation."""
        return RunResult(self._native.result())

    done = property(lambda self: self._native.done, doc="whether the run has ended")
    now = property(lambda self: self._native.now, doc="the last instant handled, seconds (0 before the first step)")
    next_event_time = property(lambda self: self._native.next_event_time,
                               doc="when the next instant is, seconds; None once the run is done")
    active_jobs = property(lambda self: self._native.active_jobs, doc="jobs waiting or running now")
    queue_length = property(lambda self: self._native.queue_length, doc="jobs waiting now")
    factories = property(lambda self: self._native.factories,
                         doc="per factory, now: name, online, installed/free/busy/down/maintenance nodes, node_size")

    def __repr__(self) -> str:
        if "_native" not in self.__dict__:  # its constructor raised
            return "<gigasim.Simulation (not created)>"
        return f"<gigasim.Simulation at {self.now:.0f} s, {self.active_jobs} active jobs{', done' if self.done else ''}>"


def bench(scenario: Union[Scenario, str, os.PathLike], policies: Sequence[PolicyArg], *, replicas: int = 1,
          seed: Optional[int] = None, horizon: Optional[Duration] = None, plan: Optional[str] = None,
          threads: int = 0) -> Dict[str, Any]:
    """``gigasim bench``: the same workload under each policy, over replicas (common random
    numbers: every policy sees the same jobs in replica r, seeded seed + r). Returns the
    document of ``bench --json``. A policy is a name ("fifo", "sjf+easy", ...) or an object
    with ``schedule(view)``: each run gets its own ``copy.deepcopy`` of it, and its row is
    named by its ``name`` attribute, else its class name. ``threads=0``: all cores (results do
    not depend on it; Python policies take turns on the GIL)."""
    names = list(policies) if not isinstance(policies, str) else [p for p in policies.split(",") if p]
    native = _native(scenario)
    return json.loads(_gigasim.bench(native, plan, names, int(replicas), seed, _horizon(native, horizon),
                                     int(threads)))


def compare(scenario: Union[Scenario, str, os.PathLike], *, replicas: int = 1, seed: Optional[int] = None,
            horizon: Optional[Duration] = None, threads: int = 0) -> Dict[str, Any]:
    """``gigasim compare``: every plan of a file with ``plans:`` on the same workload; returns
    the document of ``compare --json`` (differences to the first plan with 95% intervals)."""
    native = _native(scenario)
    if len(native.plans) < 2:
        raise ScenarioError("compare: expected a scenario with at least two `plans:`, got "
                            + (f"plans {list(native.plans)}" if native.plans else "a plain scenario"))
    return json.loads(_gigasim.compare(native, int(replicas), seed, _horizon(native, horizon), int(threads)))


def sweep(scenario: Union[Scenario, str, os.PathLike], set: Mapping[str, Union[str, Iterable[Any]]], *,
          replicas: int = 1, seed: Optional[int] = None, horizon: Optional[Duration] = None, threads: int = 0,
          shard: int = 1, shards: int = 1) -> Dict[str, Any]:
    """``gigasim sweep``: the scenario file over the cross product of parameter values. ``set``
    maps a path to its values: a list, or text as on the CLI ("a,b,c" or "start:stop:step").
    Returns the document of ``sweep --json``. The scenario must be a file (loaded without
    ``set=``): every point is loaded from it, with its values applied."""
    if isinstance(scenario, Scenario):
        if scenario.path is None:
            raise ValueError("sweep: needs a scenario file (every point is loaded from it); got one from loads()")
        if scenario._native.overridden:
            raise ValueError("sweep: the scenario was loaded with set=; give those values to sweep's set= instead")
        path = scenario.path
    else:
        path = os.fspath(scenario)
    if not isinstance(set, Mapping) or not set:
        raise TypeError("sweep: set= expects a dict {PATH: VALUES}")
    parameters = []
    for p, values in set.items():
        if isinstance(values, str):
            parameters.append((str(p), _gigasim.sweep_values(f"{p}={values}")))
        else:
            parameters.append((str(p), [_yaml_text(v) for v in values]))
    # A date horizon is counted from the file's `start` (a duration needs no load).
    seconds = _horizon(load(path)._native if isinstance(horizon, str) else None, horizon)
    return json.loads(_gigasim.sweep(path, parameters, int(replicas), seed, seconds,
                                     int(threads), int(shard), int(shards)))


def policy_names() -> List[str]:
    """Every queue order, backfill and placement name the engine knows (``gigasim policies``)."""
    return list(_gigasim.policy_names())
