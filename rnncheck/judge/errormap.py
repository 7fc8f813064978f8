"""Where a wrong array is wrong: a small grid of its error, for pictures.

``error_map`` turns ``|got - expected| / max|expected|`` into at most
``LIMIT x LIMIT`` cells laid out the way the math reads: a weight of a
gated layer (``Wx`` (D, 4H), ``Wh`` (H, 4H), ``b`` (4H,)) by its rows and
its columns grouped in gate blocks (i, f, o, g for the LSTM); a sequence
(N, T, X) by time step and feature (with time last, (X, N, T): by feature
and time step), the largest over the batch N; anything
else by rows and columns.  Every cell holds the largest error it covers, so
a wrong element is never averaged away.  The result is plain JSON (nested
lists of floats, strings): it travels in the verdict.
"""
import math

import numpy as np


LIMIT = 64
NEGLIGIBLE = 1e-12  # errors below this (rounding) are written as 0 to keep the verdict small
SCALE = "|yours - reference| / max|reference|"
# Shapes of forward outputs (gradients take their shape from the input they belong to).
OUTPUT_AXES = {"next_h": ("N", "H"), "next_c": ("N", "H"), "h": ("N", "T", "H")}
LAYER_OUTPUT_AXES = {"sigmoid": ("N", "H"), "word_embedding": ("N", "T", "D"),
                     "temporal_affine": ("N", "T", "M")}


def error_map(name, got, expected, layer):
    """The error grid of one wrong array (same size as ``expected``), or None for a scalar.

    Returns ``{"values": rows x columns floats (3 significant digits, 0 below
    NEGLIGIBLE),
    "rows": {"axis", "labels"}, "columns": {"axis", "labels"},
    "groups": [{"name", "start", "stop"}] (column ranges of gate blocks),
    "worst": [row, column] (its cell), "worst_index": index in the array,
    "aggregated": "max over N" or "", "scale": SCALE}``.
    """
    expected = np.asarray(expected, dtype=np.float64)
    if expected.ndim == 0 or expected.size == 0:
        return None
    got = np.asarray(got, dtype=np.float64).reshape(expected.shape)
    scale = np.max(np.abs(expected)) or 1.0
    error = np.abs(got - expected) / scale
    worst_index = [int(i) for i in np.unravel_index(np.argmax(error), error.shape)]
    axes = _axes(name, layer, expected.ndim)
    aggregated = ""
    if error.ndim == 3:  # the largest over the batch
        batch = axes.index("N") if "N" in axes else 0
        error, aggregated = error.max(axis=batch), f"max over {axes[batch]}"
        axes, worst_position = axes[:batch] + axes[batch + 1:], worst_index[:batch] + worst_index[batch + 1:]
    elif error.ndim == 1:
        error, axes, worst_position = error[None, :], ("", axes[0]), [0, worst_index[0]]
    else:
        error = error.reshape(-1, error.shape[-1])
        worst_position = [int(np.ravel_multi_index(worst_index[:-1], expected.shape[:-1])), worst_index[-1]]
        axes = (axes[0] if expected.ndim == 2 else "rows", axes[-1])
    gates = layer.gates_of(name)
    blocks = []
    if gates and axes[1] == f"{len(gates)}H":
        H = error.shape[1] // len(gates)
        blocks = [(g, k * H, (k + 1) * H) for k, g in enumerate(gates)]
    row_bins = _bins([("", 0, error.shape[0])], LIMIT)
    column_bins = _bins(blocks or [("", 0, error.shape[1])], LIMIT)
    values = [[_round(error[r0:r1, c0:c1].max()) for _, c0, c1 in column_bins] for _, r0, r1 in row_bins]
    groups = [{"name": g, "start": min(inside), "stop": max(inside) + 1}
              for g, _, _ in blocks for inside in [[i for i, b in enumerate(column_bins) if b[0] == g]]]
    return {"values": values,
            "rows": {"axis": axes[0], "labels": [_label(axes[0], b, blocks) for b in row_bins]},
            "columns": {"axis": axes[1], "labels": [_label(axes[1], b, blocks) for b in column_bins]},
            "groups": groups,
            "worst": [_find(row_bins, worst_position[0]), _find(column_bins, worst_position[1])],
            "worst_index": worst_index, "aggregated": aggregated, "scale": SCALE}


def _axes(name, layer, ndim):
    """Dimension symbols of the array's axes: ("D", "4H"), ("N", "T", "H")..."""
    for spec in layer.inputs:
        if name == "d" + spec.name:
            return spec.shape
    axes = OUTPUT_AXES.get(name) or LAYER_OUTPUT_AXES.get(layer.name)
    if axes and len(axes) == ndim:
        return axes
    if ndim == 3:  # a sequence: (N, T, X), or with time last (X, N, T)
        return ("N", "T", "") if layer.time_axis == 1 else tuple(
            {layer.time_axis: "T", layer.time_axis - 1: "N"}.get(axis, "") for axis in range(3))
    return ("",) * ndim


def _bins(groups, limit):
    """(group, start, stop) ranges covering each group, at most ``limit`` in all."""
    per_group = max(1, limit // len(groups))
    bins = []
    for group, start, stop in groups:
        width = math.ceil((stop - start) / per_group)
        bins += [(group, i, min(i + width, stop)) for i in range(start, stop, width)]
    return bins


def _label(axis, bin_, blocks):
    """Row/column label of one bin: "3", "0-3", "t=2"; in a gate block, the index inside it."""
    group, start, stop = bin_
    offset = next((b[1] for b in blocks if b[0] == group), 0) if group else 0
    first, last = start - offset, stop - 1 - offset
    text = str(first) if first == last else f"{first}-{last}"
    return f"t={text}" if axis == "T" else text


def _find(bins, index):
    return next(i for i, (_, start, stop) in enumerate(bins) if start <= index < stop)


def _round(value):
    return float(f"{float(value):.3g}") if value >= NEGLIGIBLE else 0.0
