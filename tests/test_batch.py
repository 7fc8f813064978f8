"""Grading a folder: --jobs in parallel, answers in path order, CSV / JSON lines / text summary, progress.

The folder holds 20 submissions: the 8 correct solutions, 11 one-bug
patches and one whose temporal_affine_forward never returns.  Each format
is one run of the CLI with ``--jobs 2``; every one must give the verdicts
the corpus headers expect, in the order of the files.
"""
import csv
import ctypes
import glob
import io
import os
import shutil
import subprocess
import sys
import threading

import pytest
from conftest import ROOT, SUBMISSIONS, expectations, patched, run_cli, statuses, verdicts

from rnncheck.front import batch
from rnncheck.courses.cs231n import FUNCTIONS, REQUIRED
from rnncheck.load.loader import from_bytes
from rnncheck.sandbox.session import Sandbox

CORRECT = sorted(glob.glob(os.path.join(SUBMISSIONS, "correct", "*.*")))
WRONG = sorted(glob.glob(os.path.join(SUBMISSIONS, "wrong", "*.py")))[:19 - len(CORRECT)]  # 20 in all, with HANGS
HANGS = os.path.join(ROOT, "tests", "hostile", "infinite_loop.py")
ARGS = ("--jobs", "2", "--seed", "3", "--timeout", "2", "--load-timeout", "5")


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """20 submissions and, per file name, the statuses that must not be pass."""
    directory = tmp_path_factory.mktemp("submissions")
    expected = {}
    for path in CORRECT:
        shutil.copy(path, directory)
        expected[os.path.basename(path)] = {}
    for patch in WRONG + [HANGS]:
        name = os.path.basename(patched(patch, str(directory)))
        expected[name] = expectations(patch)
    assert len(expected) == 20
    return str(directory), dict(sorted(expected.items()))


def not_passing(verdict):
    return {n: s for n, s in statuses(verdict).items() if s != "pass"}


@pytest.fixture(scope="module")
def json_lines(folder):
    directory, _ = folder
    return verdicts(directory, *ARGS)


def test_json_lines_come_in_path_order_with_each_bug_flagged_alone(folder, json_lines):
    directory, expected = folder
    code, found = json_lines
    assert code == 1
    assert [os.path.basename(v["candidate"]) for v in found] == list(expected)
    assert {os.path.basename(v["candidate"]): not_passing(v) for v in found} == expected


def test_the_hanging_submission_times_out_alone(json_lines):
    _, found = json_lines
    hanging = next(v for v in found if v["candidate"].endswith("infinite_loop.py"))
    assert not_passing(hanging) == {"temporal_affine_forward": "timeout", "temporal_affine_backward": "skipped"}
    message = next(f["message"] for f in hanging["functions"] if f["name"] == "temporal_affine_forward")
    assert "did not finish within 2 s" in message


