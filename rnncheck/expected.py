"""What the oracle says for one generated case, computed once per (seed, layer, case).

Every submission of a batch is checked on the same cases, and the reference
outputs and gradients of a case depend only on ``(seed, layer, case index)``,
so they are computed the first time a submission needs them and shared by
the others.  The arrays are made read-only: one check can never change what
the next is compared with.

autograd traces through module-level state, so reference computations are
serialised by one lock (they take milliseconds; the checks themselves wait
on worker processes).  The memory is bounded: a few kilobytes per case, at
most ``KEPT`` cases (about ten seeds' worth), oldest dropped first.
"""
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from .cases import case_rng, cases_for, make_inputs, make_upstream
from .catalogue import reference_function

KEPT = 512
_lock = threading.Lock()
_memo = OrderedDict()
computed = 0  # how many cases were computed (not served from memory): for tests and benchmarks


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


def expected(seed, layer, case_index):
    """The :class:`Expected` of case ``case_index`` of ``layer`` under ``seed`` (memoised)."""
    global computed
    key = (seed, layer.name, case_index)
    with _lock:
        if key in _memo:
            _memo.move_to_end(key)
            return _memo[key]
        result = _compute(seed, layer, case_index)
        computed += 1
        _memo[key] = result
        while len(_memo) > KEPT:
            _memo.popitem(last=False)
        return result


def drawn_inputs(seed, layer, case_index):
    """The forward inputs of the case alone (no reference run): the ``inputs`` its :class:`Expected` will hold.

    Drawing them is cheap, so a forward's cases can be sent to the worker
    before the oracle has run on them.
    """
    with _lock:
        known = _memo.get((seed, layer.name, case_index))
    if known is not None:
        return known.inputs
    case = cases_for(layer)[case_index]
    return tuple(_frozen(a) for a in make_inputs(layer, case, case_rng(seed, layer, case_index)))


def _compute(seed, layer, case_index):
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
    return Expected(*(tuple(_frozen(a) for a in group) for group in (inputs, outputs, upstream, grads)))


def _frozen(value):
    """A read-only copy of an array (scalars are immutable already)."""
    if isinstance(value, np.ndarray):
        value = value.copy()
        value.flags.writeable = False
    return value


def forget():
    """Drop everything remembered (tests use it to count computations from zero)."""
    global computed
    with _lock:
        _memo.clear()
        computed = 0
