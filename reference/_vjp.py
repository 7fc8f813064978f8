"""The one backward rule of the reference: the VJP of the layer's forward graph.

Every layer of the reference is written once, as a forward graph in
``autograd.numpy``; :func:`layer` turns that graph into the CS231n pair

    forward(*inputs)            -> (*outputs, cache)
    backward(*upstream, cache)  -> gradients of the differentiable inputs

so no backward pass is ever written by hand here.  The cache holds the
forward's inputs; the backward re-traces the graph at those inputs and pulls
the upstream gradients back through it with ``autograd.make_vjp``.
"""
import functools
import inspect
from collections import namedtuple

from autograd import make_vjp
from autograd.builtins import tuple as traced_tuple

Cache = namedtuple("Cache", "inputs")

__all__ = ["layer", "traced_tuple", "Cache"]


def layer(graph, upstream, differentiable=None):
    """Build ``(forward, backward)`` from a forward graph.

    Inputs:
    - graph: function of the layer's inputs returning one array or a
      ``traced_tuple`` of arrays (the layer's outputs, without a cache).
    - upstream: names of the backward's upstream gradients, one per output,
      e.g. ``("dnext_h", "dnext_c")``.
    - differentiable: names of the inputs the backward returns gradients
      for, in the forward's order; all of them when None.

    Returns the forward and the backward, named ``<graph>_forward`` and
    ``<graph>_backward`` and carrying the CS231n signatures.
    """
    names = list(inspect.signature(graph).parameters)
    wrt = tuple(names.index(n) for n in (differentiable or names))
    argnum = wrt if len(wrt) > 1 else wrt[0]

    @functools.wraps(graph)
    def forward(*inputs):
        outputs = graph(*inputs)
        outputs = tuple(outputs) if isinstance(outputs, tuple) else (outputs,)
        return outputs + (Cache(inputs),)

    def backward(*upstream_and_cache):
        *gradients_of_outputs, cache = upstream_and_cache
        vjp, _ = make_vjp(graph, argnum=argnum)(*cache.inputs)
        if len(gradients_of_outputs) == 1:
            return vjp(gradients_of_outputs[0])
        return vjp(tuple(gradients_of_outputs))

    forward.__name__ = forward.__qualname__ = graph.__name__ + "_forward"
    backward.__name__ = backward.__qualname__ = graph.__name__ + "_backward"
    backward.__doc__ = f"VJP of {graph.__name__}_forward (autograd); returns d{', d'.join(names[i] for i in wrt)}."
    backward.__signature__ = inspect.Signature(
        [inspect.Parameter(n, inspect.Parameter.POSITIONAL_OR_KEYWORD) for n in (*upstream, "cache")]
    )
    return forward, backward
