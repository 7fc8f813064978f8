"""Timing helpers: every figure a median, every comparison interleaved in one run.

Interleaving (a, b, a, b, ...) rather than (a, a, ..., b, b, ...) keeps a
burst of load from another process on one side of a ratio only.
"""
import statistics
import subprocess
import sys
import time


CLOCKS = {"cpu": time.process_time, "wall": time.perf_counter}
clock = CLOCKS["cpu"]  # run.py sets it from --clock


def medians(candidates, repeat, warmup=1):
    """{name: median seconds of one call} for ``candidates`` {name: function}, interleaved.

    Seconds of ``clock``: CPU time of this process by default, which other
    processes on a shared machine disturb far less than wall time (with one
    BLAS thread it is the time of the one thread doing the work).
    """
    for _ in range(warmup):
        for function in candidates.values():
            function()
    samples = {name: [] for name in candidates}
    for _ in range(repeat):
        for name, function in candidates.items():
            start = clock()
            function()
            samples[name].append(clock() - start)
    return {name: statistics.median(values) for name, values in samples.items()}


def command(*arguments, environment=None):
    """A function that runs ``python *arguments`` to its end (output discarded)."""
    def run():
        subprocess.run([sys.executable, *arguments], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env=environment, check=False)
    return run
