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
import sys
import tempfile

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
        runs = dict({"bare": ("-c", "import numpy, autograd")}, **{label: arguments for label, _ in WORKERS})
        times = process_medians(runs, repeat, cwd=ROOT, environments=dict(WORKERS))
    bare = times["bare"][0]
    rows = [[label, times[label][0], times[label][0] / count * 1000, times[label][0] / count / bare]
            for label, _ in WORKERS]
    return render(f"Batch: {count} submissions with --jobs {jobs}, whole process, wall time",
                  ["workers", "batch s", "per submission ms", "per submission / bare import"], rows,
                  notes=[f"bare 'python -c \"import numpy, autograd\"': {bare * 1000:.0f} ms (interleaved)",
                         f"target: per submission <= {TARGET} x bare import"])


def main():
    """The table alone, for ``--jobs 1`` and ``--jobs N``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    sys.path.insert(0, ROOT)
    for jobs in sorted({1, options.jobs}):
        print(section(budget=options.repeat / 3, jobs=jobs))


if __name__ == "__main__":
    main()
