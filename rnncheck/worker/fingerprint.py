"""What a backward did to its cache: fingerprints of the arrays and containers in it, compared.

Runs in the worker beside the submission, so what it uses is bound at
import, before any submission runs (as in ``serve``); the parent judges the
report (``judge.hygiene``).
"""
import builtins

import numpy as np

__builtins__ = dict(vars(builtins))  # functions below keep this snapshot

_ndarray = np.ndarray
_abs, _amax, _errstate, _isnan = np.abs, np.max, np.errstate, np.isnan


def fingerprint(value, path="cache", depth=0, prints=None):
    """{path: what is there} for the arrays and containers in a cache, a few levels deep.

    Lists, tuples (named ones too), dicts and objects of the submission's own
    classes are opened; anything else is opaque.  Never raises: a cache that
    cannot be walked gets an empty fingerprint.
    """
    prints = {} if prints is None else prints
    if depth > 4 or len(prints) > 2000:
        return prints
    try:
        if isinstance(value, _ndarray):
            prints[path] = ("array", value.shape, value.dtype.str, _ndarray.tobytes(value))
            return prints
        if type(value) in (list, tuple, dict) or isinstance(value, tuple) and hasattr(value, "_fields"):
            items = list(dict.items(value)) if type(value) is dict else list(enumerate(value))
            prints[path] = (type(value).__name__, len(items))
        elif getattr(type(value), "__module__", None) == "__submission__" and isinstance(
                getattr(value, "__dict__", None), dict):
            items = [(f".{key}", item) for key, item in dict.items(value.__dict__)]
            prints[path] = ("object", len(items))
        else:
            return prints
        for key, item in items:
            fingerprint(item, f"{path}{key}" if str(key).startswith(".") else f"{path}[{key!r}]", depth + 1, prints)
    except Exception:
        prints.clear()
    return prints


def changes(before, after):
    """(paths of arrays that changed, paths of containers that lost items), outermost first, a few each."""
    modified, shrunk = [], []
    for path, was in before.items():
        now = after.get(path)
        if now is None or any(path.startswith(p) for p in modified + shrunk):
            continue
        if was[0] != "array" and now[0] == was[0] and now[1] < was[1]:
            shrunk.append(path)
        elif was[0] == "array" and now != was:
            modified.append(path)
    return modified[:3], shrunk[:3]


def difference(first, second):
    """Largest normwise difference between two lists of arrays (inf when they do not pair up)."""
    if len(first) != len(second):
        return float("inf")
    largest = 0.0
    for a, b in zip(first, second):
        if a.shape != b.shape or a.dtype != b.dtype:
            return float("inf")
        if _ndarray.tobytes(a) == _ndarray.tobytes(b):
            continue
        if a.dtype.kind not in "fc":  # integers, booleans: any change is a change
            return float("inf")
        with _errstate(all="ignore"):
            scale = float(_amax(_abs(a), initial=0.0)) or 1.0
            gap = float(_amax(_abs(a - b), initial=0.0)) / scale
        largest = float("inf") if _isnan(gap) else max(largest, gap)
    return largest
