"""Safety of the grading host: the scratch cap, the task cap as root, a batch's neighbours, kill(-1).

Each test runs the CLI as users run it, on the base solution with a few functions
replaced, and checks the verdict (the misbehaving function is an ``error`` that says
why, every other function passes) and the host (nothing left on disk, no neighbour's
code run, no process hurt).  Every cap is tested small (megabytes, a dozen threads):
a failure of the cap must never be able to endanger the machine running the test.
"""
import json
import os
import shutil
import subprocess
import sys
import textwrap

import pytest
from conftest import BASE, ROOT, hostile_source, isolation_here, statuses, verdicts

from rnncheck.courses.cs231n import FUNCTIONS
from rnncheck.judge.verify import check_source
from rnncheck.load.loader import load
from rnncheck.sandbox.limits import Limits
from rnncheck.sandbox.process import scratch_used

LIMITS = ("--seed", "0", "--timeout", "5", "--load-timeout", "5")
AFFINE = """
    N, T, D = x.shape
    out = x.reshape(N * T, D).dot(w).reshape(N, T, -1) + b
    return out, (x, w, b, out)
"""


def write_patch(tmp_path, name, patch, folder="submission"):
    """The base with ``patch`` (source text) over it, as ``folder/name``."""
    directory = tmp_path / folder
    directory.mkdir(exist_ok=True)
    patch_file = tmp_path / name
    patch_file.write_text(textwrap.dedent(patch), encoding="utf-8")
    return hostile_source(str(patch_file), str(directory))


def not_passing(verdict):
    return {name: status for name, status in statuses(verdict).items() if status != "pass"}


def message(verdict, name):
    return next(f["message"] for f in verdict["functions"] if f["name"] == name)


# ---------------------------------------------------------------- scratch space

FILLS = """
def temporal_affine_forward(x, w, b):
    for index in range(12):
        with open(f"part{index}.bin", "wb") as part:
            part.write(bytes(1 << 20))
""" + AFFINE


@pytest.mark.parametrize("switch", [None, "RNNCHECK_DISABLE_NAMESPACES"], ids=["tmpfs", "measured"])
def test_writing_past_the_scratch_cap_is_an_error_and_leaves_nothing_on_disk(tmp_path, switch):
    path = write_patch(tmp_path, "fills.py", FILLS)
    scratch_parent = tmp_path / "tmp"
    scratch_parent.mkdir()
    env = {"TMPDIR": str(scratch_parent), **({switch: "1"} if switch else {})}
    code, [verdict] = verdicts(path, *LIMITS, "--scratch", "4M", env=env)

    assert code == 1
    assert not_passing(verdict) == {"temporal_affine_forward": "error", "temporal_affine_backward": "skipped"}
    assert set(statuses(verdict)) == set(FUNCTIONS)
    assert "writing more than its scratch space holds (4 MiB, --scratch)" in message(
        verdict, "temporal_affine_forward")
    assert verdict["isolation"]["scratch"] is (switch is None)
    if switch:
        assert "4 MiB or more found there after the call" in message(verdict, "temporal_affine_forward")
        assert verdict["isolation"]["missing"][-1].startswith("scratch (namespaces turned off")
    assert os.listdir(scratch_parent) == []  # every worker's scratch directory is gone


FILLS_AND_HIDES = """
def temporal_affine_forward(x, w, b):
    try:
        with open("fill.bin", "wb") as fill:
            for _ in range(12):
                fill.write(bytes(1 << 20))
    except OSError:
        pass  # the error is swallowed; the space stays full
""" + AFFINE


@pytest.mark.parametrize("switch", [None, "RNNCHECK_DISABLE_NAMESPACES"], ids=["tmpfs", "measured"])
def test_a_call_that_swallows_the_full_scratch_error_is_still_an_error(tmp_path, switch):
    path = write_patch(tmp_path, "hides.py", FILLS_AND_HIDES)
    code, [verdict] = verdicts(path, *LIMITS, "--scratch", "4M", "--functions", "temporal_affine_*",
                               env={switch: "1"} if switch else None)
    assert code == 1
    assert not_passing(verdict) == {"temporal_affine_forward": "error", "temporal_affine_backward": "skipped"}
    assert "writing more than its scratch space holds (4 MiB, --scratch)" in message(
        verdict, "temporal_affine_forward")


