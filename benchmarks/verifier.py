"""Verifier section: one full check as a ratio to a bare ``import numpy, autograd``.

Each figure is a median over whole processes, as a user runs them, in wall
time and in CPU time (the process and its children: fork server, workers,
oracle process; other load on a shared machine inflates the first far more
than the second):
- bare import: ``python -c "import numpy, autograd"`` as the user's
  environment runs it (BLAS with its own thread count), the divisor; and the
  same with one BLAS thread, which starts faster (no thread pool): rnncheck
  itself runs BLAS on one thread (``launch``), so that divisor is also shown;
- one check: ``python -m rnncheck FILE --seed 1 --format json`` (18 functions),
  and the same without the fork server (``RNNCHECK_NO_FORK_SERVER=1``): every
  worker a fresh interpreter, and the reference computed in rnncheck itself
  instead of the oracle process;
- one check of a deeplearning.ai notebook (``--course`` left to recognition,
  8 functions, the real 2021 notebook in ``tests/submissions/dlai``), beside
  the CS231n check in the same interleaved runs (issue 16's target: no more
  than a CS231n check);
- the CS231n way: the same cases checked with central differences
  (``benchmarks/cs231n_way.py``), as the assignment's notebook does;
- two parts of one check, to show what bounds it: the parent's imports
  (``import rnncheck.front.cli``) and a bare ``import numpy``, the least a worker
  process costs before it runs anything;
and the peak resident memory of the parent and of its largest child process.

Target (issue 10): one check at most 2x the bare import.
"""
import json
import os
import subprocess
import sys

from .table import render
from .timing import process_medians

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SUBMISSION = os.path.join("tests", "submissions", "correct", "cs231n_loops.py")
DLAI = os.path.join("tests", "submissions", "dlai", "2021_amanchadha.ipynb")
TARGET = 2.0
DLAI_TARGET = 1.0  # a deeplearning.ai check / a CS231n check
ONE_BLAS_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def peak_memory(path):
    """{"parent_mb", "child_mb"} of one check of ``path``."""
    result = subprocess.run([sys.executable, os.path.join("benchmarks", "peak_memory.py"), path, "--seed", "1"],
                            cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def section(budget=1.0, threads=1, path=SUBMISSION):
    runs = {"bare import": ("-c", "import numpy, autograd"),
            "bare import, 1 BLAS thread": ("-c", "import numpy, autograd"),
            "one check": ("-m", "rnncheck", path, "--seed", "1", "--format", "json"),
            "one check, no fork server": ("-m", "rnncheck", path, "--seed", "1", "--format", "json"),
            "one check, deeplearning.ai notebook": ("-m", "rnncheck", DLAI, "--seed", "1", "--format", "json"),
            "CS231n way": (os.path.join("benchmarks", "cs231n_way.py"), path, "--seed", "1"),
            "part: parent imports": ("-c", "import rnncheck.front.cli"),
            "part: import numpy": ("-I", "-c", "import numpy")}
    environments = {"bare import, 1 BLAS thread": ONE_BLAS_THREAD,
                    "one check, no fork server": {"RNNCHECK_NO_FORK_SERVER": "1"}}
    times = process_medians(runs, repeat=max(5, int(9 * budget)), cwd=ROOT, environments=environments)
    bare_wall, bare_cpu = times["bare import"]
    rows = [[name, wall, wall / bare_wall, cpu, cpu / bare_cpu] for name, (wall, cpu) in times.items()]
    one_thread = times["one check"][0] / times["bare import, 1 BLAS thread"][0]
    dlai = [times["one check, deeplearning.ai notebook"][k] / times["one check"][k] for k in (0, 1)]
    memory = peak_memory(path)
    return render(f"Verifier: {path}, whole processes",
                  ["run", "wall s", "wall / bare import", "CPU s", "CPU / bare import"], rows,
                  notes=[f"one check / bare import with 1 BLAS thread: {one_thread:.2f} (wall)",
                         f"peak memory: parent {memory['parent_mb']:.0f} MiB, largest child (a worker or the oracle "
                         f"process) {memory['child_mb']:.0f} MiB",
                         f"deeplearning.ai notebook check / CS231n check: {dlai[0]:.2f} (wall), {dlai[1]:.2f} (CPU); "
                         f"target <= {DLAI_TARGET}",
                         f"target: one check <= {TARGET} x bare import"])
