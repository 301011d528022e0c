"""Policies written in Python: the examples against the built-in policies they restate (job by
job), hand-computed schedules, and every refused decision's message."""
import math

import numpy as np
import pytest

import gigasim
from easy_backfill import EasyBackfill
from strict_fifo import StrictFifo
from tiresias_las import TiresiasLAS

# The Philly replay on fewer GPUs, so that jobs wait; and on two factories of different sizes,
# so that placement and the choice of the reserved factory matter.
PHILLY_600 = {"factories[0].chips": 600}
PHILLY_TWO = {"factories": [{"name": "a", "chip": "V100", "chips": 400, "node_size": 1},
                            {"name": "b", "chip": "V100", "chips": 160, "node_size": 2}]}


def by_id(result):
    order = np.argsort(result.jobs["id"], kind="stable")
    return {k: v[order] for k, v in result.jobs.items()}


def assert_same_schedule(a, b):
    ja, jb = by_id(a), by_id(b)
    assert len(ja["id"]) == len(jb["id"])
    for col in ja:
        if ja[col].dtype == object:
            assert (ja[col] == jb[col]).all(), col
        else:
            assert np.array_equal(ja[col], jb[col], equal_nan=True), col


def philly(source, overrides, horizon):
    return gigasim.load(source / "scenarios/philly-replay.yaml", set={**overrides, "horizon": horizon, "warmup": "1d"})


def test_python_strict_fifo_is_the_builtin_job_by_job(source):
    s = gigasim.load(source / "scenarios/philly-replay.yaml", set=PHILLY_600)
    builtin, python = gigasim.run(s, policy="fifo"), gigasim.run(s, policy=StrictFifo())
    assert builtin.summary["wait_s"]["mean"] > 3600  # a real queue: jobs wait for hours
    assert_same_schedule(builtin, python)
    assert builtin.summary == python.summary


@pytest.mark.parametrize("overrides", [PHILLY_600, PHILLY_TWO], ids=["one-factory", "two-factories"])
def test_python_easy_is_the_builtin_job_by_job(source, overrides):
    s = philly(source, overrides, "24d")
    builtin, python = gigasim.run(s, policy="easy"), gigasim.run(s, policy=EasyBackfill())
    fifo = gigasim.run(s, policy="fifo")
    # Backfilling changed the schedule (else this would test FIFO again) ...
    assert builtin.summary["wait_s"]["mean"] < 0.9 * fifo.summary["wait_s"]["mean"]
    # ... and the Python version makes every decision the built-in one makes.
    assert_same_schedule(builtin, python)
    assert builtin.summary == python.summary


class ReturnsDecisions:
    """Strict FIFO that returns its decisions instead of applying them: it must track the
    free nodes itself, since nothing is applied until it returns."""

    def schedule(self, view):
        free = {f.index: f.free_nodes for f in view.factories}
        decisions = []
        for job in view.waiting:
            f = next((f for f in job.eligible_factories if view.factories[f].online
                      and free[f] >= view.factories[f].nodes_for(job.chips)), None)
            if f is None:
                break
            free[f] -= view.factories[f].nodes_for(job.chips)
            decisions.append(gigasim.Start(job, f) if job.id % 2 else (job, view.factories[f].name))
        return decisions


def test_returned_decisions_are_applied_in_order(source):
    s = philly(source, PHILLY_TWO, "24d")
    assert_same_schedule(gigasim.run(s, policy="fifo"), gigasim.run(s, policy=ReturnsDecisions()))


HAND = """
name: hand
horizon: 2d
factories: [{name: f, chip: H100, chips: 8, node_size: 8}, {name: g, chip: H100, chips: 16, node_size: 8, online: 1d}]
tenants: [{name: t, preemptible: true}]
checkpoint: {interval: 30m}
workload:
  - jobs:
      - {id: long, at: 0h, chips: 8, duration: 10h}
      - {id: short, at: 1h, chips: 8, duration: 1h}
"""


def test_las_preempts_the_job_with_more_service_hand_computed():
    # At 1h the long job has 8 chip-hours of service (band 1), the new one none (band 0): LAS
    # stops the long job (it keeps its last checkpoint, at 1h) and runs the short one 1h-2h;
    # the long one then resumes with 9h of work left and ends at 11h.
    r = gigasim.run(gigasim.loads(HAND), policy=TiresiasLAS(thresholds_chip_hours=[1.0]))
    jobs = {label: i for i, label in enumerate(r.jobs["label"])}
    short, long_ = jobs["short"], jobs["long"]
    assert (r.jobs["start"][short], r.jobs["end"][short]) == (3600, 7200)
    assert (r.jobs["start"][long_], r.jobs["end"][long_]) == (0, 11 * 3600)
    # Without preemption (strict FIFO) the short job waits for the long one.
    f = gigasim.run(gigasim.loads(HAND), policy="fifo")
    assert f.jobs["start"][list(f.jobs["label"]).index("short")] == 10 * 3600


