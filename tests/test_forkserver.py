"""Warm workers: forked from a server that imported NumPy, they judge exactly as fresh interpreters do.

The fork server is not a fork of rnncheck: nothing of the parent (the
oracle above all) is in a worker's memory, and the server ends with the
rnncheck process that started it, taking its workers with it.
"""
import os
import signal
import subprocess
import sys
import time

from conftest import BASE, ROOT, hostile_source, statuses, verdicts

from rnncheck.sandbox import forkserver

NO_FORK_SERVER = {"RNNCHECK_NO_FORK_SERVER": "1"}
LOOKS_FOR_THE_ORACLE = '''
import gc, types


def sigmoid(x):
    oracle = sorted({o.__name__ for o in gc.get_objects() if isinstance(o, types.ModuleType)
                     and o.__name__.split(".")[0] in ("autograd", "reference", "manual")})
    if oracle:
        raise RuntimeError("found " + ", ".join(oracle))
    return 1 / (1 + np.exp(-x))
'''


def comparable(verdict):
    return [(f["name"], f["status"], f.get("error")) for f in verdict["functions"]]


def test_a_forked_worker_gives_the_verdict_a_fresh_interpreter_gives(tmp_path):
    patch = tmp_path / "patch.py"
    patch.write_text("def rnn_step_backward(dnext_h, cache):\n    raise ValueError('not yet')\n")
    path = hostile_source(str(patch), str(tmp_path))
    code, [forked] = verdicts(path, "--seed", 4)
    cold_code, [cold] = verdicts(path, "--seed", 4, env=NO_FORK_SERVER)
    assert code == cold_code == 1
    assert comparable(forked) == comparable(cold)
    assert statuses(forked)["rnn_step_backward"] == "error"
    assert forked["isolation"] == cold["isolation"] and not forked["isolation"]["missing"]


def test_the_oracle_is_nowhere_in_a_forked_workers_memory(tmp_path):
    patch = tmp_path / "looks.py"
    patch.write_text(LOOKS_FOR_THE_ORACLE)
    code, [verdict] = verdicts(hostile_source(str(patch), str(tmp_path)), "--seed", 1, "--functions", "sigmoid")
    assert statuses(verdict) == {"sigmoid": "pass"}, verdict["functions"][0]["message"]


def test_the_server_reports_how_its_workers_end_and_takes_them_with_it():
    server = forkserver.ForkServer(forkserver.environment())
    ends = []
    try:
        first, second = (idle_worker(server, ends) for _ in range(2))
        assert server.status(first) is None and server.status(second) is None
        os.kill(first, signal.SIGKILL)
        assert server.wait(first, timeout=10) == -signal.SIGKILL
        assert server.status(second) is None
    finally:
        server.close()
        for fd in ends:
            os.close(fd)
    assert not server.alive
    deadline = time.monotonic() + 10
    while os.path.exists(f"/proc/{second}") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not os.path.exists(f"/proc/{second}")


def test_a_stopped_server_cannot_make_rnncheck_wait_forever():
    server = forkserver.ForkServer(forkserver.environment())
    ends = []
    try:
        pid = idle_worker(server, ends)
        os.kill(server.process.pid, signal.SIGSTOP)  # possible only where the worker is not confined
        os.kill(pid, signal.SIGKILL)
        assert server.wait(pid, timeout=10) == -signal.SIGKILL
    finally:
        os.kill(server.process.pid, signal.SIGCONT)
        server.close()
        for fd in ends:
            os.close(fd)


def idle_worker(server, ends):
    """A worker forked by ``server``, waiting for a start request that never comes; its pid."""
    to_child, to_worker = os.pipe()
    from_worker, from_child = os.pipe()
    output, printed = os.pipe()
    pid = server.spawn(to_child, from_child, printed, "/", forkserver.environment())
    for fd in (to_child, from_child, printed):
        os.close(fd)
    ends += [to_worker, from_worker, output]
    return pid


def test_nothing_of_the_server_outlives_rnncheck(tmp_path):
    done = subprocess.run([sys.executable, "-m", "rnncheck", BASE, "--seed", "2", "--functions", "sigmoid"],
                          cwd=tmp_path, env=dict(os.environ, PYTHONPATH=ROOT), capture_output=True, timeout=120)
    assert done.returncode == 0
    deadline = time.monotonic() + 10
    while servers_in(tmp_path) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert servers_in(tmp_path) == []


def servers_in(folder):
    """Pids of fork servers running in ``folder`` (a server works in the folder rnncheck was started in)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                command = handle.read()
            here = os.readlink(f"/proc/{pid}/cwd")
        except OSError:
            continue
        if b"rnncheck.sandbox.forkserver import serve" in command and here == str(folder):
            found.append(int(pid))
    return found
