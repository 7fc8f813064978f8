"""Cost of confining the worker (Landlock + seccomp), and of its caps, as ratios to runs without, in the same process.

Three measurements, each repeated with confinement on and off, alternately and
in alternating order, so that both see the same machine load; the medians are
compared:

- **worker start**: start a worker, confine it, load a two-statement
  submission and list its functions: where confinement costs something,
  once per worker;
- **200 calls**: one worker answering 200 small calls (``sigmoid`` on 4x5):
  what confinement adds to every system call the worker makes afterwards;
- **whole check**: ``check_source`` on a correct solution (every function,
  every case), as the CLI runs it.

Confinement is turned off with the switches the tests use
(``RNNCHECK_DISABLE_LANDLOCK``, ``RNNCHECK_DISABLE_SECCOMP``).  The caps on
scratch space and tasks (a tmpfs in a mount namespace of the worker's own,
and as root a uid of its own) are measured the same way, worker start and
whole check, against ``RNNCHECK_DISABLE_NAMESPACES`` and
``RNNCHECK_DISABLE_USER`` (the scratch then measured by the parent after
each call, the worker left as root).  On a busy
machine these ratios are within the noise, so the ``confine()`` call itself is
also timed, in fresh processes that have imported NumPy as a worker has.

    python benchmarks/confinement.py [--repeat 7] [--submission tests/submissions/correct/cs231n_loops.py]
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from rnncheck.load.loader import from_bytes, load  # noqa: E402
from rnncheck.sandbox.limits import SWITCHES  # noqa: E402
from rnncheck.sandbox.session import Sandbox  # noqa: E402
from rnncheck.judge.verify import check_source  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TINY = from_bytes(b"import numpy as np\n\ndef sigmoid(x):\n    return 1 / (1 + np.exp(-x))\n", "tiny.py")


LAYERS = ("landlock", "seccomp")  # the confinement proper
CAPS = ("namespaces", "user")  # the scratch tmpfs and the uid of its own (the task cap)
TURNED_OFF = {LAYERS: ("filesystem", "network", "signals", "processes"), CAPS: ("scratch", "tasks")}


def confined(flag, layers=LAYERS):
    """Turn ``layers`` on (True) or off (False) for workers started from now on."""
    for layer in layers:
        if flag:
            os.environ.pop(SWITCHES[layer], None)
        else:
            os.environ[SWITCHES[layer]] = "1"


def loaded(sandbox):
    assert all(failure is None for failure in sandbox.execute(TINY.keep))
    assert sandbox.request({"op": "names", "names": ["sigmoid"]})[0]["callable"] == ["sigmoid"]
    return sandbox


def worker_start():
    with Sandbox(TINY) as sandbox:
        return loaded(sandbox).isolation


def calls(count=200):
    x = np.linspace(-3, 3, 20).reshape(4, 5)
    request = {"op": "call", "function": "sigmoid", "inputs": ["x"], "outputs": ["out"], "cache": False}
    with Sandbox(TINY) as sandbox:
        loaded(sandbox)
        started = time.perf_counter()
        for _ in range(count):
            assert sandbox.request(request, [x])[0]["ok"]
        return sandbox.isolation, time.perf_counter() - started


def whole_check(source):
    verdict = check_source(source, seed=0)
    assert verdict["passed"], [f["message"] for f in verdict["functions"] if f["status"] != "pass"]
    return verdict["isolation"]


CONFINE_ALONE = f"""
import os, shutil, sys, tempfile, time
import numpy
sys.path.insert(0, {ROOT!r})
from rnncheck.worker import confine
scratch = tempfile.mkdtemp()
caps = dict(scratch_bytes=256 << 20, tasks=64) if sys.argv[1:] == ["caps"] else {{}}
started = time.perf_counter()
isolation = confine.confine(scratch, [os.path.dirname(numpy.__file__)], **caps)
print(time.perf_counter() - started)
assert isolation["scratch"] is bool(caps)
"""


def confine_alone(repeat, caps=False):
    """Median seconds of one ``confine()`` call (``caps``: with the scratch and task caps), each in a fresh process."""
    environment = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    command = [sys.executable, "-I", "-c", CONFINE_ALONE] + (["caps"] if caps else [])
    runs = [float(subprocess.run(command, capture_output=True, text=True, check=True, env=environment).stdout)
            for _ in range(repeat)]
    return statistics.median(runs)


def measure(task, repeat, layers=LAYERS):
    """{True: [seconds...], False: [...]}, runs alternating with ``layers`` on and off.

    ``task`` returns the isolation, or (isolation, seconds) when it times only part of itself.
    """
    times = {True: [], False: []}
    for run in range(repeat):
        for flag in (True, False) if run % 2 else (False, True):  # neither always goes first
            confined(flag, layers)
            started = time.perf_counter()
            isolation = task()
            elapsed = time.perf_counter() - started
            if isinstance(isolation, tuple):
                isolation, elapsed = isolation
            times[flag].append(elapsed)
            missing = {entry.split(" ", 1)[0] for entry in isolation["missing"]}
            assert flag or missing >= set(TURNED_OFF[layers]), "the switches did not turn them off"
    confined(True, layers)
    return times


def section(budget=1.0, threads=1, path=os.path.join(ROOT, "tests", "submissions", "correct", "cs231n_loops.py")):
    """The suite's table (benchmarks/run.py): confined over unconfined, medians of alternating runs."""
    from benchmarks.table import render
    repeat = max(3, int(7 * budget))
    source, rows = load(path), []
    for name, task in (("worker start", worker_start), ("200 calls", calls),
                       ("whole check", lambda: whole_check(source))):
        times = measure(task, repeat)
        on, off = [statistics.median(times[flag]) * 1e3 for flag in (True, False)]
        rows.append([name, on, off, on / off])
    alone = confine_alone(repeat) * 1e3
    caps = []
    for name, task in (("worker start", worker_start), ("whole check", lambda: whole_check(source))):
        times = measure(task, repeat, CAPS)
        on, off = [statistics.median(times[flag]) * 1e3 for flag in (True, False)]
        caps.append([name, on, off, on / off])
    return render("Confinement: Landlock + seccomp against none, in the same run",
                  ["measurement", "confined ms", "unconfined ms", "confined/unconfined"], rows,
                  notes=[f"confine() alone: {alone:.1f} ms"]) + "\n" + render(
        f"Caps: scratch tmpfs + a uid of its own against neither, in the same run (as {_who()})",
        ["measurement", "capped ms", "uncapped ms", "capped/uncapped"], caps,
        notes=[f"confine() alone with the caps: {confine_alone(repeat, caps=True) * 1e3:.1f} ms"])


