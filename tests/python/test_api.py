"""The Python API against the CLI: the same scenario, seed and options give the same documents
and tables, byte for byte where the CLI writes numbers exactly; bad input raises ScenarioError
with the CLI's message and position."""
import csv
import json
import math
import threading

import numpy as np
import pytest

import gigasim
from conftest import cli, cli_json
from strict_fifo import StrictFifo

PHILLY_QUEUED = {"factories[0].chips": 600}  # the Philly replay on a fifth of its GPUs: jobs wait


def test_run_summary_is_the_run_json_document(source, tmp_path):
    s = gigasim.load(source / "scenarios/default.yaml")
    assert gigasim.run(s, seed=3).summary == cli_json(tmp_path, "run", source / "scenarios/default.yaml", "--seed", 3,
                                                       "--quiet")


def test_set_overrides_and_horizon_mirror_the_cli(source, tmp_path):
    path = source / "scenarios/philly-replay.yaml"
    expected = cli_json(tmp_path, "run", path, "--set", "factories[0].chips=600", "--horizon", "40d", "--quiet")
    # The CLI folds --horizon into the scenario (and its hash), as a `set` of the horizon does.
    assert gigasim.run(gigasim.load(path, set={**PHILLY_QUEUED, "horizon": "40d"})).summary == expected
    # run(horizon=) changes the run, not the loaded scenario: all but the scenario's hash agree,
    # whether the horizon is text or seconds.
    for horizon in ("40d", 40 * 86400):
        r = gigasim.run(gigasim.load(path, set=PHILLY_QUEUED), horizon=horizon).summary
        assert r.pop("scenario_hash") != expected["scenario_hash"]
        assert r == {k: v for k, v in expected.items() if k != "scenario_hash"}


def test_horizon_as_a_date_counts_from_the_scenario_start(source, tmp_path):
    # default.yaml starts on 2027-01-01: 2027-02-10 is 40 days in, as the CLI's --horizon reads it.
    path = source / "scenarios/default.yaml"
    s = gigasim.load(path)
    assert s.start == "2027-01-01"
    by_date = gigasim.run(s, horizon="2027-02-10").summary
    assert by_date == gigasim.run(s, horizon=40 * 86400).summary
    expected = cli_json(tmp_path, "run", path, "--horizon", "2027-02-10", "--quiet")
    assert {k: v for k, v in by_date.items() if k != "scenario_hash"} == \
        {k: v for k, v in expected.items() if k != "scenario_hash"}
    sim = gigasim.Simulation(s, horizon="2027-01-20")  # past the 14-day warm-up
    assert sim.result().summary["end_s"] == 19 * 86400
    with pytest.raises(gigasim.ScenarioError, match="horizon: expected a date after the scenario's start 2027-01-01"):
        gigasim.run(s, horizon="2026-12-31")
    no_start = gigasim.loads("factories: [{name: f, chip: H100, chips: 8}]\nworkload: [{jobs: [{chips: 8, duration: 1h}]}]\n")
    assert no_start.start is None
    with pytest.raises(gigasim.ScenarioError, match="horizon: a calendar date needs the scenario's `start` date"):
        gigasim.run(no_start, horizon="2027-01-01")


def test_jobs_table_is_the_jobs_csv(source, tmp_path):
    path = source / "scenarios/philly-replay.yaml"
    r = gigasim.run(gigasim.load(path, set=PHILLY_QUEUED), horizon="30d")
    cli("run", path, "--set", "factories[0].chips=600", "--horizon", "30d", "--jobs-csv", tmp_path / "jobs.csv", "--quiet")
    rows = list(csv.DictReader(open(tmp_path / "jobs.csv")))
    jobs = r.jobs
    assert len(rows) == len(jobs["id"]) > 1000
    assert set(jobs["status"]) >= {"completed", "queued"}
    for i in range(0, len(rows), 97):  # every 97th row, all columns
        row = rows[i]
        assert row["id"] == (jobs["label"][i] or str(jobs["id"][i]))
        assert row["tenant"] == jobs["tenant"][i] and row["factory"] == jobs["factory"][i]
        assert row["status"] == jobs["status"][i] and row["reason"] == jobs["reason"][i]
        assert int(row["chips"]) == jobs["chips"][i] and int(row["interruptions"]) == jobs["interruptions"][i]
        assert row["source"] == jobs["source"][i] and row["class"] == jobs["class"][i]
        for col in ("submit", "start", "end", "flops"):
            expected = float(row[col]) if row[col] else math.nan
            assert (math.isnan(expected) and math.isnan(jobs[col][i])) or expected == pytest.approx(jobs[col][i], abs=5e-4)


def test_timeseries_is_the_timeseries_csv(source, tmp_path):
    path = source / "scenarios/default.yaml"
    r = gigasim.run(gigasim.load(path), timeseries="7d", jobs=False)
    assert r.jobs is None
    cli("run", path, "--timeseries", tmp_path / "ts.csv", "--interval", "7d", "--quiet")
    rows = list(csv.DictReader(open(tmp_path / "ts.csv")))
    ts = r.timeseries
    assert len(rows) == len(ts["time_s"]) > 10
    for i, row in enumerate(rows):
        assert row["factory"] == ts["factory"][i]
        for col in ("time_s", "busy_chips", "installed_chips", "queued_jobs", "facility_power_mw"):
            if row[col] == "":  # the queue is a figure of the totals row only: NaN per factory
                assert math.isnan(ts[col][i])
            else:
                assert float(row[col]) == pytest.approx(ts[col][i], rel=1e-5, abs=1e-9)


