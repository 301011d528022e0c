"""How many GPUs did Philly need? A sweep of the Philly replay's GPU count under two policies,
printed as a table and drawn with matplotlib when it is installed (Debian: python3-matplotlib).

    PYTHONPATH=build/python python3 examples/sweep_figure.py [--out philly-sweep.png] [--quick]
"""
import argparse
import sys
from pathlib import Path

import gigasim

ROOT = Path(__file__).resolve().parents[1]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="philly-sweep.png", help="the figure (PNG)")
    ap.add_argument("--quick", action="store_true", help="a 30-day window and three sizes (for tests)")
    args = ap.parse_args(argv)

    chips = "800:2000:600" if args.quick else "400:1400:100"
    doc = gigasim.sweep(ROOT / "scenarios/philly-replay.yaml",
                        {"factories[0].chips": chips, "policy.backfill": ["none", "easy"]},
                        horizon="30d" if args.quick else None)
    # One line per policy: mean wait (hours) and utilisation against GPUs.
    lines = {}
    for row in doc["rows"]:
        gpus, backfill = int(row["values"][0]), row["values"][1]
        lines.setdefault(backfill, []).append((gpus, row["wait_mean_s"]["mean"] / 3600, row["utilisation"]["mean"]))
    print(f"{'GPUs':>6} " + " ".join(f"{'wait h (' + b + ')':>16} {'util':>6}" for b in lines))
    for i, (gpus, _, _) in enumerate(next(iter(lines.values()))):
        print(f"{gpus:>6} " + " ".join(f"{pts[i][1]:>16.2f} {pts[i][2]:>6.1%}" for pts in lines.values()))

    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no figure", file=sys.stderr)
        return 0
    fig, ax = plt.subplots(figsize=(6, 4))
    for backfill, pts in lines.items():
        ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=f"FIFO, backfill {backfill}")
    ax.set_xlabel("GPUs (V100)")
    ax.set_ylabel("mean wait (hours)")
    ax.set_yscale("symlog", linthresh=0.1)
    ax.set_title("Philly 2017 replay: wait against capacity")
    ax.legend()
    fig.tight_layout()
    fig.savefig(args.out, dpi=120)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
