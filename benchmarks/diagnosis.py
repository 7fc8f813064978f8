"""What diagnosing a failing function costs the parent: naming its mistake, and its own-forward differences.

Every one-bug patch of ``tests/submissions/wrong`` (over the base solution)
is checked in this process, one after the other as a batch would check them;
the CPU time of this process (the parent: the worker's time is not in it)
spent in ``verify._name_the_mistake`` and ``verify._check_consistency`` is
divided by the number of failing functions.  With ``--against ROOT`` the
same is run from another checkout too, the two interleaved (a, b, a, b ...)
in fresh processes, and the verdicts of the two compared key by key.

    python benchmarks/diagnosis.py [--repeat 5] [--against /path/to/other/checkout]
"""
import argparse
import glob
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEED = 3  # tests/test_submissions.py checks the patches with this seed
DIAGNOSES = ("_name_the_mistake", "_check_consistency")


def timed(module, name, spent):
    """Wrap ``module.name`` so that its CPU and wall seconds add up in ``spent[name]``."""
    inner = getattr(module, name)

    def wrapper(*args, **kwargs):
        cpu, wall = time.process_time(), time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            spent[name][0] += time.process_time() - cpu
            spent[name][1] += time.perf_counter() - wall
            spent[name][2] += 1
    setattr(module, name, wrapper)


def one_run(root):
    """Check the wrong corpus from checkout ``root``; a JSON-able summary of costs and verdicts."""
    sys.path.insert(0, root)
    from rnncheck.judge import verify
    from rnncheck.load.loader import load
    spent = {name: [0.0, 0.0, 0] for name in DIAGNOSES}
    for name in DIAGNOSES:
        timed(verify, name, spent)
    submissions = os.path.join(root, "tests", "submissions")
    base = open(os.path.join(submissions, "correct", "cs231n_loops.py"), encoding="utf-8").read()
    verdicts, cpu = {}, time.process_time()
    with tempfile.TemporaryDirectory(prefix="rnncheck-diagnosis-") as folder:
        for patch in sorted(glob.glob(os.path.join(submissions, "wrong", "*.py"))):
            path = os.path.join(folder, os.path.basename(patch))
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(base + "\n\n" + open(patch, encoding="utf-8").read())
            verdict = verify.check_source(load(path), SEED)
            verdicts[os.path.basename(patch)] = {
                f["name"]: {k: f.get(k) for k in ("status", "message", "mistake", "consistency")}
                for f in verdict["functions"]}
    return {"whole_cpu": time.process_time() - cpu, "spent": spent,
            "fingerprint": hashlib.sha256(json.dumps(verdicts, sort_keys=True).encode()).hexdigest(),
            "verdicts": verdicts}


def run_in_child(root):
    done = subprocess.run([sys.executable, os.path.abspath(__file__), "--child", root],
                          capture_output=True, text=True, check=True, cwd=root)
    return json.loads(done.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--against", help="another checkout, measured interleaved with this one")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        print(json.dumps(one_run(options.child)))
        return
    roots = {"this": HERE}
    if options.against:
        roots = {"against": os.path.abspath(options.against), "this": HERE}
    runs = {label: [] for label in roots}
    for _ in range(options.repeat):
        for label, root in roots.items():
            runs[label].append(run_in_child(root))
    print(f"wrong corpus, seed {SEED}, parent CPU, medians of {options.repeat} interleaved runs")
    print(f"{'checkout':>8} {'failing':>8} {'recognise ms/fn':>16} {'consistency ms/fn':>18} "
          f"{'(wall)':>8} {'whole check s':>14}")
    for label, found in runs.items():
        per = {}
        for name in DIAGNOSES:
            calls = found[0]["spent"][name][2]
            per[name] = (statistics.median(r["spent"][name][0] for r in found) / max(calls, 1) * 1000,
                         statistics.median(r["spent"][name][1] for r in found) / max(calls, 1) * 1000, calls)
        print(f"{label:>8} {per['_name_the_mistake'][2]:>8} {per['_name_the_mistake'][0]:>16.2f} "
              f"{per['_check_consistency'][0]:>18.2f} {per['_check_consistency'][1]:>8.2f} "
              f"{statistics.median(r['whole_cpu'] for r in found):>14.2f}")
    prints = {label: {r["fingerprint"] for r in found} for label, found in runs.items()}
    print("verdicts:", "identical" if len(set.union(*prints.values())) == 1 else f"DIFFER {prints}")
    if len(set.union(*prints.values())) > 1 and options.against:
        first, second = (runs[label][0]["verdicts"] for label in roots)
        for patch in first:
            if first[patch] != second.get(patch):
                print(f"  {patch}: {first[patch]} != {second.get(patch)}")


if __name__ == "__main__":
    main()
