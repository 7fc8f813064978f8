"""Self-consistency: a candidate's backward against finite differences of its own forward.

Run only when a backward (or the loss's gradient) failed, on that failing
case.  The forward is run in the worker on perturbed inputs (ordinary
``call`` requests, all in one message; no candidate code ever runs in the
parent), and for each differentiable input ``x`` one random direction ``v``
compares

    <dL/dx, v>   with   (L(x + eps v) - L(x - eps v)) / (2 eps),
    L = sum over outputs of upstream * output,

so the verdict can tell "your backward is right for your forward, but the
forward is wrong" from "your forward is right; your backward does not match
it".  Cost: two forward calls per differentiable input.
"""
import contextlib
import zlib

import numpy as np

from .compare import matches
from ..sandbox.limits import Crash
from ..sandbox.session import forward_call

STEP = 1e-5
AGREE = 1e-5  # |difference quotient - <gradient, v>| relative to |gradient| |v|


def applies(layer, function):
    """Whether ``function`` returns gradients that its own forward can be differentiated against."""
    return function == layer.backward or (function == layer.forward and layer.self_gradients is not None)


def check(sandbox, layer, function, trial, seed):
    """Consistency of ``function``'s gradients with its forward on one case (a ``recognise.Trial``).

    The random directions are drawn from ``seed``, so a verdict reproduces with ``--seed``.

    Returns ``{"forward_right", "checked", "mismatched"}`` (gradient names), or
    None when nothing could be decided (the forward failed to run, or it
    computes in less than float64, where differences are too coarse).
    """
    rng = np.random.default_rng([seed, zlib.crc32(function.encode())])
    names = [spec.name for spec in layer.inputs]
    if function != layer.backward:
        value, pairs = layer.self_gradients
        weights = [np.ones(()) if name == value else None for name in layer.outputs]
        gradients = [(g, trial.got[layer.outputs.index(g)], x) for g, x in pairs.items()]
        position = layer.outputs.index(value)
        forward_right, base = _close(trial.got[position], trial.expected[position]), []
    else:
        weights, forward_right = layer.weights(trial.upstream), None
        gradients = [(g, trial.got[k], x) for k, (g, x) in enumerate(zip(layer.grads, layer.differentiable))]
        base = [trial.inputs]  # the forward on the case itself: is it right?
    shaped = [spec.name for spec in layer.inputs if spec.kind == "float"]
    checked, mismatched, directions = [], [], []
    for name, gradient, input_name in gradients:
        if input_name not in shaped or gradient is None:
            continue
        checked.append(name)
        index = names.index(input_name)
        if np.shape(gradient) != trial.inputs[index].shape:
            mismatched.append(name)
            continue
        directions.append((name, gradient, index, rng.standard_normal(trial.inputs[index].shape)))
    moved = [_moved(trial.inputs, index, sign * STEP * direction)
             for _, _, index, direction in directions for sign in (1, -1)]
    with contextlib.closing(_forwards(sandbox, layer, base + moved)) as outputs:
        if base:
            got = next(outputs)
            if got is None:
                return None
            forward_right = all(map(_close, got, trial.outputs))
        losses = []
        for got in outputs:
            if got is None or any(w is not None and np.shape(w) != out.shape and not out.size == np.size(w) == 1
                                  for w, out in zip(weights, got)):
                return None  # the forward cannot be differentiated here: nothing to say
            losses.append(sum(float(np.sum(w * out)) for w, out in zip(weights, got) if w is not None))
    for k, (name, gradient, _, direction) in enumerate(directions):
        quotient = (losses[2 * k] - losses[2 * k + 1]) / (2 * STEP)
        directional = float(np.vdot(gradient, direction))
        scale = max(float(np.linalg.norm(gradient) * np.linalg.norm(direction)), abs(quotient), 1e-300)
        if not abs(quotient - directional) <= AGREE * scale:
            mismatched.append(name)
    if not checked:
        return None
    mismatched.sort(key=checked.index)
    return {"forward_right": bool(forward_right), "checked": checked, "mismatched": mismatched}


def sentence(consistency, layer, function, forward_status=None):
    """What the consistency result tells the student, or "" when it adds nothing.

    ``forward_status`` is the verdict on the forward function when it was
    checked: a forward that failed elsewhere is not called right.
    """
    if consistency is None:
        return ""
    forward_right = consistency["forward_right"] and forward_status in (None, "pass")
    mismatched = consistency["mismatched"]
    if function != layer.backward:
        value, pairs = layer.self_gradients
        gradient = ", ".join(pairs)
        if forward_right and mismatched:
            return f"your {value} is right; your {gradient} does not match it"
        if not forward_right and not mismatched:
            return f"your {gradient} is right for your {value}, but the {value} is wrong"
        if not forward_right:
            return f"the {value} is wrong, and your {gradient} does not match it either"
        return ""
    names = f"{', '.join(mismatched)} {'differs' if len(mismatched) == 1 else 'differ'} from finite differences " \
            "of your forward"
    if forward_right and mismatched:
        return f"your forward is right; your backward does not match it ({names})"
    if not forward_right and not mismatched:
        return f"your backward is right for your forward, but the forward ({layer.forward}) is wrong: fix it first"
    if not forward_right:
        return f"the forward ({layer.forward}) is wrong, and your backward does not match it either ({names})"
    return ""


def _moved(inputs, index, step):
    """``inputs`` with ``step`` added to input ``index``."""
    moved = list(inputs)
    moved[index] = inputs[index] + step
    return moved


def _forwards(sandbox, layer, input_sets):
    """The candidate forward's outputs on each of ``input_sets`` in turn (None for a set that has none).

    Every set goes to the worker in one message (``Sandbox.stream``); a
    caller that stops at the first unusable outputs (``close``) reads no
    more of them.
    """
    request = forward_call(layer)
    with contextlib.closing(sandbox.stream([(request, inputs, None) for inputs in input_sets])) as answers:
        for answer in answers:
            yield _usable(answer, layer)


def _usable(answer, layer):
    """A forward's outputs from its answer (float64, finite), or None."""
    if isinstance(answer, Crash):
        return None
    header, values = answer
    if not header["ok"] or len(header["outputs"]) != len(layer.outputs):
        return None
    outputs = [values[meta["index"]] if "index" in meta else None for meta in header["outputs"]]
    if any(out is None or out.dtype != np.float64 or not np.isfinite(out).all() for out in outputs):
        return None
    return outputs


def _close(got, expected):
    return got is not None and matches(np.asarray(got), expected)
