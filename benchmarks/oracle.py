"""Oracle section: the autograd reference over manual/, forward+backward, at three sizes.

Target (issue 10): at most 1.5x at (N, T, D, H) = (64, 50, 128, 256).
"""
import numpy as np

import manual
import reference
from rnncheck.oracle.cases import Case, make_inputs, make_upstream
from rnncheck.courses.cs231n import CATALOGUE

from .table import render
from .timing import medians

SHAPES = ((4, 5, 3, 6), (32, 20, 64, 128), (64, 50, 128, 256))
LAYERS = ("rnn", "lstm", "gru")
TARGET = 1.5


def layer_named(name):
    return next(layer for layer in CATALOGUE if layer.name == name)


def problem(name, shape, seed=0):
    """(layer, forward inputs, upstream gradients) of one benchmark case."""
    layer = layer_named(name)
    N, T, D, H = shape
    rng = np.random.default_rng(seed)
    inputs = make_inputs(layer, Case(f"N={N} T={T} D={D} H={H}", dict(N=N, T=T, D=D, H=H, V=10, M=10)), rng)
    outputs = getattr(manual, layer.forward)(*inputs)[:-1]
    return layer, inputs, make_upstream(outputs, rng)


def round_trip(module, layer, inputs, upstream):
    """A function running ``module``'s forward and then its backward on the forward's cache."""
    forward, backward = getattr(module, layer.forward), getattr(module, layer.backward)

    def run():
        *_, cache = forward(*inputs)
        return backward(*upstream, cache)
    return run


def repeats_for(shape, budget):
    """More repeats for small shapes; ``budget`` scales them all (--quick halves it)."""
    return max(3, int(budget * {4: 200, 32: 10, 64: 5}[shape[0]]))


def section(budget=1.0, threads=1):
    rows = []
    for shape in SHAPES:
        for name in LAYERS:
            layer, inputs, upstream = problem(name, shape)
            times = medians({"manual": round_trip(manual, layer, inputs, upstream),
                             "reference": round_trip(reference, layer, inputs, upstream)},
                            repeat=repeats_for(shape, budget))
            rows.append([name, "x".join(map(str, shape)), times["manual"] * 1e3, times["reference"] * 1e3,
                         times["reference"] / times["manual"]])
    return render("Oracle: reference (autograd VJP) over manual, forward+backward",
                  ["layer", "N x T x D x H", "manual ms", "reference ms", "reference/manual"], rows,
                  notes=[f"target: reference/manual <= {TARGET} at 64x50x128x256"])
