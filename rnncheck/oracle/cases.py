"""Generated, seeded test cases for every catalogue layer.

A case is a set of dimensions plus, for some layers, a numerically hard
variant.  The same (seed, layer, case) always gives the same inputs, so a
verdict can be reproduced with ``--seed``.
"""
import zlib
from dataclasses import dataclass

import numpy as np

from ..courses.course import resolve


@dataclass(frozen=True)
class Case:
    """Dimensions of one case; ``stress`` names a hard-input variant or None."""
    label: str
    dims: dict
    stress: str = None


# N, T, D, H all different; then the shapes real solutions get wrong.
BASIC = (
    Case("N=3 T=4 D=5 H=6", dict(N=3, T=4, D=5, H=6, V=7, M=8)),
    Case("N=1", dict(N=1, T=3, D=4, H=5, V=6, M=7)),
    Case("T=1", dict(N=2, T=1, D=3, H=4, V=5, M=3)),
    Case("D=H", dict(N=2, T=3, D=4, H=4, V=5, M=6)),
)


# Long enough that a backward which stops carrying the gradient back after a
# few steps (a truncated-BPTT shortcut) is wrong by far more than the tolerance.
LONG = dict(N=2, T=24, D=3, H=4, V=5, M=3)


def cases_for(layer):
    """BASIC, plus the layer's stress case when it has one.

    A stress is a name from ``STRESS`` or a course's own ``(label, function)``;
    one whose label says "long" or "memory" runs at T=24 (``LONG``).
    """
    if layer.stress is None:
        return BASIC
    name = layer.stress if isinstance(layer.stress, str) else layer.stress[0]
    dims = LONG if "long" in name or "memory" in name else BASIC[0].dims
    label = f"{name.replace('_', ' ')}{' T=%d' % dims['T'] if dims is LONG else ''}"
    return BASIC + (Case(label, dims, name),)


def case_rng(seed, layer, case_index):
    """Independent generator for one (seed, layer, case)."""
    return np.random.default_rng([seed, zlib.crc32(layer.name.encode()), case_index])


def make_inputs(layer, case, rng):
    """Forward inputs of ``layer`` for ``case``: a list, in signature order."""
    dims = case.dims
    inputs = [_draw(spec, resolve(spec.shape, dims), dims, rng) for spec in layer.inputs]
    if not case.stress:
        return inputs
    stress = STRESS[layer.stress] if isinstance(layer.stress, str) else layer.stress[1]
    return stress(inputs, layer, rng)


def make_upstream(outputs, rng):
    """Random upstream gradients shaped like the forward's outputs (never all ones)."""
    return [rng.standard_normal(np.shape(out)) for out in outputs]


def _draw(spec, shape, dims, rng):
    if spec.kind == "float":
        return spec.scale * rng.standard_normal(shape)
    if spec.kind == "label":
        return rng.integers(0, dims["V"], size=shape)
    if spec.kind == "index":
        x = rng.integers(0, dims["V"], size=shape)
        if x.size > 1:
            x.flat[-1] = x.flat[0]  # at least one repeated word
        return x
    if spec.kind == "mask":
        mask = rng.random(shape) < 0.7
        mask.flat[0] = True
        if mask.size > 1:
            mask.flat[-1] = False
        return mask
    raise ValueError(f"unknown input kind {spec.kind!r}")


def _extreme_sigmoid(inputs, layer, rng):
    """Sigmoid at +-1000 and other large magnitudes beside ordinary values."""
    x = inputs[0].copy()
    x.flat[:6] = [1000.0, -1000.0, 50.0, -50.0, 710.0, -710.0]
    return [x]


def _offset_logits(inputs, layer, rng):
    """Softmax scores shifted by 800: exp overflows unless the max is subtracted."""
    x, y, mask = inputs
    return [x + 800.0, y, mask]


def _long_memory(inputs, layer, rng):
    """A recurrence that remembers: the gradient of the last step still reaches the first.

    Each gate block of ``Wh`` becomes orthogonal, inputs shrink so that tanh
    stays near its linear range, and the gate that keeps the state (LSTM
    forget, GRU update) leans open.  Over 24 steps a backward truncated after
    20 of them is then wrong by more than 3e-4 relative (20 seeds), thousands
    of times the tolerance, where ordinary weights let the gradient fade
    below it.
    """
    names = [spec.name for spec in layer.inputs]  # x, h0, Wx, Wh, b, and any further inputs left as drawn
    x, Wh, b = (inputs[names.index(name)].copy() for name in ("x", "Wh", "b"))
    H = Wh.shape[0]
    for block in range(Wh.shape[1] // H):
        Wh[:, block * H:(block + 1) * H] = np.linalg.qr(rng.standard_normal((H, H)))[0]
    keep = next((k for k, gate in enumerate(layer.gates or "") if gate in "fz"), None)
    if keep is not None:
        b[keep * H:(keep + 1) * H] += 2.0
    stressed = dict(zip(names, inputs), x=0.5 * x, Wh=Wh, b=b)
    return [stressed[name] for name in names]


STRESS = {"extreme_sigmoid": _extreme_sigmoid, "offset_logits": _offset_logits, "long_memory": _long_memory}
