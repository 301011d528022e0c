"""Shared fixtures of the Python tests (run by ctest as python.pytest, see tests/CMakeLists.txt).

GIGASIM_SOURCE_DIR: the source tree; GIGASIM_BINARY: the CLI, whose outputs the package must
reproduce exactly; PYTHONPATH holds <build>/python.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SOURCE = Path(os.environ.get("GIGASIM_SOURCE_DIR", Path(__file__).resolve().parents[2]))
BINARY = os.environ.get("GIGASIM_BINARY", str(SOURCE / "build" / "gigasim"))
sys.path.insert(0, str(SOURCE / "examples" / "policies"))


@pytest.fixture
def source():
    return SOURCE


def cli(*args, check=True):
    """Runs the gigasim CLI; returns the CompletedProcess (text)."""
    p = subprocess.run([BINARY, *map(str, args)], capture_output=True, text=True)
    if check and p.returncode != 0:
        raise AssertionError(f"gigasim {' '.join(map(str, args))} failed ({p.returncode}): {p.stderr}")
    return p


def cli_json(tmp_path, *args):
    out = tmp_path / "out.json"
    cli(*args, "--json", out)
    return json.loads(out.read_text())