class Scripted:
    """Runs one action at its first pass, for the refusal tests."""

    def __init__(self, action, preempts=False):
        self.action, self.preempts, self.done = action, preempts, False

    def schedule(self, view):
        if not self.done:
            self.done = True
            return self.action(view)


def run_hand(action, **kw):
    return gigasim.run(gigasim.loads(HAND), policy=Scripted(action, **kw))


def test_refused_decisions_name_the_job_the_factory_and_why():
    with pytest.raises(gigasim.PolicyError, match=r"start job long .*factory 'g': the factory is not online"):
        run_hand(lambda v: v.start(v.waiting[0], "g"))
    with pytest.raises(gigasim.PolicyError, match=r"factory 7: no such factory \(the scenario has 2\)"):
        run_hand(lambda v: v.start(v.waiting[0], 7))

    def twice(v):
        v.start(v.waiting[0], 0)
        v.start(v.waiting[0], 0)
    with pytest.raises(gigasim.PolicyError, match="start job long .*: the job is already running"):
        run_hand(twice)

    def start_then_return_a_start(v):
        v.start(v.waiting[0], 0)
        return [gigasim.Start(v.waiting[0], 0)]
    with pytest.raises(gigasim.PolicyError, match="the job is already running"):
        run_hand(start_then_return_a_start)

    with pytest.raises(gigasim.PolicyError, match="start job short .*factory 'f': needs 1 free nodes, the factory has 0"):
        gigasim.run(gigasim.loads(HAND.replace("at: 1h", "at: 0h")), policy=Scripted(
            lambda v: (v.start(v.waiting[0], 0), v.start(v.waiting[1], 0))))
    with pytest.raises(gigasim.PolicyError, match="does not preempt"):
        run_hand(lambda v: (v.start(v.waiting[0], 0), v.preempt(v.waiting[0])))
    with pytest.raises(gigasim.PolicyError, match="not running"):
        run_hand(lambda v: v.preempt(v.waiting[0]), preempts=True)
    with pytest.raises(ValueError, match="no factory named 'h'"):
        run_hand(lambda v: v.start(v.waiting[0], "h"))
    with pytest.raises(TypeError, match="decision"):
        run_hand(lambda v: ["start everything"])
    with pytest.raises(TypeError, match="iterable"):
        run_hand(lambda v: 42)


def test_a_failing_policy_raises_its_own_exception():
    def boom(view):
        raise ZeroDivisionError("policy bug")
    with pytest.raises(ZeroDivisionError, match="policy bug"):
        run_hand(boom)


class Keeper:
    """Keeps the view and a job past the pass."""

    def schedule(self, view):
        self.view, self.job = view, view.waiting[0]
        StrictFifo().schedule(view)


def test_the_view_and_jobs_are_not_usable_outside_a_pass():
    k = Keeper()
    gigasim.run(gigasim.loads(HAND), policy=k)
    with pytest.raises(ValueError, match="only during schedule"):
        k.view.waiting
    with pytest.raises(ValueError, match="only during schedule"):
        k.job.chips


class Recorder:
    """Strict FIFO that keeps, per pass, the head's Job object, and the first job it saw."""

    def __init__(self):
        self.heads, self.first, self.iterator, self.first_read = [], None, None, []

    def schedule(self, view):
        head = view.waiting[0]
        self.heads.append((view.now, head.id, head))
        self.first = self.first or head
        try:
            self.first_read.append(self.first.label)
        except KeyError as e:
            self.first_read.append(str(e))
        self.iterator = iter(view.waiting)
        StrictFifo().schedule(view)


def test_a_waiting_job_is_one_object_across_passes_and_an_ended_one_says_so():
    # The short job arrives at 1h and waits behind the long one (passes at 1h and at 10h): the
    # view hands out the same Job object on both passes (no allocation per pass) ...
    rec = Recorder()
    gigasim.run(gigasim.loads(HAND), policy=rec)
    assert [(t, i) for t, i, _ in rec.heads] == [(0.0, 0), (3600.0, 1), (36000.0, 1)]
    assert rec.heads[1][2] is rec.heads[2][2]
    # ... and a Job kept after its job ended does not describe whichever job reuses its slot.
    text = HAND.replace("duration: 10h}", "duration: 10h}\n      - {id: third, at: 12h, chips: 8, duration: 1h}")
    rec = Recorder()
    gigasim.run(gigasim.loads(text), policy=rec)
    assert rec.heads[-1][1] == 2  # the third job, in a slot an ended job left
    assert [t for t, _, _ in rec.heads] == [0.0, 3600.0, 36000.0, 43200.0]
    assert rec.first_read == ["long", "long", "'job 0 is no longer active (it ended before this pass)'", "'job 0 is no longer active (it ended before this pass)'"]
    with pytest.raises(ValueError, match="only during schedule"):
        next(rec.iterator)