def test_scenario_error_has_the_cli_message_and_position(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("horizon: 10d\nfactories: [{name: f, chip: H100, chips: 64, nodesize: 8}]\n"
                   "workload: [{arrivals: {rate: 10/d}, chips: 8, duration: 1h}]\n")
    with pytest.raises(gigasim.ScenarioError) as e:
        gigasim.load(bad)
    p = cli("check", bad, check=False)
    assert p.returncode == 2
    assert f"error: {e.value}" in p.stderr
    assert (e.value.file, e.value.line, e.value.column) == (str(bad), 2, 46)
    assert isinstance(e.value, gigasim.Error)


def test_loads_names_its_label_and_resolves_traces_from_base_dir(source):
    with pytest.raises(gigasim.ScenarioError) as e:
        gigasim.loads("factories: [{name: f\n", label="inline.yaml")
    assert (e.value.file, e.value.line) == ("inline.yaml", 2)
    text = (source / "scenarios/philly-replay.yaml").read_text()
    s = gigasim.loads(text, base_dir=source / "scenarios")
    assert s.name == "philly-replay" and s.path is None
    assert gigasim.run(s).summary == gigasim.run(gigasim.load(source / "scenarios/philly-replay.yaml")).summary


def test_bad_arguments_say_what_was_expected(source):
    s = gigasim.load(source / "scenarios/default.yaml")
    with pytest.raises(gigasim.ScenarioError, match="horizon"):
        gigasim.run(s, horizon="ten days")
    with pytest.raises(gigasim.ScenarioError, match="unknown"):
        gigasim.run(s, policy="fifo+teleport")
    with pytest.raises(TypeError, match="schedule"):
        gigasim.run(s, policy=object())
    with pytest.raises(gigasim.ScenarioError, match="plans"):
        gigasim.run(gigasim.load(source / "scenarios/compare-plans.yaml"))


def test_bench_rows_mix_builtin_and_python_policies(source, tmp_path):
    # The CLI reads the smaller Philly from an edited copy of the file.
    text = (source / "scenarios/philly-replay.yaml").read_text()
    text = text.replace("chips: 2816", "chips: 600").replace("traces/", str(source / "scenarios/traces") + "/")
    (tmp_path / "philly-600.yaml").write_text(text)
    s = gigasim.load(tmp_path / "philly-600.yaml")
    b = gigasim.bench(s, ["fifo", "easy", StrictFifo()], replicas=2, horizon="30d")
    cli_b = cli_json(tmp_path, "bench", tmp_path / "philly-600.yaml", "--policies", "fifo,easy", "--replicas", 2,
                     "--horizon", "30d")
    assert b["policies"][:2] == cli_b["policies"]
    fifo, python_fifo = b["policies"][0], b["policies"][2]
    assert python_fifo["policy"] == "python-fifo"
    # Identical schedules: every figure but the name is the built-in strict FIFO's, and against
    # it (the first policy) every verdict is "same" (or n/a where no replica has the figure).
    own = ("policy", "verdicts")
    assert {k: v for k, v in python_fifo.items() if k not in own} == {k: v for k, v in fifo.items() if k not in own}
    assert set(python_fifo["verdicts"].values()) <= {"same", "n/a"}
    assert "same" in python_fifo["verdicts"].values()


def test_bench_results_do_not_depend_on_threads(source):
    s = gigasim.load(source / "scenarios/philly-replay.yaml", set=PHILLY_QUEUED)
    one = gigasim.bench(s, ["easy", StrictFifo()], replicas=3, horizon="20d", threads=1)
    two = gigasim.bench(s, ["easy", StrictFifo()], replicas=3, horizon="20d", threads=2)
    assert one == two


def test_runs_release_the_gil(source):
    s = gigasim.load(source / "scenarios/default.yaml")
    alone = gigasim.run(s, seed=5, jobs=False).summary
    results = [None, None]

    def work(i):
        results[i] = gigasim.run(s, seed=5, jobs=False).summary

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [alone, alone]


def test_compare_is_the_compare_json_document(source, tmp_path):
    path = source / "scenarios/compare-plans.yaml"
    assert gigasim.compare(gigasim.load(path), replicas=2, horizon="60d") == cli_json(
        tmp_path, "compare", path, "--replicas", 2, "--horizon", "60d")
    with pytest.raises(gigasim.ScenarioError, match="plans"):
        gigasim.compare(gigasim.load(source / "scenarios/default.yaml"))


def test_sweep_is_the_sweep_json_document(source, tmp_path):
    path = source / "scenarios/philly-replay.yaml"
    doc = gigasim.sweep(path, {"factories[0].chips": [500, 700], "policy.backfill": "none,easy"}, horizon="20d")
    assert doc == cli_json(tmp_path, "sweep", path, "--set", "factories[0].chips=500,700", "--set",
                           "policy.backfill=none,easy", "--horizon", "20d")
    assert len(doc["rows"]) == 4
    with pytest.raises(ValueError, match="set="):
        gigasim.sweep(gigasim.load(path, set=PHILLY_QUEUED), {"policy.backfill": ["easy"]})


def test_frames_need_pandas_or_say_so(source):
    r = gigasim.run(gigasim.load(source / "scenarios/philly-replay.yaml"), horizon="10d")
    try:
        import pandas  # noqa: F401
    except ImportError:
        with pytest.raises(ImportError, match="pandas"):
            r.jobs_frame()
    else:
        frame = r.jobs_frame()
        assert list(frame.columns) == list(r.jobs) and len(frame) == len(r.jobs["id"])
