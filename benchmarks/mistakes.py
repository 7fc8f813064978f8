"""Known mistakes, measured: how many are named end to end, false matches, and what naming them costs.

1. Every catalogued mistake is made in a whole submission (``recognise.as_submission``) and
   checked through ``check_source`` (worker and all) on its functions and their forwards:
   is it named in every function it changes?  The time spent recognising mistakes and
   differentiating the candidate's forward is measured against the whole check.
2. Every correct solution in ``tests/submissions/correct`` (run in-process: it is our corpus),
   on every seed, every function, is handed to the recogniser *as if it had failed*: a mistake
   named there would be a false match. The recogniser tries the catalogue, then the structural
   substitutions (``judge.substitutions``), so both kinds are measured.
3. The one-bug solutions of ``tests/submissions/wrong`` whose header names a mistake (written
   apart from the catalogue, as patches of the base solution): is the mistake named in every
   function the header says (``named-in``, else every ``expect-fail`` function)?

    python benchmarks/mistakes.py [--seeds 30] [--skip-end-to-end] [--skip-corpus]
"""
import argparse
import glob
import os
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [ROOT, os.path.join(ROOT, "tests"), os.path.join(ROOT, "tests", "submissions")]

from check_corpus import load  # noqa: E402
from conftest import expectations, header  # noqa: E402
from test_mistakes import produced_by, trials  # noqa: E402

from rnncheck.judge import mistakes, recognise, substitutions, verify  # noqa: E402
from rnncheck.courses.cs231n import FUNCTIONS, layer_of  # noqa: E402
from rnncheck.load.loader import load as load_submission  # noqa: E402
from rnncheck.sandbox.limits import BLOCKED  # noqa: E402


def timed(module, name, spent):
    """Wrap ``module.name`` so that the seconds it takes add up in ``spent[name]``."""
    inner = getattr(module, name)

    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0.0) + time.perf_counter() - started
    setattr(module, name, wrapper)


def end_to_end(seed):
    spent, named, failing_functions, total = {}, 0, 0, 0.0
    timed(verify, "_name_the_mistake", spent)
    timed(verify, "_check_consistency", spent)
    blocked = tuple(b for b in BLOCKED if b not in ("manual", "rnncheck"))  # the submission imports rnncheck.manual
    missed = []
    with tempfile.TemporaryDirectory() as folder:
        for mistake in mistakes.MISTAKES:
            path = os.path.join(folder, f"{mistake.id}.py")
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(recognise.as_submission(mistake))
            patterns = sorted(set(mistake.functions) | {layer_of(f).forward for f in mistake.functions})
            started = time.perf_counter()
            verdict = verify.check_source(load_submission(path), seed, patterns, blocked=blocked)
            total += time.perf_counter() - started
            found = {f["name"]: f.get("mistake", {}).get("id") for f in verdict["functions"] if f["status"] != "pass"}
            failing_functions += len(found)
            if all(found.get(f) == mistake.id for f in mistake.functions):
                named += 1
            else:
                missed.append((mistake.id, found))
    print(f"end to end (seed {seed}): {named} of {len(mistakes.MISTAKES)} mistakes named in every function "
          f"they change")
    for item in missed:
        print(f"  not named: {item}")
    per_function = {k: 1000 * v / failing_functions for k, v in spent.items()}
    print(f"  {failing_functions} failing functions; whole checks {total:.1f} s; per failing function: "
          f"recognising {per_function['_name_the_mistake']:.1f} ms, "
          f"own-forward differences {per_function['_check_consistency']:.1f} ms, "
          f"share of the whole check {100 * sum(spent.values()) / total:.0f}%")


def false_matches(seeds):
    paths = sorted(glob.glob(os.path.join(ROOT, "tests", "submissions", "correct", "*.*")))
    false, looked = [], 0
    started = time.perf_counter()
    for path in paths:
        namespace = load(path)
        produce = produced_by(namespace)
        for function in FUNCTIONS:
            if not callable(namespace.get(function)) or not callable(namespace.get(layer_of(function).forward)):
                continue
            for seed in range(seeds):
                layer, backward, found = trials(function, produce, seed)
                for trial in found:
                    trial.failed = True
                looked += 1
                named = recognise.recognise(function, layer, backward, found)
                if named:
                    false.append((os.path.basename(path), function, seed, named.id))
    print(f"false matches: {len(false)} in {looked} (correct file, function, seed) checks over {len(paths)} files "
          f"and {seeds} seeds, every case treated as failed ({time.perf_counter() - started:.0f} s)")
    for item in false:
        print(f"  {item}")


def corpus(seed):
    """One-bug solutions with a ``# mistake:`` header: named in the functions their header lists?"""
    base = os.path.join(ROOT, "tests", "submissions", "correct", "cs231n_loops.py")
    paths = sorted(glob.glob(os.path.join(ROOT, "tests", "submissions", "wrong", "*.py")))
    named, tried, missed = 0, 0, []
    with tempfile.TemporaryDirectory() as folder:
        for path in paths:
            ids = header(path, "mistake")
            if not ids:
                continue
            tried += 1
            failing = {n for n, s in expectations(path).items() if s == "fail"}
            wanted = set(" ".join(header(path, "named-in")).split()) or failing
            target = os.path.join(folder, os.path.basename(path))
            with open(base, encoding="utf-8") as first, open(path, encoding="utf-8") as second, \
                    open(target, "w", encoding="utf-8") as handle:
                handle.write(first.read() + "\n\n" + second.read())
            verdict = verify.check_source(load_submission(target), seed)
            found = {f["name"]: f.get("mistake", {}).get("id") for f in verdict["functions"]}
            if all(found.get(f) in ids for f in wanted):
                named += 1
            else:
                missed.append((os.path.basename(path), {f: found.get(f) for f in wanted}))
    print(f"one-bug solutions (seed {seed}): {named} of {tried} named in every function their header lists")
    for item in missed:
        print(f"  not named: {item}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1, help="seed of the end-to-end run")
    parser.add_argument("--skip-end-to-end", action="store_true")
    parser.add_argument("--skip-corpus", action="store_true")
    options = parser.parse_args()
    gates = sum("_gate_order_" in m.id for m in mistakes.MISTAKES)
    print(f"{len(mistakes.MISTAKES)} known mistakes ({len(mistakes.MISTAKES) - gates} written out, "
          f"{gates} gate orders) over {len(mistakes.BY_FUNCTION)} functions")
    made = {s.id for d in mistakes.DERIVATIONS for f in d.functions for s in substitutions.substitutions_of(f)}
    print(f"{len(made)} structural substitutions over {len(mistakes.DERIVATIONS)} recurrent steps "
          f"(each named in the step backward and the sequence backward)")
    if not options.skip_end_to_end:
        end_to_end(options.seed)
    if not options.skip_corpus:
        corpus(options.seed)
    false_matches(options.seeds)


if __name__ == "__main__":
    main()