class TenantLog(StrictFifo):
    def __init__(self):
        self.log = []

    def schedule(self, view):
        self.log.append((view.now, [(t.name, t.used_chip_hours, t.fair_share_usage, t.fair_share_rank)
                                    for t in view.tenants]))
        super().schedule(view)


def test_tenant_usage_is_exact_across_skipped_passes():
    # f: 2 nodes of 8. a's 16-chip job runs 0-4 h; b's jobs (8 chips, 1 h) arrive at 1 h (runs
    # 4-5 h) and at 6 h. The policy is called at 1 h, 4 h and 6 h; at 5 h nobody waits, so its
    # pass is skipped, yet b's hour is counted. Fair-share usage decays with a 2 h half-life.
    text = """
factories: [{name: f, chip: H100, chips: 16, node_size: 8}]
tenants: [{name: a}, {name: b}]
policy: {fair_share_half_life: 2h}
workload:
  - jobs:
      - {id: A, tenant: a, at: 0h, chips: 16, duration: 4h}
      - {id: B1, tenant: b, at: 1h, chips: 8, duration: 1h}
      - {id: B2, tenant: b, at: 6h, chips: 8, duration: 1h}
"""
    p = TenantLog()
    gigasim.run(gigasim.loads(text), policy=p)
    assert [t for t, _ in p.log] == [0.0, 3600.0, 14400.0, 21600.0]
    h = 2 / math.log(2)  # integral of 2^(-s/2h) over s >= 0, in hours
    at = dict(p.log)
    assert [(n, u) for n, u, _, _ in at[3600.0]] == [("a", 16.0), ("b", 0.0)]
    (_, a_used, a_decayed, a_rank), (_, b_used, b_decayed, b_rank) = at[21600.0]
    assert (a_used, b_used) == (64.0, 8.0)
    assert a_decayed == pytest.approx(16 * h * (1 - 2 ** -2) * 2 ** -1, rel=1e-12)
    assert b_decayed == pytest.approx(8 * h * (1 - 2 ** -0.5) * 2 ** -0.5, rel=1e-12)
    assert (a_rank, b_rank) == (1, 0)  # equal shares: b has used less


def test_view_fields_during_a_pass():
    seen = {}

    def look(view):
        job = view.waiting[0]
        f = view.factories[0]
        seen.update(now=view.now, n=len(view.waiting), id=job.id, label=job.label, chips=job.chips, submit=job.submit,
                    estimate=job.estimate, attempts=job.attempts, eligible=job.eligible_factories,
                    running=job.running, name=f.name, free=f.free_nodes, installed=f.installed_nodes,
                    online=[x.online for x in view.factories], tenant=view.tenants[job.tenant].name,
                    fits=view.fits(job, 0), place=view.place(job), shadow=f.shadow(1))
        view.start(job, 0)
        seen.update(after_running=job.running, after_free=f.free_nodes, after_len=len(view.waiting),
                    expected_end=job.expected_end, on=job.factory, held=view.tenants[0].held_chips,
                    running_jobs=[j.label for j in f.running], shadow_after=f.shadow(1))
    run_hand(look)
    assert seen == dict(now=0.0, n=1, id=0, label="long", chips=8, submit=0.0, estimate=36000.0, attempts=0,
                        eligible=(0, 1), running=False, name="f", free=1, installed=1, online=[True, False],
                        tenant="t", fits=True, place=0, shadow=None, after_running=True, after_free=0,
                        after_len=1, expected_end=36000.0, on=0, held=8, running_jobs=["long"],
                        shadow_after=(36000.0, 1))


def test_las_benchmarks_beside_the_builtins_on_the_philly_trace(source):
    s = philly(source, {**PHILLY_600, "tenants": [{"name": "default", "preemptible": True}],
                        "checkpoint": {"interval": "30m"}}, "24d")
    b = gigasim.bench(s, ["fifo", "easy", "sjf+easy", TiresiasLAS()], replicas=1)
    rows = {p["policy"]: p for p in b["policies"]}
    assert list(rows) == ["fifo+none+first-fit", "fifo+easy+first-fit", "sjf+easy+first-fit", "tiresias-las"]
    # LAS favours short jobs without knowing their length: its mean wait beats FIFO's.
    assert rows["tiresias-las"]["wait_s"]["mean"]["mean"] < rows["fifo+none+first-fit"]["wait_s"]["mean"]["mean"]
