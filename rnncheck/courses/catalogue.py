"""The layer catalogue: one entry per layer, the single source of what to check.

Adding a layer (GRU, say) means one manual module, one reference module and
one ``Layer`` here; cases, the worker protocol, comparison and reports all
read from this table.

Shapes are tuples of dimension symbols: N batch, T time, D input, H hidden,
V vocabulary, M output; a leading integer multiplies (``"4H"`` is 4 * H).
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Input:
    """One input of a layer's forward.

    kind: ``float`` (standard normal times ``scale``), ``index`` (ints in
    [0, V) with repeats), ``label`` (ints in [0, V)) or ``mask`` (bools).
    """
    name: str
    shape: tuple
    kind: str = "float"
    scale: float = 1.0


@dataclass(frozen=True)
class Layer:
    """A forward (and its backward, if any) as the homework defines them.

    - forward: function name; returns ``(*outputs, cache)`` when ``backward``
      is set, else just its outputs (one array, or a tuple of them).
    - outputs: names of the forward's outputs (without the cache).
    - backward: function name or None; takes one upstream gradient per
      output and the cache, returns ``grads`` in that order.
    - differentiable: input names the backward returns gradients for.
    - required: part of the CS231n assignment as handed out.
    - stress: name of an extra, numerically hard case (see ``cases``).
    - keywords: optional parameters the assignment's forward has after its
      inputs, as written there (``"verbose=False"``); never passed, only shown.
    """
    name: str
    forward: str
    inputs: tuple
    outputs: tuple
    backward: str = None
    differentiable: tuple = ()
    required: bool = True
    stress: str = None
    upstream: tuple = ()
    keywords: tuple = ()

    @property
    def grads(self):
        return tuple("d" + name for name in self.differentiable)

    @property
    def functions(self):
        return (self.forward, self.backward) if self.backward else (self.forward,)


def _recurrent(name, gates, required, cell=False):
    """RNN / LSTM / GRU step and sequence entries; ``gates`` blocks per weight."""
    g = f"{gates}H" if gates > 1 else "H"
    weights = (Input("Wx", ("D", g), scale=0.4), Input("Wh", ("H", g), scale=0.4),
               Input("b", (g,), scale=0.3))
    state = (Input("prev_h", ("N", "H")),) + ((Input("prev_c", ("N", "H")),) if cell else ())
    step = Layer(
        name=f"{name}_step", forward=f"{name}_step_forward", backward=f"{name}_step_backward",
        inputs=(Input("x", ("N", "D")),) + state + weights,
        outputs=("next_h", "next_c") if cell else ("next_h",),
        upstream=("dnext_h", "dnext_c") if cell else ("dnext_h",),
        differentiable=("x",) + tuple(i.name for i in state + weights),
        required=required)
    sequence = Layer(
        name=name, forward=f"{name}_forward", backward=f"{name}_backward",
        inputs=(Input("x", ("N", "T", "D")), Input("h0", ("N", "H"))) + weights,
        outputs=("h",), upstream=("dh",),
        differentiable=("x", "h0", "Wx", "Wh", "b"), required=required, stress="long_memory")
    return step, sequence


CATALOGUE = (
    Layer(name="sigmoid", forward="sigmoid", inputs=(Input("x", ("N", "H"), scale=4.0),),
          outputs=("out",), stress="extreme_sigmoid"),
    *_recurrent("rnn", gates=1, required=True),
    Layer(name="word_embedding", forward="word_embedding_forward",
          backward="word_embedding_backward",
          inputs=(Input("x", ("N", "T"), kind="index"), Input("W", ("V", "D"))),
          outputs=("out",), upstream=("dout",), differentiable=("W",)),
    *_recurrent("lstm", gates=4, required=True, cell=True),
    Layer(name="temporal_affine", forward="temporal_affine_forward",
          backward="temporal_affine_backward",
          inputs=(Input("x", ("N", "T", "D")), Input("w", ("D", "M")), Input("b", ("M",))),
          outputs=("out",), upstream=("dout",), differentiable=("x", "w", "b")),
    Layer(name="temporal_softmax_loss", forward="temporal_softmax_loss",
          inputs=(Input("x", ("N", "T", "V"), scale=2.0), Input("y", ("N", "T"), kind="label"),
                  Input("mask", ("N", "T"), kind="mask")),
          outputs=("loss", "dx"), stress="offset_logits", keywords=("verbose=False",)),
    *_recurrent("gru", gates=3, required=False),
)

FUNCTIONS = tuple(f for layer in CATALOGUE for f in layer.functions)
REQUIRED = tuple(f for layer in CATALOGUE if layer.required for f in layer.functions)


def layer_of(function):
    """The catalogue entry that defines ``function``."""
    for layer in CATALOGUE:
        if function in layer.functions:
            return layer
    raise KeyError(function)


def resolve(shape, dims):
    """Concrete shape of a symbolic one: ``("H", "4H")`` with H=3 -> (3, 12)."""
    return tuple(int(s[:-1] or 1) * dims[s[-1]] for s in shape)


def reference_function(name):
    """The oracle's implementation of a catalogue function."""
    from rnncheck import reference
    return getattr(reference, name)


def gate_blocks(layer):
    """Names of the gate blocks along the last axis of Wx/Wh/b, or None."""
    return {"lstm": "ifog", "gru": "rzn"}.get(layer.name.replace("_step", ""))


__all__ = ["Input", "Layer", "CATALOGUE", "FUNCTIONS", "REQUIRED", "layer_of", "resolve",
           "reference_function", "gate_blocks"]
