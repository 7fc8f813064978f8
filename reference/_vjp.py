"""The one backward rule of the reference: the VJP of the layer's forward graph.

Every layer of the reference is written once, as a forward graph in
``autograd.numpy``; :func:`layer` turns that graph into the CS231n pair

    forward(*inputs)            -> (*outputs, cache)
    backward(*upstream, cache)  -> gradients of the differentiable inputs

so no backward pass is ever written by hand here.  The forward traces the
graph once (``autograd.make_vjp``) and keeps the resulting VJP in the cache;
the backward pulls the upstream gradients back through that same trace, so
the graph is never evaluated twice.
"""
import functools
import inspect
from collections import namedtuple

from autograd import make_vjp
from autograd.builtins import tuple as traced_tuple

Cache = namedtuple("Cache", "inputs vjp")

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
    ``<graph>_backward`` and carrying the CS231n signatures.  The forward's
    cache is ``Cache(inputs, vjp)``: the inputs and the traced graph's VJP.
    """
    names = list(inspect.signature(graph).parameters)
    wrt = tuple(names.index(n) for n in (differentiable or names))
    traced = make_vjp(graph, argnum=wrt if len(wrt) > 1 else wrt[0])

    @functools.wraps(graph)
    def forward(*inputs):
        vjp, outputs = traced(*inputs)
        outputs = tuple(outputs) if isinstance(outputs, tuple) else (outputs,)
        return outputs + (Cache(inputs, vjp),)

    def backward(*upstream_and_cache):
        *gradients_of_outputs, cache = upstream_and_cache
        if len(gradients_of_outputs) == 1:
            return cache.vjp(gradients_of_outputs[0])
        return cache.vjp(tuple(gradients_of_outputs))

    forward.__name__ = forward.__qualname__ = graph.__name__ + "_forward"
    backward.__name__ = backward.__qualname__ = graph.__name__ + "_backward"
    backward.__doc__ = f"VJP of {graph.__name__}_forward (autograd); returns d{', d'.join(names[i] for i in wrt)}."
    backward.__signature__ = inspect.Signature(
        [inspect.Parameter(n, inspect.Parameter.POSITIONAL_OR_KEYWORD) for n in (*upstream, "cache")]
    )
    return forward, backward
