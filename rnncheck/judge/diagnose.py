"""Naming the likely mistake behind a wrong array.

Each rule compares the wrong array with the reference and says what the
difference looks like: a constant factor (averaged instead of summed, the
sign), a transpose, swapped gate blocks, or where it is wrong (which time
steps, which gates, which element).  Rules are tried in order; the first
that fits speaks, and the location is always given.
"""
import itertools

import numpy as np


CLOSE = 1e-6


def _close(a, b):
    scale = max(np.max(np.abs(b), initial=0.0), 1e-300)
    return a.shape == b.shape and np.max(np.abs(a - b), initial=0.0) / scale < CLOSE


def describe(name, got, expected, layer, dims):
    """How ``got`` differs from ``expected`` (same shapes): ``(rank, phrase)``.

    rank 2: a recognised mistake (factor, transpose, gate order); 1: localised
    to some time steps or gate blocks; 0: only the worst element is known.
    """
    got = np.asarray(got, dtype=np.float64)
    mistake = _pattern(name, got, expected, layer, dims)
    places = _location(name, got, expected, layer, dims)
    rank = 2 if mistake else (1 if len(places) > 1 else 0)
    return rank, "; ".join([mistake] * bool(mistake) + places)


def _pattern(name, got, expected, layer, dims):
    if not np.any(got) and np.any(expected):
        return "all zeros"
    scaled = _scaling(got, expected, dims)
    if scaled:
        return scaled
    if got.ndim == 2 and got.shape[0] == got.shape[1] and _close(got, expected.T):
        return "transposed"
    gates = layer.gates_of(name)
    if gates and got.shape and got.shape[-1] == len(gates) * dims["H"]:
        order = _gate_order(got, expected, gates, dims["H"])
        if order:
            return f"gate blocks come out in order {order}, expected {gates}"
    return ""


def _scaling(got, expected, dims):
    """Phrase for got == c * expected (sign flip, averaged, summed), else ""."""
    factor = _factor(got, expected)
    if factor is None:
        return ""
    if abs(factor + 1) < CLOSE:
        return "the sign is flipped"
    for label, size in (("N", dims["N"]), ("T", dims["T"]), ("N*T", dims["N"] * dims["T"])):
        if size > 1 and abs(factor * size - 1) < CLOSE:
            return f"divided by {label}={size} (averaged where it should be summed?)"
        if size > 1 and abs(factor - size) < CLOSE:
            return f"multiplied by {label}={size}"
    return f"off by a constant factor {factor:.6g}"


def _factor(got, expected):
    """c when got == c * expected (c != 1), else None."""
    denominator = float(np.vdot(expected, expected))
    if denominator == 0:
        return None
    c = float(np.vdot(got, expected)) / denominator
    return c if abs(c - 1) > CLOSE and _close(got, c * expected) else None


def _gate_order(got, expected, gates, H):
    blocks = [expected[..., k * H:(k + 1) * H] for k in range(len(gates))]
    for order in itertools.permutations(range(len(gates))):
        if list(order) != sorted(order) and _close(got, np.concatenate([blocks[k] for k in order], -1)):
            return "".join(gates[k] for k in order)
    return None


def _location(name, got, expected, layer, dims):
    """Phrases: which time steps / gate blocks are wrong, then the worst element."""
    wrong = ~np.isclose(got, expected, rtol=CLOSE, atol=CLOSE * np.max(np.abs(expected), initial=0))
    parts = []
    T, H, time = dims["T"], dims["H"], layer.time_axis
    if got.ndim == 3 and got.shape[time] == T and T > 1 and layer.name != "temporal_softmax_loss":
        steps = [t for t in range(T) if np.take(wrong, t, axis=time).any()]
        if len(steps) < T:
            parts.append(f"wrong at time step{'s' * (len(steps) > 1)} {_span(steps)} of 0..{T - 1} only")
    gates = layer.gates_of(name)
    if gates and got.shape and got.shape[-1] == len(gates) * H:
        bad = [k for k in range(len(gates)) if wrong[..., k * H:(k + 1) * H].any()]
        if 0 < len(bad) < len(gates):
            parts.append(f"wrong in gate block{'s' * (len(bad) > 1)} {', '.join(gates[k] for k in bad)} only")
        if len(bad) == 1:
            block = np.s_[..., bad[0] * H:(bad[0] + 1) * H]
            scaled = _scaling(got[block], expected[block], dims)
            parts += [f"in block {gates[bad[0]]} {scaled}"] * bool(scaled)
    if got.ndim == 0:
        return [f"{float(got):.6g} instead of {float(expected):.6g}"]
    index = np.unravel_index(np.argmax(np.abs(got - expected)), got.shape)
    parts.append(f"worst at {list(map(int, index))}: {got[index]:.6g} instead of {expected[index]:.6g}")
    return parts


def _span(steps):
    if len(steps) > 2 and steps == list(range(steps[0], steps[-1] + 1)):
        return f"{steps[0]}..{steps[-1]}"
    return ", ".join(map(str, steps))
