"""Timing helpers: every figure a median, every comparison interleaved in one run.

Interleaving (a, b, a, b, ...) rather than (a, a, ..., b, b, ...) keeps a
burst of load from another process on one side of a ratio only.
"""
import os
import resource
import statistics
import subprocess
import sys
import time

CLOCKS = {"cpu": time.process_time, "wall": time.perf_counter}
settings = {"clock": "cpu"}  # run.py sets it from --clock


def medians(candidates, repeat, warmup=1, clock=None):
    """{name: median seconds of one call} for ``candidates`` {name: function}, interleaved.

    Seconds of ``clock`` ("cpu" or "wall"; default ``settings["clock"]``).
    CPU time of this process is disturbed far less than wall time by other
    processes on a shared machine (with one BLAS thread it is the time of the
    one thread doing the work); whole processes are timed on the wall clock.
    """
    now = CLOCKS[clock or settings["clock"]]
    for _ in range(warmup):
        for function in candidates.values():
            function()
    samples = {name: [] for name in candidates}
    for _ in range(repeat):
        for name, function in candidates.items():
            start = now()
            function()
            samples[name].append(now() - start)
    return {name: statistics.median(values) for name, values in samples.items()}


def process_medians(commands, repeat, cwd=None, environments=None):
    """{name: (median wall seconds, median CPU seconds)} of ``python *arguments`` for ``commands``.

    ``commands``: {name: arguments}.  A process runs with ``user_environment()``
    (the environment rnncheck's users have, not this suite's single-threaded
    BLAS) updated by ``environments.get(name)``.
    CPU seconds are user + system time of the process and of every process
    it waited for (its workers), from ``getrusage(RUSAGE_CHILDREN)``.
    Interleaved like ``medians``, after one warm-up run of each.
    """
    environments = environments or {}
    samples = {name: [] for name in commands}
    for round_ in range(repeat + 1):
        for name, arguments in commands.items():
            before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
            subprocess.run([sys.executable, *arguments], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           cwd=cwd, check=False, env=dict(user_environment(), **environments.get(name, {})))
            wall, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
            if round_:
                samples[name].append((wall, cpu))
    return {name: tuple(statistics.median(s[i] for s in values) for i in (0, 1)) for name, values in samples.items()}


def user_environment():
    """The environment this suite was started with, before ``run.py`` set BLAS to one thread for itself."""
    return settings.get("user_environment") or dict(os.environ)
