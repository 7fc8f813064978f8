"""``rnncheck compare``: hand-derived gradients and autograd's, side by side, at realistic sizes.

For every catalogue layer with gradients (or the ones chosen), one case is
drawn at a realistic size, with weights initialised as CS231n's
CaptioningRNN does (standard normal / sqrt(fan-in); the homework cases'
larger weights make a long GRU chaotic, and rounding alone then grows to
1e-6 by T = 50); the candidate (``manual/`` by default, or the
module given with ``--module``) and the autograd reference run forward and
backward on the same inputs and upstream gradients, and each output and
gradient is printed with its relative error (``max|candidate - autograd| /
max|autograd|``) beside the median time of both.  Exit status: 0 when every
value agrees within the tolerance, 1 when one does not (or a function is
missing or raises), 2 for a usage error.

This is a maintainer's tool: the candidate runs in this process, with no
worker and no limits. Use it on trusted code only; student submissions go
through ``rnncheck PATH``.
"""
import argparse
import contextlib
import importlib
import importlib.util
import os
import statistics
import sys
import time

import numpy as np

from ..oracle.cases import Case, make_inputs, make_upstream
from .. import reference as oracle
from ..courses.cs231n import CATALOGUE
from ..judge.compare import TOLERANCE, relative_error

REALISTIC = dict(N=64, T=50, D=128, H=256, V=1000, M=1000)
WEIGHTS = ("Wx", "Wh", "w")  # initialised as standard normal / sqrt(fan-in), as CaptioningRNN does
WITH_GRADIENTS = tuple(layer for layer in CATALOGUE if layer.backward or layer.name == "temporal_softmax_loss")


class UsageError(Exception):
    """A bad option or an unloadable module (exit status 2)."""


def parser():
    p = argparse.ArgumentParser(
        prog="rnncheck compare", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Compare hand-derived gradients with autograd's (the reference) at realistic sizes:\n"
                    "each output and gradient's relative error, and the forward+backward time of both.\n"
                    "Exit status 0 when every value agrees, 1 when one does not, 2 for a usage error.\n\n"
                    "A maintainer's tool: the compared code runs in this process, with no isolation and\n"
                    "no limits. Trusted code only; check student submissions with 'rnncheck PATH'.",
        epilog="examples:\n"
               "  rnncheck compare                                   every layer, manual/, realistic size\n"
               "  rnncheck compare --layer lstm --shape N=32,T=100   one layer, another size\n"
               "  rnncheck compare --module my_layers.py --layer gru someone else's hand-derived GRU")
    layers = ", ".join(layer.name for layer in WITH_GRADIENTS)
    realistic = ",".join(f"{k}={v}" for k, v in REALISTIC.items())
    p.add_argument("--layer", action="append", metavar="NAME",
                   help=f"layers to compare, comma-separated (default: all of {layers})")
    p.add_argument("--shape", default="", metavar="DIMS",
                   help=f"dimensions, e.g. N=32,T=100,H=512 (default {realistic}; N batch, T time, D input, "
                        "H hidden, V vocabulary, M affine outputs)")
    p.add_argument("--module", metavar="PATH",
                   help="a .py file defining catalogue functions, compared instead of the bundled manual/ "
                        "(runs in this process: trusted code only)")
    p.add_argument("--repeat", type=int, default=3, metavar="R", help="timed runs of each side; medians (default 3)")
    p.add_argument("--blas-threads", type=int, metavar="N",
                   help="limit BLAS to N threads while timing (needs threadpoolctl; on a busy machine 1 "
                        "gives steadier times)")
    p.add_argument("--seed", type=int, default=0, help="seed of the inputs and upstream gradients (default 0)")
    p.add_argument("--tolerance", type=float, default=TOLERANCE["float64"],
                   help=f"largest relative error that counts as agreement (default {TOLERANCE['float64']:g})")
    return p


def dimensions(text):
    """REALISTIC with the ``K=V`` pairs of ``text`` applied."""
    dims = dict(REALISTIC)
    for pair in filter(None, (p.strip() for p in text.split(","))):
        key, _, value = pair.partition("=")
        if key.strip() not in dims or not value.strip().isdigit() or int(value) < 1:
            raise UsageError(f"--shape {pair!r}: expected K=positive integer with K one of {', '.join(dims)}")
        dims[key.strip()] = int(value)
    return dims


def chosen_layers(groups):
    names = [n.strip() for group in groups or [] for n in group.split(",") if n.strip()]
    known = {layer.name: layer for layer in WITH_GRADIENTS}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise UsageError(f"--layer {', '.join(unknown)}: not a layer with gradients (known: {', '.join(known)})")
    return [known[n] for n in names] if names else list(WITH_GRADIENTS)


def candidate(path):
    """(label, module): the bundled manual/ or the module at ``path``."""
    if path is None:
        return "manual", importlib.import_module("rnncheck.manual")  # a candidate, never the verifier's own code
    if not os.path.isfile(path):
        raise UsageError(f"--module {path}: no such file")
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))  # its own imports of sibling files
    spec = importlib.util.spec_from_file_location("rnncheck_compared_module", path)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as error:  # noqa: BLE001 - any failure of the module is a usage error here
        raise UsageError(f"--module {path}: loading it raised {type(error).__name__}: {error}") from None
    return path, module


