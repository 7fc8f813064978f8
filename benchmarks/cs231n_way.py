"""Check a submission the CS231n way: central differences, as the assignment's notebook does.

    python benchmarks/cs231n_way.py FILE [--seed 1]

For every catalogue layer with a backward and every case the verifier would
generate for it (same seed, same inputs, same upstream gradients), each
gradient is compared with ``eval_numerical_gradient_array`` (the notebook's
helper, copied below) summed over the forward's outputs; the softmax loss
with ``eval_numerical_gradient``. Runs the file in this process: trusted
code only. Prints the worst relative error (CS231n's definition).
"""
import argparse
import importlib.util
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from rnncheck.oracle.cases import case_rng, cases_for, make_inputs, make_upstream  # noqa: E402
from rnncheck.courses.cs231n import CATALOGUE  # noqa: E402


def eval_numerical_gradient_array(f, x, df, h=1e-5):
    """CS231n's gradient_check.eval_numerical_gradient_array: d sum(f(x) * df) / dx."""
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    while not it.finished:
        ix = it.multi_index
        oldval = x[ix]
        x[ix] = oldval + h
        pos = f(x).copy()
        x[ix] = oldval - h
        neg = f(x).copy()
        x[ix] = oldval
        grad[ix] = np.sum((pos - neg) * df) / (2 * h)
        it.iternext()
    return grad


def rel_error(x, y):
    """CS231n's relative error: max |x - y| / max(1e-8, |x| + |y|)."""
    return float(np.max(np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y))))


def load(path):
    spec = importlib.util.spec_from_file_location("submission", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def numerical_gradients(forward, inputs, position, upstream):
    """Sum over the forward's outputs of eval_numerical_gradient_array for inputs[position]."""
    def output(k):
        def f(value):
            return forward(*inputs[:position], value, *inputs[position + 1:])[k]
        return f
    return sum(eval_numerical_gradient_array(output(k), inputs[position], df) for k, df in enumerate(upstream))


def check_layer(module, layer, seed):
    """Worst relative error of ``layer``'s gradients over all its cases."""
    worst = 0.0
    for index, case in enumerate(cases_for(layer)):
        rng = case_rng(seed, layer, index)
        inputs = make_inputs(layer, case, rng)
        forward = getattr(module, layer.forward)
        if layer.backward is None:  # the softmax loss returns its own gradient
            loss, dx = forward(*inputs)
            numeric = eval_numerical_gradient_array(lambda x: np.array(forward(x, *inputs[1:])[0]), inputs[0],
                                                    np.array(1.0))
            worst = max(worst, rel_error(dx, numeric))
            continue
        *outputs, cache = forward(*inputs)
        upstream = make_upstream(outputs, rng)
        analytic = getattr(module, layer.backward)(*upstream, cache)
        analytic = analytic if isinstance(analytic, tuple) else (analytic,)
        names = [spec.name for spec in layer.inputs]
        for name, gradient in zip(layer.differentiable, analytic):
            numeric = numerical_gradients(forward, inputs, names.index(name), upstream)
            worst = max(worst, rel_error(gradient, numeric))
    return worst


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args(argv)
    module = load(options.path)
    layers = [layer for layer in CATALOGUE if layer.required and (layer.backward or layer.name.endswith("loss"))]
    for layer in layers:
        print(f"{layer.name:<24} worst rel_error {check_layer(module, layer, options.seed):.1e}")


if __name__ == "__main__":
    main()