def test_csv_has_a_status_column_per_function_and_agrees_with_json(folder, json_lines):
    directory, expected = folder
    done = run_cli(directory, *ARGS, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert done.returncode == 1
    assert list(rows[0]) == ["submission", *FUNCTIONS, "passed", "score", "max_score", "mistakes"]
    assert [os.path.basename(r["submission"]) for r in rows] == list(expected)
    for row, verdict in zip(rows, json_lines[1]):
        assert {f: row[f] for f in FUNCTIONS if row[f]} == statuses(verdict)
        assert row["passed"] == ("true" if verdict["passed"] else "false")
        required_passing = sum(s == "pass" for n, s in statuses(verdict).items() if n in REQUIRED)
        assert (row["score"], row["max_score"]) == (str(required_passing), str(len(REQUIRED)))
        named = [f"{f['name']}={f['mistake']['id']}" for f in verdict["functions"] if "mistake" in f]
        assert row["mistakes"] == "; ".join(named)
    assert any(row["mistakes"] for row in rows) and not all(row["mistakes"] for row in rows)


def test_text_batch_shows_progress_on_a_terminal_and_ends_with_the_summary(folder, json_lines):
    directory, expected = folder
    stdout, stderr, code = run_with_terminal_stderr([directory, *ARGS])
    assert code == 1
    assert "20/20 checked" in stderr and "\r[" in stderr and "about" in stderr
    assert "Traceback" not in stderr
    summary = stdout[stdout.index("Summary: "):].splitlines()
    assert summary[0] == f"Summary: {sum(not e for e in expected.values())} of 20 submissions pass"
    rows = summary[1:21]
    assert [row.split()[0] for row in rows] == [os.path.join(directory, name) for name in expected]
    for row, (name, bugs) in zip(rows, expected.items()):
        for function, status in bugs.items():
            assert f"{function} ({status})" in row
    failing, checked = {}, {}
    for verdict in json_lines[1]:
        for name, status in statuses(verdict).items():
            checked[name] = checked.get(name, 0) + 1
            failing[name] = failing.get(name, 0) + (status != "pass")
    assert checked["lstm_backward"] == 20 and checked["gru_backward"] < 20  # GRU counts where defined
    per_function = summary[summary.index("Per function:") + 1:summary.index(next(
        line for line in summary if line.startswith("Known mistakes")))]
    for name, count in failing.items():
        if count:
            line = next(line for line in per_function if line.strip().startswith(name + ":"))
            assert f" {count} of {checked[name]} fail" in line
    counts = [int(line.split(":")[1].split()[0]) for line in per_function if "passing in every" not in line]
    assert counts == sorted(counts, reverse=True)  # most failed first: what to explain in the next lecture


def run_with_terminal_stderr(args, env=None):
    """The CLI with stderr on a pseudo-terminal (stdout a pipe): (stdout, what the terminal got, exit code)."""
    import pty  # noqa: F401  (POSIX only, like the sandbox)
    primary, secondary = os.openpty()
    environment = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    environment.update(env or {}, PYTHONPATH=ROOT)
    process = subprocess.Popen([sys.executable, "-m", "rnncheck", *map(str, args)], cwd=ROOT, env=environment,
                               stdout=subprocess.PIPE, stderr=secondary, stdin=subprocess.DEVNULL)
    os.close(secondary)
    chunks = []
    reader = threading.Thread(target=_drain, args=(primary, chunks))
    reader.start()
    stdout = process.stdout.read().decode()
    code = process.wait(timeout=600)
    reader.join(timeout=60)
    os.close(primary)
    return stdout, b"".join(chunks).decode(errors="replace"), code


def _drain(fd, chunks):
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the other side closed
            return
        if not chunk:
            return
        chunks.append(chunk)


def test_no_progress_with_no_color_or_quiet(folder):
    directory, _ = folder
    two = sorted(glob.glob(os.path.join(directory, "*.py")))[:2]
    for env, extra in (({"NO_COLOR": "1"}, []), ({}, ["--quiet"])):
        stdout, stderr, code = run_with_terminal_stderr([*two, "--seed", "3", *extra], env=env)
        assert "checked" not in stderr and "\r" not in stderr, stderr
        assert "Summary: " in stdout


def test_progress_is_not_written_when_stderr_is_not_a_terminal(folder):
    directory, _ = folder
    two = sorted(glob.glob(os.path.join(directory, "*.py")))[:2]
    done = run_cli(*two, "--seed", "3")
    assert done.stderr == ""


def test_one_job_and_three_jobs_give_identical_json(folder):
    directory, _ = folder
    four = sorted(glob.glob(os.path.join(directory, "*.py")))[:4]
    assert verdicts(*four, "--seed", "5", "--jobs", "1") == verdicts(*four, "--seed", "5", "--jobs", "3")


def test_run_yields_in_item_order_whatever_order_checks_finish_in():
    """Item 0 finishes last: it waits until every other check has finished."""
    others_done = threading.Event()
    finished = []
    lock = threading.Lock()

    def check(item):
        if item == 0:
            others_done.wait(timeout=60)
        with lock:
            finished.append(item)
            if len(finished) == 4:
                others_done.set()
        return item

    reported = []
    results = list(batch.run([0, 1, 2, 3, 4], check, jobs=5, on_done=reported.append))
    assert results == [0, 1, 2, 3, 4]
    assert finished[-1] == 0 and sorted(reported) == [0, 1, 2, 3, 4]


def test_jobs_must_be_a_positive_number():
    done = run_cli("--jobs", "0")
    assert done.returncode == 2 and "--jobs" in done.stderr


def test_usable_cores_counts_the_affinity_mask():
    assert batch.usable_cores() == len(os.sched_getaffinity(0))


def test_csv_rows_an_unreadable_file_where_json_refuses_the_batch(tmp_path):
    shutil.copy(os.path.join(SUBMISSIONS, "correct", "batch_loop.py"), tmp_path / "alice.py")
    (tmp_path / "bob.py").write_bytes(b"\x7fELF\x00\x01" * 20)
    done = run_cli(tmp_path, "--format", "csv", "--seed", "3", "--functions", "rnn_step_*")
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert done.returncode == 1 and [os.path.basename(r["submission"]) for r in rows] == ["alice.py", "bob.py"]
    assert [(r["rnn_step_backward"], r["passed"], r["score"]) for r in rows] == [
        ("pass", "true", "2"), ("error", "false", "0")]
    done = run_cli(tmp_path, "--format", "json", "--seed", "3")
    assert done.returncode == 2 and done.stdout == "" and "binary" in done.stderr


def dumpable():
    return ctypes.CDLL(None).prctl(3, 0, 0, 0, 0) == 1  # PR_GET_DUMPABLE


def test_the_parent_stays_undumpable_until_the_last_of_several_open_sandboxes_closes():
    source = from_bytes(b"import numpy as np\n", "tiny.py")
    assert dumpable()
    first, second = Sandbox(source), Sandbox(source)
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert not dumpable()  # the second check still runs submitted code
    second.__exit__(None, None, None)
    assert dumpable()
