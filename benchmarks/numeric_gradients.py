"""Numerical gradients, measured: the two statistics of ``rnncheck.judge.numeric`` over seeds.

Every correct solution in ``tests/submissions/correct`` (plus the float32
backward of ``tests/submissions/wrong``) and every numerical backward in
``tests/submissions/numeric`` is checked through ``check_source`` (worker and
all) on each seed.  For every backward it prints, per group:

- accuracy: the worst relative error of its float64 gradients over the cases
  (of a backward that passed), against ``ACCURACY``;
- calls: the fewest forward calls per input value on any case, against ``CALLS_PER_VALUE``;

and how often the backward was named.  Correct solutions must never be named,
numerical backwards always.

    python benchmarks/numeric_gradients.py [--seeds 30] [--jobs 2]
"""
import argparse
import glob
import os
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [ROOT, os.path.join(ROOT, "tests")]

from conftest import SUBMISSIONS, header, patched  # noqa: E402

from rnncheck.judge import numeric, verify  # noqa: E402
from rnncheck.load.loader import load  # noqa: E402

CORRECT = sorted(glob.glob(os.path.join(SUBMISSIONS, "correct", "*.*")))
NUMERIC = sorted(glob.glob(os.path.join(SUBMISSIONS, "numeric", "*.py")))
FLOAT32 = os.path.join(SUBMISSIONS, "wrong", "lstm_backward_float32.py")


def statistics(evidence, status):
    """(accuracy, calls per value) of one backward: None where there is nothing to measure."""
    answered = [e for e in evidence if e is not None]
    errors = [e["error"] for e in answered if e["error"] is not None]
    ratios = [sum(e["calls"].values()) / e["values"] for e in answered if e["values"]]
    return (max(errors) if errors and status == "pass" else None), (min(ratios) if ratios else None)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=30)
    parser.add_argument("--jobs", type=int, default=2)
    options = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="numeric-")
    files = [(path, "correct", set()) for path in CORRECT + [patched(FLOAT32, folder)]]
    files += [(patched(path, folder), os.path.basename(path), set(header(path, "numeric")[0].split()))
              for path in NUMERIC]
    rows, judge, local = [], numeric.judge, threading.local()

    def recording(result, evidence, strict=False):
        local.seen.append((result["name"], result["status"], list(evidence)))
        return judge(result, evidence, strict)

    numeric.judge = recording  # verify calls it through the module: every backward's evidence is seen here

    def check(item):
        (path, group, expected), seed = item
        seen = local.seen = []
        verdict = verify.check_source(load(path), seed)
        flagged = {f["name"] for f in verdict["functions"] if "numeric_gradient" in f}
        return [(group, os.path.basename(path), seed, name, name in expected, name in flagged,
                 *statistics(evidence, status)) for name, status, evidence in seen]

    with ThreadPoolExecutor(options.jobs) as pool:
        for found in pool.map(check, [(f, s) for s in range(options.seeds) for f in files]):
            rows += found
    print(f"{options.seeds} seeds; thresholds: accuracy > {numeric.ACCURACY:g}, "
          f"calls >= {numeric.CALLS_PER_VALUE:g} per input value on every case\n")
    print(f"{'group':<34} {'backwards':>9} {'named':>6}  {'accuracy (worst..)':>20}  {'calls/value':>14}")
    for group in ["correct"] + [os.path.basename(p) for p in NUMERIC]:
        for numerical in (False, True):
            chosen = [r for r in rows if r[0] == group and r[4] == numerical]
            if not chosen:
                continue
            errors = [r[6] for r in chosen if r[6] is not None]
            ratios = [r[7] for r in chosen if r[7] is not None]
            label = group if group == "correct" else f"{group}{' (numeric)' if numerical else ' (others)'}"
            span = lambda v: f"{min(v):.2g}..{max(v):.2g}" if v else "-"  # noqa: E731
            named = sum(r[5] for r in chosen)
            print(f"{label:<34} {len(chosen):>9} {named:>6}  {span(errors):>20}  {span(ratios):>14}")


if __name__ == "__main__":
    main()
