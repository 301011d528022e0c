"""gigasim.Simulation: a run driven step by step gives run()'s result exactly, its state between
steps is the hand-computed one, and a fork goes on as the run it was taken from."""
import numpy as np
import pytest

import gigasim
from strict_fifo import StrictFifo
from test_policies import HAND, assert_same_schedule


def same_result(a, b):
    assert a.summary == b.summary
    assert_same_schedule(a, b)
    for k in a.timeseries:
        assert np.array_equal(a.timeseries[k], b.timeseries[k]) if a.timeseries[k].dtype == object \
            else np.array_equal(a.timeseries[k], b.timeseries[k], equal_nan=True), k


@pytest.mark.parametrize("policy", ["easy", StrictFifo()], ids=["built-in", "python"])
def test_stepping_and_forking_give_the_run_result(source, policy):
    # The default scenario has node failures and repairs: a fork must carry their clocks and
    # random streams, or its result would differ.
    s = gigasim.load(source / "scenarios/default.yaml", set={"horizon": "45d"})
    whole = gigasim.run(s, seed=5, policy=policy, timeseries="1d")
    sim = gigasim.Simulation(s, seed=5, policy=policy, timeseries="1d")
    steps = 0
    while sim.now < 86400 and sim.step():
        steps += 1
    sim.run_until("20d")
    assert steps > 10 and sim.now <= 20 * 86400 and sim.next_event_time > 20 * 86400
    fork = sim.fork()
    assert fork.now == sim.now and fork.active_jobs == sim.active_jobs
    same_result(sim.result(), whole)
    same_result(fork.result(), whole)  # the records before the fork are part of its tables
    with pytest.raises(RuntimeError, match="result\\(\\) was taken"):
        sim.step()


def test_state_between_steps_is_the_hand_computed_one():
    # HAND: a 10 h job on the 8-chip factory f at 0 h, a 1 h job at 1 h; g comes online at 1 d.
    sim = gigasim.Simulation(gigasim.loads(HAND), policy="fifo")
    assert (sim.now, sim.active_jobs, sim.next_event_time) == (0.0, 0, 0.0)  # f comes online at 0
    sim.run_until("1h")
    assert (sim.queue_length, sim.active_jobs) == (1, 2)
    f, g = sim.factories
    assert (f["name"], f["online"], f["free_nodes"], f["busy_nodes"]) == ("f", True, 0, 1)
    assert (g["name"], g["online"]) == ("g", False)
    assert sim.next_event_time == 10 * 3600  # the long job's end
    sim.step()  # 10 h: the long job ends, the short one starts
    assert (sim.now, sim.queue_length, sim.active_jobs) == (36000.0, 0, 1)
    r = sim.result()
    assert sorted(zip(r.jobs["label"], r.jobs["start"], r.jobs["end"])) == [("long", 0, 36000), ("short", 36000, 39600)]


def test_stop_reports_up_to_the_last_instant():
    sim = gigasim.Simulation(gigasim.loads(HAND), policy="fifo")
    sim.run_until("2h")
    sim.stop()
    assert sim.done and not sim.step()
    r = sim.result()
    assert dict(zip(r.jobs["label"], r.jobs["status"])) == {"long": "running", "short": "queued"}


class RefusesAtTenHours:
    def schedule(self, view):
        if view.now >= 36000:
            view.start(view.waiting[0], "g")  # g is not online before 1 d
        else:
            StrictFifo().schedule(view)


def test_an_error_in_a_step_ends_the_simulation():
    sim = gigasim.Simulation(gigasim.loads(HAND), policy=RefusesAtTenHours())
    with pytest.raises(gigasim.PolicyError, match="not online"):
        sim.run_until("1d")
    with pytest.raises(RuntimeError, match="stopped with an error .*not online"):
        sim.step()
    with pytest.raises(gigasim.ScenarioError, match="finite"):
        gigasim.Simulation(gigasim.loads(HAND)).run_until(float("inf"))


SERVICE_DAY = """
horizon: 1d
factories: [{name: site, chip: H100, chips: 80, node_size: 8}]
workload:
  - {name: batch, jobs: [{id: train, chips: 48, duration: 10h}]}
  - name: assistant
    service:
      peak: 40
      hourly: [0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 1, 1, 1, 1, 1, 1, 1, 1,
               0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]
"""


def test_an_inference_service_holds_nodes_a_python_policy_sees():
    # 10 nodes: the service holds 2 from 0 h and the job 6; at 8 h it wants 5 and takes the 2
    # free ones; at 10 h the job ends and it takes the fifth (tests/test_services.cpp by hand).
    sim = gigasim.Simulation(gigasim.loads(SERVICE_DAY), policy=StrictFifo())
    sim.run_until("9h")
    (f,) = sim.factories
    assert (f["busy_nodes"], f["serving_nodes"], f["free_nodes"]) == (10, 4, 0)
    sim.run_until("11h")
    (f,) = sim.factories
    assert (f["busy_nodes"], f["serving_nodes"], f["free_nodes"]) == (5, 5, 5)
    (s,) = sim.result().summary["services"]
    assert (s["name"], s["demand_chip_hours"], s["served_chip_hours"], s["unmet_chip_hours"]) == \
        ("assistant", 560, 544, 16)


class ServiceWatcher(StrictFifo):
    """Strict FIFO that records what the services look like at each pass."""

    def __init__(self):
        self.seen = {}

    def schedule(self, view):
        (s,) = view.services
        self.seen[view.now] = (s["name"], s["demand_chips"], s["held_chips"], view.service_demand(0, 14 * 3600))
        return super().schedule(view)


def test_a_python_policy_sees_the_services_and_their_curve():
    # At the 8 h pass the service wants 40 chips and has taken the 2 free nodes (32 chips); at
    # 10 h, after the job's end, it holds 40. The curve says 40 for 14:00 whenever asked.
    # A job arriving at 8 h waits (the service took the free nodes), so the policy is asked then.
    w = ServiceWatcher()
    day = SERVICE_DAY.replace("duration: 10h}", "duration: 10h}, {id: late, at: 8h, chips: 8, duration: 1h}")
    r = gigasim.run(gigasim.loads(day), policy=w)
    assert r.jobs["start"][list(r.jobs["label"]).index("late")] == 10 * 3600
    assert w.seen[8 * 3600.0] == ("assistant", 40, 32, 40)
    assert w.seen[10 * 3600.0] == ("assistant", 40, 40, 40)
    assert w.seen[0.0][1:3] == (10, 16)
