"""Judging one returned value against the reference: type, shape, finiteness, values.

Errors are normwise relative: ``max|got - expected| / max|expected|``.  A
correct float64 solution, however it is written (loops, einsum, per-gate
products), lands near 1e-15; real bugs land above 1e-3.  The tolerance sits
far from both.
"""
from dataclasses import dataclass, field

import numpy as np

TOLERANCE = {"float64": 1e-7, "float32": 2e-4}


@dataclass
class Judgement:
    """Verdict on one output or gradient of one call."""
    name: str
    ok: bool
    error: float = None
    problem: str = ""
    warnings: list = field(default_factory=list)


def relative_error(got, expected):
    """max |got - expected| / max |expected| (absolute when expected is all zero)."""
    scale = np.max(np.abs(expected), initial=0.0)
    difference = np.max(np.abs(got.astype(np.float64) - expected), initial=0.0)
    return float(difference / scale) if scale > 0 else float(difference)


def tolerance_for(array, tolerances=None):
    """The tolerance of an array's precision: float32 (or lower) results get the float32 one.

    ``tolerances`` maps "float64" and "float32" to the largest relative error
    that passes (``TOLERANCE`` when None).
    """
    tolerances = tolerances or TOLERANCE
    return tolerances["float32" if array.dtype.kind == "f" and array.dtype.itemsize < 8 else "float64"]


def matches(got, expected):
    """Same shape (a 1-element array stands for a scalar), all finite, and within ``got``'s tolerance."""
    expected = np.asarray(expected, dtype=np.float64)
    if got.size == 1 and expected.size == 1:
        got = got.reshape(expected.shape)
    if got.shape != expected.shape or got.dtype.kind not in "fiu" or not np.isfinite(got).all():
        return False
    return relative_error(got, expected) <= tolerance_for(got)


def judge(name, meta, array, expected, tolerances=None):
    """Check one returned value against the reference, within ``tolerances`` (see ``tolerance_for``).

    ``meta`` is the worker's description of the value.
    """
    expected = np.asarray(expected, dtype=np.float64)
    if meta["kind"] == "none":
        return Judgement(name, False, problem=f"{name} is None")
    if meta["kind"] == "junk":
        why = f" ({meta['why']})" if meta.get("why") else ""
        return Judgement(name, False, problem=f"{name} is a {meta['type']}, not an array{why}")
    got, notes = array, []
    if got.dtype.kind == "c":
        return Judgement(name, False, problem=f"{name} has complex values")
    if got.dtype.kind == "b":
        return Judgement(name, False, problem=f"{name} is a boolean array")
    if got.shape != expected.shape:
        if got.size == 1 and expected.size == 1:
            notes.append(f"{name} has shape {got.shape}; a scalar was expected")
            got = got.reshape(expected.shape)
        else:
            return Judgement(name, False,
                             problem=f"{name} has shape {got.shape}, expected {expected.shape}")
    tolerance = tolerance_for(got, tolerances)
    if got.dtype.kind == "f" and got.dtype.itemsize < 8:
        notes.append(f"{name} is {got.dtype}; judged with float32 tolerance")
    finite = np.isfinite(got)
    if not finite.all():
        bad = "NaN" if np.isnan(got).any() else "inf"
        where = f" (first at {[int(i) for i in np.argwhere(~finite)[0]]})" if got.ndim else ""
        return Judgement(name, False, problem=f"{name} is {bad}{where}", warnings=notes)
    error = relative_error(got, expected)
    return Judgement(name, error <= tolerance, error=error, warnings=notes)
