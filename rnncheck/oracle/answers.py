"""The reference answers of one generated case: its inputs, the oracle's outputs, upstream gradients and gradients.

``compute`` is the whole of what a case means: the same (seed, layer, case)
always draws the same inputs and upstream gradients and gets the same
answers.  ``expected`` keeps them in memory in rnncheck; ``serve`` computes
them in the oracle process.
"""
from dataclasses import dataclass

import numpy as np

from .cases import case_rng, cases_for, make_inputs, make_upstream


@dataclass(frozen=True)
class Expected:
    """Reference results of one case.

    - inputs: the forward's inputs, in signature order.
    - outputs: the reference forward's outputs (without its cache).
    - upstream: the backward's upstream gradients, in its order (``()`` for a layer without backward).
    - grads: the reference backward's gradients, in ``layer.grads`` order (``()`` likewise).
    """
    inputs: tuple
    outputs: tuple
    upstream: tuple = ()
    grads: tuple = ()


def compute(seed, layer, case_index):
    """Draw the case's inputs, then upstream gradients, from one generator (that order is the seed's meaning).

    The outputs are the layer's oracle graph on the inputs; the gradients are
    autograd's VJP of that graph, pulled back from the upstream gradients of
    the outputs the backward takes (``layer.gradient_of``; zero for the others).
    """
    case = cases_for(layer)[case_index]
    rng = case_rng(seed, layer, case_index)
    inputs = make_inputs(layer, case, rng)
    graph, upstream, grads = layer.graph(), (), ()
    if not layer.backward:
        outputs = graph(*layer.assemble(inputs), **layer.given)
        outputs = list(outputs) if len(layer.outputs) > 1 else [outputs]
    else:
        from autograd import make_vjp
        from autograd.builtins import tuple as traced_tuple
        names = [spec.name for spec in layer.inputs]
        wrt = tuple(names.index(name) for name in layer.differentiable)

        def traced(*leaves):  # a graph may return a plain tuple; autograd follows only its own
            out = graph(*layer.assemble(leaves), **layer.given)
            return traced_tuple(out) if isinstance(out, (tuple, list)) else out
        vjp, outputs = make_vjp(traced, argnum=wrt if len(wrt) > 1 else wrt[0])(*inputs)
        outputs = tuple(outputs) if isinstance(outputs, tuple) else (outputs,)
        upstream = make_upstream([outputs[layer.outputs.index(name)] for name in layer.gradient_of], rng)
        pulled = [np.zeros(np.shape(out)) if weight is None else weight
                  for weight, out in zip(layer.weights(upstream), outputs)]
        grads = vjp(pulled[0] if len(pulled) == 1 else tuple(pulled))
        grads = grads if len(wrt) > 1 else (grads,)
    return Expected(*(tuple(frozen(a) for a in group) for group in (inputs, outputs, upstream, grads)))


def frozen(value):
    """A read-only copy of an array (scalars are immutable already)."""
    if isinstance(value, np.ndarray):
        value = value.copy()
        value.flags.writeable = False
    return value
