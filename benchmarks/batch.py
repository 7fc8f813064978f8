"""Cost of grading a batch, per submission, as a ratio to starting Python with NumPy and autograd.

A batch of 20 submissions (the 8 correct solutions of the corpus and 12
one-bug patches) is checked by the CLI with ``--jobs N``; its wall time per
submission is divided by the wall time of a bare
``python -c "import numpy, autograd"`` measured in the same run, so the
ratio holds on any machine.  The issue's target is 0.25.

    python benchmarks/batch.py [--jobs 2] [--repeat 3]
"""
import argparse
import glob
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SUBMISSIONS = os.path.join(ROOT, "tests", "submissions")
BASE = os.path.join(SUBMISSIONS, "correct", "cs231n_loops.py")
TARGET = 0.25
WORKERS = (("forked", {}), ("interpreters", {"RNNCHECK_NO_FORK_SERVER": "1"}))  # warm, and as before


def make_batch(directory, size=20):
    """``size`` submission files in ``directory``: correct ones first, then patches over the base."""
    correct = sorted(glob.glob(os.path.join(SUBMISSIONS, "correct", "*.*")))
    wrong = sorted(glob.glob(os.path.join(SUBMISSIONS, "wrong", "*.py")))
    for path in correct[:size]:
        shutil.copy(path, directory)
    base = open(BASE, encoding="utf-8").read()
    for patch in wrong[:size - min(size, len(correct))]:
        with open(os.path.join(directory, os.path.basename(patch)), "w", encoding="utf-8") as handle:
            handle.write(base + "\n\n" + open(patch, encoding="utf-8").read())
    return len(os.listdir(directory))


def seconds(command, repeat, environment=None):
    """Median wall time of ``command`` over ``repeat`` runs (its output discarded)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env=dict(os.environ, **(environment or {})))
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def section(budget=1.0, threads=1, jobs=2):
    """The suite's table (benchmarks/run.py): a batch of 20 with ``--jobs 2``, forked and fresh workers.

    The bare import is timed interleaved with the batches (``timing.process_medians``), in the same environment.
    """
    from benchmarks.table import render
    from benchmarks.timing import process_medians
    repeat = max(2, int(3 * budget))
    with tempfile.TemporaryDirectory(prefix="rnncheck-batch-") as directory:
        count = make_batch(directory)
        arguments = ("-m", "rnncheck", directory, "--jobs", str(jobs), "--seed", "0", "--format", "json", "--quiet")
        runs = {"bare": ("-c", "import numpy, autograd")}
        runs.update({label: (arguments, environment) for label, environment in WORKERS})
        times = process_medians(runs, repeat, cwd=ROOT)
    bare = times["bare"][0]
    rows = [[label, times[label][0], times[label][0] / count * 1000, times[label][0] / count / bare]
            for label, _ in WORKERS]
    return render(f"Batch: {count} submissions with --jobs {jobs}, whole process, wall time",
                  ["workers", "batch s", "per submission ms", "per submission / bare import"], rows,
                  notes=[f"bare 'python -c \"import numpy, autograd\"': {bare * 1000:.0f} ms (interleaved)",
                         f"target: per submission <= {TARGET} x bare import"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    bare = seconds([sys.executable, "-c", "import numpy, autograd"], max(options.repeat, 5))
    with tempfile.TemporaryDirectory(prefix="rnncheck-batch-") as directory:
        count = make_batch(directory)
        print(f"{count} submissions, median of {options.repeat} runs; "
              f"bare 'python -c \"import numpy, autograd\"': {bare * 1000:.0f} ms")
        print(f"{'jobs':>4} {'workers':>12} {'batch s':>8} {'per submission ms':>18} {'ratio to bare':>14}")
        for jobs in sorted({1, options.jobs}):
            command = [sys.executable, "-m", "rnncheck", directory, "--jobs", str(jobs), "--seed", "0",
                       "--format", "json", "--quiet"]
            for label, environment in WORKERS:
                total = seconds(command, options.repeat, environment)
                print(f"{jobs:>4} {label:>12} {total:>8.2f} {total / count * 1000:>18.0f} "
                      f"{total / count / bare:>14.2f}")


if __name__ == "__main__":
    main()
