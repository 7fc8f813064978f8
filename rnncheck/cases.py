"""Generated, seeded test cases for every catalogue layer.

A case is a set of dimensions plus, for some layers, a numerically hard
variant.  The same (seed, layer, case) always gives the same inputs, so a
verdict can be reproduced with ``--seed``.
"""
import zlib
from dataclasses import dataclass

import numpy as np

from .catalogue import resolve


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


def cases_for(layer):
    """BASIC, plus the layer's stress case when it has one."""
    if layer.stress is None:
        return BASIC
    return BASIC + (Case(layer.stress.replace("_", " "), BASIC[0].dims, layer.stress),)


def case_rng(seed, layer, case_index):
    """Independent generator for one (seed, layer, case)."""
    return np.random.default_rng([seed, zlib.crc32(layer.name.encode()), case_index])


def make_inputs(layer, case, rng):
    """Forward inputs of ``layer`` for ``case``: a list, in signature order."""
    dims = case.dims
    inputs = [_draw(spec, resolve(spec.shape, dims), dims, rng) for spec in layer.inputs]
    return STRESS[case.stress](inputs) if case.stress else inputs


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


def _extreme_sigmoid(inputs):
    """Sigmoid at +-1000 and other large magnitudes beside ordinary values."""
    x = inputs[0].copy()
    x.flat[:6] = [1000.0, -1000.0, 50.0, -50.0, 710.0, -710.0]
    return [x]


def _offset_logits(inputs):
    """Softmax scores shifted by 800: exp overflows unless the max is subtracted."""
    x, y, mask = inputs
    return [x + 800.0, y, mask]


STRESS = {"extreme_sigmoid": _extreme_sigmoid, "offset_logits": _offset_logits}