def _who():
    return "root" if os.geteuid() == 0 else "an unprivileged user"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--submission", default=os.path.join(ROOT, "tests", "submissions", "correct",
                                                             "cs231n_loops.py"))
    options = parser.parse_args()
    source = load(options.submission)
    confined(True)
    print(f"isolation when confined: {worker_start()}")
    print(f"medians of {options.repeat} runs each, confined and unconfined alternating")
    medians = {}
    print(f"{'measurement':<14} {'confined ms':>12} {'unconfined ms':>14} {'confined/unconfined':>20}")
    for name, task in (("worker start", worker_start), ("200 calls", calls),
                       ("whole check", lambda: whole_check(source))):
        times = measure(task, options.repeat)
        medians[name] = on, off = [statistics.median(times[flag]) * 1e3 for flag in (True, False)]
        print(f"{name:<14} {on:>12.1f} {off:>14.1f} {on / off:>20.3f}")
    alone = confine_alone(options.repeat) * 1e3
    print(f"confine() alone: {alone:.1f} ms, {alone / medians['worker start'][1]:.3f} of an unconfined worker start")
    print(f"caps (scratch tmpfs, a uid of its own, as {_who()}) against neither:")
    print(f"{'measurement':<14} {'capped ms':>12} {'uncapped ms':>14} {'capped/uncapped':>20}")
    for name, task in (("worker start", worker_start), ("whole check", lambda: whole_check(source))):
        times = measure(task, options.repeat, CAPS)
        on, off = [statistics.median(times[flag]) * 1e3 for flag in (True, False)]
        print(f"{name:<14} {on:>12.1f} {off:>14.1f} {on / off:>20.3f}")


if __name__ == "__main__":
    main()