def realistic_inputs(layer, dims, rng):
    """The layer's forward inputs at ``dims``, weights scaled to standard normal / sqrt(fan-in)."""
    inputs = make_inputs(layer, Case("compare", dims), rng)
    return [value / spec.scale / np.sqrt(value.shape[0]) if spec.name in WEIGHTS else value
            for spec, value in zip(layer.inputs, inputs)]


def blas_limit(threads):
    """A context manager limiting BLAS threads (threadpoolctl), or doing nothing when threads is None."""
    if threads is None:
        return contextlib.nullcontext()
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        raise UsageError("--blas-threads needs threadpoolctl (pip install threadpoolctl); "
                         "or set OPENBLAS_NUM_THREADS before running") from None
    return threadpool_limits(limits=threads, user_api="blas")


def round_trip(functions, layer, inputs, upstream):
    """Values of one forward+backward: (output names, grad names) -> arrays, in catalogue order."""
    forward = functions[layer.forward]
    if layer.backward is None:  # the softmax loss returns its own gradient
        loss, dx = forward(*inputs)
        return [loss, dx]
    *outputs, cache = forward(*inputs)
    grads = functions[layer.backward](*upstream, cache)
    return outputs + list(grads if isinstance(grads, tuple) else (grads,))


def value_names(layer):
    return ("loss", "dx") if layer.backward is None else layer.outputs + layer.grads


def compare_layer(module, layer, dims, seed, repeat):
    """Rows [value name, relative error or a problem] and the median seconds of both sides (None if ours fails)."""
    rng = np.random.default_rng(seed)
    inputs = realistic_inputs(layer, dims, rng)
    theirs = {f: getattr(oracle, f) for f in layer.functions}
    upstream = make_upstream(theirs[layer.forward](*inputs)[:-1], rng) if layer.backward else []
    expected = round_trip(theirs, layer, inputs, upstream)
    missing = [f for f in layer.functions if not callable(getattr(module, f, None))]
    if missing:
        return [[value_names(layer)[0], f"{' and '.join(missing)} not defined"]], None, None
    ours = {f: getattr(module, f) for f in layer.functions}
    samples = {"ours": [], "autograd": []}
    for run in range(repeat):  # interleaved: a burst of other load hits both sides
        for label, functions in (("ours", ours), ("autograd", theirs)):
            fresh = [np.copy(i) for i in inputs]  # a candidate may modify its inputs
            start = time.perf_counter()
            try:
                values = round_trip(functions, layer, fresh, upstream)
            except Exception as error:  # noqa: BLE001 - reported: this compares code under development
                return [[value_names(layer)[0], f"raised {type(error).__name__}: {error}"]], None, None
            samples[label].append(time.perf_counter() - start)
            if run == 0 and label == "ours":
                got = values
    rows = []
    for name, value, reference in zip(value_names(layer), got, expected):
        value, reference = np.asarray(value), np.asarray(reference)
        if value.shape != reference.shape:
            rows.append([name, f"shape {value.shape}, expected {reference.shape}"])
        else:
            rows.append([name, relative_error(value, reference)])
    return rows, statistics.median(samples["ours"]), statistics.median(samples["autograd"])


def print_rows(layer, rows, ours, autograd, tolerance):
    """The layer's rows; returns whether every value agrees."""
    agreed = True
    for number, (name, error) in enumerate(rows):
        note = ""
        if isinstance(error, float):
            shown = f"{error:.1e}"
            if not error <= tolerance:
                agreed, note = False, "  <- differs"
        else:
            agreed, shown, note = False, "-", f"  {error}"
        timing = f"{'':>9} {'':>11} {'':>13}"
        if number == 0 and ours is not None:
            timing = f"{ours * 1e3:>9.3f} {autograd * 1e3:>11.3f} {autograd / ours:>13.2f}"
        print(f"{layer.name if number == 0 else '':<22} {name:<8} {shown:>10}  {timing}{note}".rstrip())
    return agreed


def main(argv):
    try:
        options = parser().parse_args(argv)
        dims = dimensions(options.shape)
        layers = chosen_layers(options.layer)
        label, module = candidate(options.module)
        if options.repeat < 1:
            raise UsageError("--repeat must be at least 1")
        limit = blas_limit(options.blas_threads)
    except UsageError as error:
        print(f"rnncheck compare: error: {error}", file=sys.stderr)
        return 2
    shape = " ".join(f"{k}={v}" for k, v in dims.items())
    print(f"rnncheck compare: {label} against autograd (reference/) at {shape}, seed {options.seed}, "
          f"median of {options.repeat}")
    header = f"{'layer':<22} {'value':<8} {'rel. error':>10}  {'ours ms':>9} {'autograd ms':>11} {'autograd/ours':>13}"
    print(header)
    print("-" * len(header))
    agreed, compared = True, 0
    with limit:
        for layer in layers:
            rows, ours, autograd = compare_layer(module, layer, dims, options.seed, options.repeat)
            agreed &= print_rows(layer, rows, ours, autograd, options.tolerance)
            compared += len(rows)
    print(f"{'all' if agreed else 'NOT all'} {compared} values agree within {options.tolerance:g}")
    return 0 if agreed else 1
