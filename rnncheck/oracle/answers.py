"""The reference answers of one generated case: its inputs, the oracle's outputs, upstream gradients and gradients.

``compute`` is the whole of what a case means: the same (seed, layer, case)
always draws the same inputs and upstream gradients and gets the same
answers.  ``expected`` keeps them in memory in rnncheck; ``serve`` computes
them in the oracle process.
"""
from dataclasses import dataclass

import numpy as np

from ..courses.catalogue import reference_function
from .cases import case_rng, cases_for, make_inputs, make_upstream


@dataclass(frozen=True)
class Expected:
    """Reference results of one case.

    - inputs: the forward's inputs, in signature order.
    - outputs: the reference forward's outputs (without its cache).
    - upstream: upstream gradients, one per output (``()`` for a layer without backward).
    - grads: the reference backward's gradients, in ``layer.grads`` order (``()`` likewise).
    """
    inputs: tuple
    outputs: tuple
    upstream: tuple = ()
    grads: tuple = ()


def compute(seed, layer, case_index):
    """Draw the case's inputs, then upstream gradients, from one generator (that order is the seed's meaning)."""
    case = cases_for(layer)[case_index]
    rng = case_rng(seed, layer, case_index)
    inputs = make_inputs(layer, case, rng)
    outputs = reference_function(layer.forward)(*inputs)
    upstream, grads = (), ()
    if layer.backward:
        *outputs, cache = outputs
        upstream = make_upstream(outputs, rng)
        grads = reference_function(layer.backward)(*upstream, cache)
        grads = grads if isinstance(grads, tuple) else (grads,)
    elif len(layer.outputs) == 1:
        outputs = [outputs]
    return Expected(*(tuple(frozen(a) for a in group) for group in (inputs, outputs, upstream, grads)))


def frozen(value):
    """A read-only copy of an array (scalars are immutable already)."""
    if isinstance(value, np.ndarray):
        value = value.copy()
        value.flags.writeable = False
    return value