def test_scratch_usage_is_measured_in_blocks_and_stops_past_the_limit(tmp_path):
    (tmp_path / "a").write_bytes(bytes(3 << 20))
    (tmp_path / "deep").mkdir()
    (tmp_path / "deep" / "b").write_bytes(bytes(1 << 20))
    with open(tmp_path / "sparse", "wb") as sparse:
        sparse.truncate(1 << 30)  # a 1 GiB hole takes no blocks
    used = scratch_used(str(tmp_path), 64 << 20)
    assert 4 << 20 <= used < (4 << 20) + (1 << 16)
    assert 3 << 20 <= scratch_used(str(tmp_path), 2 << 20) < 4 << 20  # stopped before the folder beneath
    assert scratch_used(str(tmp_path), 3 << 20) >= 3 << 20  # exactly full counts as full


def test_scratch_and_tasks_are_limits_of_the_configuration_and_the_api(tmp_path):
    from rnncheck.front.config import ConfigError, resolve
    config = tmp_path / "pyproject.toml"
    config.write_text('[tool.rnncheck.limits]\nscratch = "32M"\ntasks = 12\n', encoding="utf-8")
    settings = resolve({}, str(config))
    assert (settings.limits.scratch_bytes, settings.limits.tasks) == (32 << 20, 12)
    assert resolve({"scratch": 8 << 20, "tasks": 4}, str(config)).limits.tasks == 4
    assert (Limits().scratch_bytes, Limits().tasks) == (256 << 20, 64)
    config.write_text('[tool.rnncheck.limits]\ntasks = 1\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="limits.tasks: expected a whole number of at least 2"):
        resolve({}, str(config))
    import rnncheck
    with pytest.raises(ValueError, match="tasks must be a whole number of at least 2"):
        rnncheck.check(BASE, tasks=1)


# ---------------------------------------------------------------- tasks

def test_as_root_the_worker_runs_as_a_uid_of_its_own_with_the_task_cap_in_force():
    if os.geteuid() != 0:
        pytest.skip("rnncheck is not running as root here")
    isolation = isolation_here()
    assert isolation["tasks"] is True and isolation["user"].startswith("a uid of its own (1879048192 + its pid)")
    code, [verdict] = verdicts(BASE, *LIMITS, "--functions", "sigmoid", env={"RNNCHECK_DISABLE_USER": "1"})
    assert code == 0 and verdict["isolation"]["tasks"] is False
    assert verdict["isolation"]["user"] == "root, without capabilities"
    assert verdict["isolation"]["missing"] == [
        "tasks (uid 0 kept: RNNCHECK_DISABLE_USER is set, and Linux exempts root)"]


THREADS = """
import threading

def temporal_affine_forward(x, w, b):
    release = threading.Event()
    started = [threading.Thread(target=release.wait, args=(0.5,)) for _ in range({count})]
    for thread in started:
        thread.start()
    release.set()
    for thread in started:
        thread.join()
""" + AFFINE


def test_workers_checked_side_by_side_count_their_tasks_apart(tmp_path):
    """Two workers with 10 threads each under a cap of 12: each counts only its own (a uid or namespace each)."""
    if not isolation_here()["tasks"]:
        pytest.skip(f"no task cap here: {isolation_here()['missing']}")
    for name in ("first.py", "second.py"):
        write_patch(tmp_path, name, THREADS.format(count=10), folder="batch")
    code, found = verdicts(str(tmp_path / "batch"), *LIMITS, "--tasks", "12", "--jobs", "2",
                           "--functions", "temporal_affine_*")
    assert code == 0 and [v["passed"] for v in found] == [True, True]


def test_past_the_task_cap_a_call_is_an_error_and_the_next_functions_still_pass(tmp_path):
    if not isolation_here()["tasks"]:
        pytest.skip(f"no task cap here: {isolation_here()['missing']}")
    path = write_patch(tmp_path, "threads.py", THREADS.format(count=24))
    code, [verdict] = verdicts(path, *LIMITS, "--tasks", "12")
    assert code == 1
    assert not_passing(verdict) == {"temporal_affine_forward": "error", "temporal_affine_backward": "skipped"}
    assert "starting more than 12 tasks (threads) at once (the task cap, --tasks)" in message(
        verdict, "temporal_affine_forward")


# ---------------------------------------------------------------- a batch's neighbours

PARASITE = """
import importlib
import sys

FOLDER = {folder!r}


def word_embedding_forward(x, W):
    sys.path.insert(0, FOLDER)
    return importlib.import_module("alice").word_embedding_forward(x, W)


def temporal_affine_forward(x, w, b):
    namespace = {{}}
    with open(FOLDER + "/alice.py") as neighbour:
        exec(neighbour.read(), namespace)
    return namespace["temporal_affine_forward"](x, w, b)
"""


def test_in_a_batch_a_submission_cannot_run_its_neighbours_functions(tmp_path):
    folder = tmp_path / "submissions"
    folder.mkdir()
    shutil.copy(BASE, folder / "alice.py")
    write_patch(tmp_path, "parasite.py", PARASITE.format(folder=str(folder)), folder="submissions")

    code, [alice, parasite] = verdicts(str(folder), *LIMITS)
    assert code == 1
    assert alice["candidate"].endswith("alice.py") and alice["passed"]
    assert not_passing(parasite) == {"word_embedding_forward": "error", "word_embedding_backward": "skipped",
                                     "temporal_affine_forward": "error", "temporal_affine_backward": "skipped"}
    assert "No module named 'alice'" in message(parasite, "word_embedding_forward")
    assert (f"blocked by the sandbox: reading {folder}/alice.py (in a batch, a submission reads only Python, "
            "NumPy and its own file, not its neighbours)") in message(parasite, "temporal_affine_forward")

    code, [alone] = verdicts(str(folder / "parasite.py"), *LIMITS)  # one file: its folder stays readable
    assert code == 0 and alone["passed"]


def test_a_batch_worker_reads_the_support_files_it_is_given(tmp_path):
    support = tmp_path / "course"
    support.mkdir()
    (support / "rnn_utils.py").write_text("def affine(x, w, b):\n    return x.dot(w) + b\n", encoding="utf-8")
    path = write_patch(tmp_path, "uses_utils.py", """
        from rnn_utils import affine

        def temporal_affine_forward(x, w, b):
            N, T, D = x.shape
            out = affine(x.reshape(N * T, D), w, b).reshape(N, T, -1)
            return out, (x, w, b, out)
        """)
    source = load(path)
    private = Limits(call_seconds=5, load_seconds=5, private=True)
    without = check_source(source, 0, ["temporal_affine_*"], private)
    assert without["functions"][0]["status"] == "error"
    assert "name 'affine' is not defined" in without["functions"][0]["message"]
    assert any("No module named 'rnn_utils'" in warning for warning in without["warnings"]), without["warnings"]
    given = check_source(source, 0, ["temporal_affine_*"], Limits(**{**vars(private), "support": (
        str(support / "rnn_utils.py"),)}))
    assert given["passed"], [f["message"] for f in given["functions"]]


def test_a_course_support_file_is_importable_beside_the_scratch_tmpfs_and_removed_after(tmp_path):
    """A course's support files are copied outside the scratch (its tmpfs would hide them), readable, then gone."""
    import dataclasses
    from rnncheck import courses
    (tmp_path / "rnn_utils.py").write_text("def affine(x, w, b):\n    return x.dot(w) + b\n", encoding="utf-8")
    course = dataclasses.replace(courses.load("cs231n"), support=("rnn_utils.py",), folder=str(tmp_path),
                                 preamble="from rnn_utils import *")
    path = write_patch(tmp_path, "uses_preamble.py", """
        def temporal_affine_forward(x, w, b):
            N, T, D = x.shape
            out = affine(x.reshape(N * T, D), w, b).reshape(N, T, -1)  # from the course's preamble
            return out, (x, w, b, out)
        """)
    scratch_parent = tmp_path / "tmp"
    scratch_parent.mkdir()
    before = os.environ.get("TMPDIR")
    os.environ["TMPDIR"] = str(scratch_parent)
    try:
        import tempfile
        tempfile.tempdir = None  # read TMPDIR again
        for private in (False, True):
            verdict = check_source(load(path), 0, ["temporal_affine_*"],
                                   Limits(call_seconds=5, load_seconds=5, private=private), course=course)
            assert verdict["passed"], [f["message"] for f in verdict["functions"]]
            assert verdict["isolation"]["scratch"] is isolation_here()["scratch"]
    finally:
        os.environ.pop("TMPDIR") if before is None else os.environ.__setitem__("TMPDIR", before)
        tempfile.tempdir = None
    assert os.listdir(scratch_parent) == []  # the scratch and the support copy are both gone


# ---------------------------------------------------------------- kill(-1)

KILLS_EVERYONE = """
import os
import signal


def temporal_affine_forward(x, w, b):
    os.kill(-1, signal.SIGKILL)
""" + AFFINE

IN_A_PID_NAMESPACE = """
sleep 60 & sentinel=$!
"$@" > verdict.json
code=$?
kill -0 "$sentinel" && echo sentinel-alive
kill "$sentinel"
exit "$code"
"""


def in_fresh_pid_namespace(tmp_path, *command, env=None):
    """Run ``command`` beside a sentinel process in a fresh PID namespace; (exit code, stdout, verdict)."""
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("no unshare(1) here")
    environment = dict(os.environ, PYTHONPATH=ROOT, **(env or {}))
    for prefix in ([unshare, "-p", "-f", "--mount-proc"], [unshare, "-r", "-p", "-f", "--mount-proc"]):
        probe = subprocess.run(prefix + ["true"], capture_output=True)
        if probe.returncode == 0:
            break
    else:
        pytest.skip(f"no PID namespace can be made here: {probe.stderr.decode(errors='replace').strip()}")
    done = subprocess.run(prefix + ["sh", "-c", IN_A_PID_NAMESPACE, "sh", *command], capture_output=True,
                          text=True, cwd=tmp_path, env=environment, timeout=300)
    lines = (tmp_path / "verdict.json").read_text().splitlines()
    return done.returncode, done.stdout, [json.loads(line) for line in lines]


def test_kill_minus_one_is_an_error_and_hurts_no_process(tmp_path):
    if not isolation_here()["signals"]:
        pytest.skip(f"no signal confinement here: {isolation_here()['missing']}")
    path = write_patch(tmp_path, "kills.py", KILLS_EVERYONE)
    code, out, [verdict] = in_fresh_pid_namespace(
        tmp_path, sys.executable, "-m", "rnncheck", path, *LIMITS, "--format", "json")
    assert code == 1 and "sentinel-alive" in out
    assert not_passing(verdict) == {"temporal_affine_forward": "error", "temporal_affine_backward": "skipped"}
    assert ("blocked by the sandbox: sending SIGKILL to every process it may signal (kill -1), outside the sandbox"
            in message(verdict, "temporal_affine_forward"))


def test_without_seccomp_kill_minus_one_still_reaches_no_other_process(tmp_path):
    isolation = isolation_here()
    if not (isolation["tasks"] or isolation["landlock_abi"] >= 6):
        pytest.skip("neither a uid of its own nor Landlock's signal scoping here")
    path = write_patch(tmp_path, "kills.py", KILLS_EVERYONE)
    code, out, [verdict] = in_fresh_pid_namespace(
        tmp_path, sys.executable, "-m", "rnncheck", path, *LIMITS, "--format", "json",
        env={"RNNCHECK_DISABLE_SECCOMP": "1"})
    assert "sentinel-alive" in out  # rnncheck, the fork server and the sentinel all lived on
    assert set(statuses(verdict)) == set(FUNCTIONS)
    assert {n for n, s in statuses(verdict).items() if s != "pass"} <= {"temporal_affine_forward",
                                                                         "temporal_affine_backward"}


def test_require_isolation_runs_without_the_scratch_tmpfs_and_reports_it():
    """A grading container without namespaces keeps the measured scratch cap; --require-isolation still runs."""
    code, [verdict] = verdicts(BASE, *LIMITS, "--functions", "sigmoid", "--require-isolation",
                               env={"RNNCHECK_DISABLE_NAMESPACES": "1"})
    if not all(verdict["isolation"][p] for p in ("filesystem", "network", "signals", "processes")):
        pytest.skip(f"not fully confined here: {verdict['isolation']['missing']}")
    assert code == 0 and verdict["passed"]
    assert verdict["isolation"]["scratch"] is False
    assert verdict["isolation"]["missing"][0].startswith("scratch (namespaces turned off")
