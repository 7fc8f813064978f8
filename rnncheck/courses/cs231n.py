"""CS231n's "RNN captioning" homework (``rnn_layers.py``), with our GRU: the default course.

Shapes: N batch, T time, D input, H hidden, V vocabulary, M output.  Every
``*_forward`` returns ``(outputs..., cache)``; every ``*_backward`` takes
the upstream gradient(s) and that cache and returns the gradients in the
order of the forward's inputs.  The oracle of each layer is its graph in
``rnncheck.reference`` (autograd), never a hand derivation.
"""
from .course import Course, Input, Layer

REFERENCE = "rnncheck.reference"


def _recurrent(name, gates, required, cell=False):
    """RNN / LSTM / GRU step and sequence entries; ``gates``: the blocks of the weights' last axis."""
    g = f"{len(gates)}H" if gates else "H"
    weights = (Input("Wx", ("D", g), scale=0.4), Input("Wh", ("H", g), scale=0.4),
               Input("b", (g,), scale=0.3))
    state = (Input("prev_h", ("N", "H")),) + ((Input("prev_c", ("N", "H")),) if cell else ())
    step = Layer(
        name=f"{name}_step", forward=f"{name}_step_forward", backward=f"{name}_step_backward",
        oracle=f"{REFERENCE}.{name}:{name}_step",
        inputs=(Input("x", ("N", "D")),) + state + weights,
        outputs=("next_h", "next_c") if cell else ("next_h",),
        upstream=("dnext_h", "dnext_c") if cell else ("dnext_h",),
        differentiable=("x",) + tuple(i.name for i in state + weights),
        required=required, gates=gates)
    sequence = Layer(
        name=name, forward=f"{name}_forward", backward=f"{name}_backward", oracle=f"{REFERENCE}.{name}:{name}",
        inputs=(Input("x", ("N", "T", "D")), Input("h0", ("N", "H"))) + weights,
        outputs=("h",), upstream=("dh",),
        differentiable=("x", "h0", "Wx", "Wh", "b"), required=required, stress="long_memory", gates=gates)
    return step, sequence


COURSE = Course(
    name="cs231n",
    title="CS231n RNN captioning (rnn_layers.py), with a GRU",
    layers=(
        Layer(name="sigmoid", forward="sigmoid", oracle=f"{REFERENCE}.activations:sigmoid",
              inputs=(Input("x", ("N", "H"), scale=4.0),), outputs=("out",), stress="extreme_sigmoid"),
        *_recurrent("rnn", gates=None, required=True),
        Layer(name="word_embedding", forward="word_embedding_forward", backward="word_embedding_backward",
              oracle=f"{REFERENCE}.embedding:word_embedding",
              inputs=(Input("x", ("N", "T"), kind="index"), Input("W", ("V", "D"))),
              outputs=("out",), upstream=("dout",), differentiable=("W",)),
        *_recurrent("lstm", gates="ifog", required=True, cell=True),
        Layer(name="temporal_affine", forward="temporal_affine_forward", backward="temporal_affine_backward",
              oracle=f"{REFERENCE}.temporal:temporal_affine",
              inputs=(Input("x", ("N", "T", "D")), Input("w", ("D", "M")), Input("b", ("M",))),
              outputs=("out",), upstream=("dout",), differentiable=("x", "w", "b")),
        Layer(name="temporal_softmax_loss", forward="temporal_softmax_loss",
              oracle=f"{REFERENCE}.temporal:temporal_softmax_loss",
              inputs=(Input("x", ("N", "T", "V"), scale=2.0), Input("y", ("N", "T"), kind="label"),
                      Input("mask", ("N", "T"), kind="mask")),
              outputs=("loss", "dx"), stress="offset_logits", keywords=("verbose=False",),
              self_gradients=("loss", {"dx": "x"})),
        *_recurrent("gru", gates="rzn", required=False),
    ),
)

CATALOGUE = COURSE.layers
FUNCTIONS = COURSE.functions
REQUIRED = COURSE.required
layer_of = COURSE.layer_of
