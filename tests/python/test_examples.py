"""The analysis example runs end to end (its figures are checked against a direct sweep)."""
import importlib.util
import sys

import gigasim


def test_sweep_figure_example_prints_the_sweep(source, tmp_path, capsys):
    spec = importlib.util.spec_from_file_location("sweep_figure", source / "examples/sweep_figure.py")
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    assert example.main(["--quick", "--out", str(tmp_path / "fig.png")]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].split()[0] == "GPUs" and len(printed) >= 4
    doc = gigasim.sweep(source / "scenarios/philly-replay.yaml",
                        {"factories[0].chips": [800], "policy.backfill": ["none"]}, horizon="30d")
    gpus, wait_h = printed[1].split()[:2]
    assert int(gpus) == 800 and float(wait_h) == round(doc["rows"][0]["wait_mean_s"]["mean"] / 3600, 2)
    try:
        import matplotlib  # noqa: F401
        assert (tmp_path / "fig.png").stat().st_size > 1000
    except ImportError:
        pass
