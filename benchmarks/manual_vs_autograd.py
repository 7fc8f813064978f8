"""Manual against autograd gradients, side by side in one run: error and speed.

For every catalogue layer with a backward, on one moderately sized case,
time forward+backward of ``manual`` and of ``reference`` (autograd VJP)
and report the ratio and the largest relative difference of any gradient.

    python benchmarks/manual_vs_autograd.py [--repeat 20] [--N 32 --T 20 --D 64 --H 64]
"""
import argparse
import os
import sys
import timeit

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import manual  # noqa: E402
import reference  # noqa: E402
from rnncheck.cases import Case, make_inputs, make_upstream  # noqa: E402
from rnncheck.catalogue import CATALOGUE  # noqa: E402
from rnncheck.compare import relative_error  # noqa: E402


def round_trip(module, layer, inputs, upstream):
    *outputs, cache = getattr(module, layer.forward)(*inputs)
    return getattr(module, layer.backward)(*upstream, cache)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    for name, default in (("N", 32), ("T", 20), ("D", 64), ("H", 64), ("V", 500), ("M", 100)):
        parser.add_argument(f"--{name}", type=int, default=default)
    options = parser.parse_args()
    dims = {k: getattr(options, k) for k in "NTDHVM"}
    case = Case("benchmark", dims)
    print(f"dims {dims}, best of 3 x {options.repeat} forward+backward calls")
    print(f"{'layer':<16} {'manual ms':>10} {'autograd ms':>12} {'autograd/manual':>16} {'max rel diff':>13}")
    for layer in CATALOGUE:
        if not layer.backward:
            continue
        rng = np.random.default_rng(0)
        inputs = make_inputs(layer, case, rng)
        outputs = getattr(reference, layer.forward)(*inputs)[:-1]
        upstream = make_upstream(outputs, rng)
        times = {}
        for module in (manual, reference):
            timer = timeit.Timer(lambda: round_trip(module, layer, inputs, upstream))
            times[module] = min(timer.repeat(3, options.repeat)) / options.repeat * 1e3
        ours, theirs = (round_trip(m, layer, inputs, upstream) for m in (manual, reference))
        ours, theirs = (g if isinstance(g, tuple) else (g,) for g in (ours, theirs))
        difference = max(relative_error(np.asarray(a), np.asarray(b)) for a, b in zip(ours, theirs))
        print(f"{layer.name:<16} {times[manual]:>10.3f} {times[reference]:>12.3f} "
              f"{times[reference] / times[manual]:>16.1f} {difference:>13.1e}")


if __name__ == "__main__":
    main()
