"""Shared helpers: running the CLI the way users do, and the submission corpus."""
import ast
import functools
import json
import os
import re
import subprocess
import sys

import numpy as np
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SUBMISSIONS = os.path.join(HERE, "submissions")
BASE = os.path.join(SUBMISSIONS, "correct", "cs231n_loops.py")
STATUSES = ("fail", "error", "timeout", "missing", "skipped")


def run_cli(*args, env=None, timeout=300, cwd=ROOT):
    """``python -m rnncheck ARGS`` run from ``cwd`` (this worktree's rnncheck); the CompletedProcess (text)."""
    environment = dict(os.environ, **(env or {}))
    environment["PYTHONPATH"] = os.pathsep.join([ROOT] + [p for p in [environment.get("PYTHONPATH")] if p])
    return subprocess.run([sys.executable, "-m", "rnncheck", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, env=environment,
                          timeout=timeout)


def verdicts(*args, **kwargs):
    """Run the CLI with ``--format json``; (exit code, list of verdict objects)."""
    done = run_cli(*args, "--format", "json", **kwargs)
    return done.returncode, [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


@functools.lru_cache(maxsize=1)
def isolation_here():
    """The ``isolation`` object rnncheck reports on this machine (one run of the CLI per session)."""
    _, [verdict] = verdicts(BASE, "--functions", "sigmoid", "--seed", "0")
    return verdict["isolation"]


def skip_unless_confined(*protections):
    """Skip the calling test, saying why, when this kernel cannot give one of ``protections``."""
    isolation = isolation_here()
    for name in protections:
        if not isolation[name]:
            why = next((m for m in isolation["missing"] if m.startswith(name)), name)
            pytest.skip(f"no {name} confinement here: {why}")


def statuses(verdict):
    return {f["name"]: f["status"] for f in verdict["functions"]}


def header(path, key):
    """Values of the ``# key: value`` comment lines at the top of a file."""
    values = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if not line.startswith("#"):
                break
            if line.startswith(f"# {key}:"):
                values.append(line.split(":", 1)[1].strip())
    return values


def expectations(path):
    """``# expect-<status>: name ...`` header lines -> {name: status}."""
    return {name: status for status in STATUSES
            for line in header(path, f"expect-{status}") for name in line.split()}


def assert_messages(verdict, path):
    """Each ``# message: name: regex`` header line of ``path`` is found in that function's message."""
    messages = {f["name"]: f["message"] for f in verdict["functions"]}
    for line in header(path, "message"):
        name, pattern = (part.strip() for part in line.split(":", 1))
        assert re.search(pattern, messages[name]), messages[name]
        assert len(messages[name]) < 1500 and messages[name].isprintable()


def hostile_source(patch, directory):
    """The base with the functions ``patch`` defines removed, then ``patch``, as a file."""
    with open(BASE, encoding="utf-8") as handle:
        base = handle.read()
    with open(patch, encoding="utf-8") as handle:
        extra = handle.read()
    replaced = {n.name for n in ast.parse(extra).body if isinstance(n, ast.FunctionDef)}
    lines = base.splitlines(keepends=True)
    for node in reversed(ast.parse(base).body):
        if isinstance(node, ast.FunctionDef) and node.name in replaced:
            start = min([node.lineno] + [d.lineno for d in node.decorator_list])
            del lines[start - 1:node.end_lineno]
    target = os.path.join(directory, os.path.basename(patch))
    with open(target, "w", encoding="utf-8") as handle:
        handle.write("".join(lines) + "\n\n" + extra)
    return target


def patched(patch, directory):
    """The base solution followed by ``patch`` (later definitions win), as a file."""
    target = os.path.join(directory, os.path.basename(patch))
    with open(BASE, encoding="utf-8") as base, open(patch, encoding="utf-8") as extra:
        text = base.read() + "\n\n" + extra.read()
    with open(target, "w", encoding="utf-8") as handle:
        handle.write(text)
    return target


@pytest.fixture
def write(tmp_path):
    """write(name, text) -> path of a new file under tmp_path."""
    def _write(name, text, mode="w"):
        path = tmp_path / name
        if mode == "wb":
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return str(path)
    return _write


def as_tuple(result):
    """A function's result as a tuple (single arrays become 1-tuples)."""
    return result if isinstance(result, tuple) else (result,)


def relative_error(got, expected, floor=0.0):
    """max |got - expected| / max(max |expected|, floor), shapes asserted equal."""
    got, expected = np.asarray(got, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    assert got.shape == expected.shape
    scale = max(np.max(np.abs(expected), initial=0.0), floor, np.finfo(float).tiny)
    return np.max(np.abs(got - expected), initial=0.0) / scale
