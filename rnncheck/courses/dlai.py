"""deeplearning.ai, Sequence Models, week 1: "Building your Recurrent Neural Network - Step by Step", every edition.

The notebook (2018 v1-v3, v3a, 2021 "C5W1A1") has the same signatures,
caches, returns and gradient keys in every edition.  Its layout puts
examples in columns and time last: ``xt`` (n_x, m), ``a_prev`` (n_a, m),
``x`` (n_x, m, T_x), ``a`` (n_a, m, T_x).  Weights come in a dictionary
``parameters``; the backwards return dictionaries of gradients.  The LSTM's
gates f, i (the "update" gate), c~ (``cct``) and o each have their own
matrix acting on ``concat = [a_prev; xt]`` (a_prev on top).

The upstream gradient of a cell backward is that of the hidden state only
(``da_next``, and ``dc_next``): ``yt_pred`` is never back-propagated; the
sequence backwards take ``da`` of every hidden state, and ``lstm_forward``
starts from a zero cell state that is not an argument.  The four forwards
are the graded part; the backwards are the notebook's optional part,
checked when they are written.

Every layer is CS231n's in another layout (``Relayout``), so CS231n's known
mistakes are named here too, in the notebook's words.  The oracle graphs are
``rnncheck.reference.dlai``; ``rnn_utils.py`` (softmax, sigmoid) is the
course's support file, imported by the preamble as the notebook does.
"""
import numpy as np

from .course import Course, Input, Layer, Relayout

ORACLE = "rnncheck.reference.dlai"
DIMS = {"n_x": "D", "n_a": "H", "n_y": "M", "m": "N", "T_x": "T"}
TIME = 2  # x (n_x, m, T_x): the time axis is the last
# The LSTM's gates as CS231n orders the blocks of its 4H axis (i, f, o, g), and their names here.
CS231N_GATES = "ifoc"
DLAI_GATES = "fico"


def _parameters(*specs):
    return tuple(Input(name, shape, scale=scale, group="parameters") for name, shape, scale in specs)


RNN_PARAMETERS = _parameters(("Wax", ("n_a", "n_x"), 0.4), ("Waa", ("n_a", "n_a"), 0.4), ("Wya", ("n_y", "n_a"), 1.0),
                             ("ba", ("n_a", 1), 0.3), ("by", ("n_y", 1), 0.3))
LSTM_PARAMETERS = _parameters(*[spec for gate in DLAI_GATES for spec in
                                ((f"W{gate}", ("n_a", "n_a+n_x"), 0.4), (f"b{gate}", ("n_a", 1), 0.3))],
                              ("Wy", ("n_y", "n_a"), 1.0), ("by", ("n_y", 1), 0.3))
LSTM_GRADIENTS = tuple(name for gate in DLAI_GATES for name in (f"W{gate}", f"b{gate}"))


# ---------------------------------------------------------------- between this layout and CS231n's

def _softmax(z):
    """rnn_utils.softmax: the shift is the max of the whole array, the sum over axis 0."""
    e = np.exp(z - np.max(z))
    return e / e.sum(axis=0)


def _named(layer, leaves):
    return dict(zip((spec.name for spec in layer.inputs), leaves))


def _outputs_per_step(W, b, a):
    """softmax(W a<t> + b) for every step of a (n_a, m, T_x)."""
    return np.stack([_softmax(W @ a[:, :, t] + b) for t in range(a.shape[TIME])], axis=TIME)


def _time_major(x):
    """(rows, m, T_x) -> CS231n's (m, T_x, rows)."""
    return np.transpose(x, (1, 2, 0))


def _time_last(h):
    """CS231n's (N, T, rows) -> (rows, N, T)."""
    return np.transpose(h, (2, 0, 1))


def _lstm_weights(p, n_a):
    """CS231n's Wx (n_x, 4n_a), Wh (n_a, 4n_a), b (4n_a,) from Wf, Wi, Wc, Wo on [a_prev; xt] and their biases."""
    Wx = np.concatenate([p[f"W{g}"][:, n_a:].T for g in CS231N_GATES], axis=1)
    Wh = np.concatenate([p[f"W{g}"][:, :n_a].T for g in CS231N_GATES], axis=1)
    b = np.concatenate([p[f"b{g}"][:, 0] for g in CS231N_GATES])
    return Wx, Wh, b


def _lstm_weight_gradients(dWx, dWh, db, n_a):
    """dWf, dbf, dWi, dbi, dWc, dbc, dWo, dbo from CS231n's dWx, dWh, db."""
    found = []
    for gate in DLAI_GATES:
        block = slice(CS231N_GATES.index(gate) * n_a, (CS231N_GATES.index(gate) + 1) * n_a)
        found += [np.concatenate([dWh[:, block].T, dWx[:, block].T], axis=1), db[block][:, None]]
    return found


def _no_cell_states(theirs, leaves):
    raise LookupError("CS231n's lstm_forward returns no cell states: its forward mistakes cannot be shown here")


class _Layout:
    """The four relayouts, each a set of functions of (their values, this layer's leaves)."""

    @staticmethod
    def rnn_cell(layer):
        def inputs(leaves):
            v = _named(layer, leaves)
            return [v["xt"].T, v["a_prev"].T, v["Wax"].T, v["Waa"].T, v["ba"][:, 0]]

        def outputs(theirs, leaves):
            v, a_next = _named(layer, leaves), theirs[0].T
            return [a_next, _softmax(v["Wya"] @ a_next + v["by"])]

        def grads(theirs, leaves):
            dx, dprev_h, dWx, dWh, db = theirs
            return [dx.T, dprev_h.T, dWx.T, dWh.T, db[:, None]]
        return inputs, lambda upstream, leaves: [upstream[0].T], outputs, grads

    @staticmethod
    def rnn(layer):
        def inputs(leaves):
            v = _named(layer, leaves)
            return [_time_major(v["x"]), v["a0"].T, v["Wax"].T, v["Waa"].T, v["ba"][:, 0]]

        def outputs(theirs, leaves):
            v, a = _named(layer, leaves), _time_last(theirs[0])
            return [a, _outputs_per_step(v["Wya"], v["by"], a)]

        def grads(theirs, leaves):
            dx, dh0, dWx, dWh, db = theirs
            return [_time_last(dx), dh0.T, dWx.T, dWh.T, db[:, None]]
        return inputs, lambda upstream, leaves: [_time_major(upstream[0])], outputs, grads

    @staticmethod
    def lstm_cell(layer):
        def inputs(leaves):
            v = _named(layer, leaves)
            return [v["xt"].T, v["a_prev"].T, v["c_prev"].T, *_lstm_weights(v, v["a_prev"].shape[0])]

        def outputs(theirs, leaves):
            v, a_next = _named(layer, leaves), theirs[0].T
            return [a_next, theirs[1].T, _softmax(v["Wy"] @ a_next + v["by"])]

        def grads(theirs, leaves):
            dx, dprev_h, dprev_c, dWx, dWh, db = theirs
            return [dx.T, dprev_h.T, dprev_c.T, *_lstm_weight_gradients(dWx, dWh, db, dprev_h.shape[1])]
        return inputs, lambda upstream, leaves: [upstream[0].T, upstream[1].T], outputs, grads

    @staticmethod
    def lstm(layer):
        def inputs(leaves):
            v = _named(layer, leaves)
            return [_time_major(v["x"]), v["a0"].T, *_lstm_weights(v, v["a0"].shape[0])]

        def grads(theirs, leaves):
            dx, dh0, dWx, dWh, db = theirs
            return [_time_last(dx), dh0.T, *_lstm_weight_gradients(dWx, dWh, db, dh0.shape[1])]
        return inputs, lambda upstream, leaves: [_time_major(upstream[0])], _no_cell_states, grads


def _relayout(layer, base, words, skip=()):
    """``layer`` with its Relayout onto CS231n's ``base`` layer."""
    from dataclasses import replace
    inputs, upstream, outputs, grads = getattr(_Layout, layer.name)(layer)
    return replace(layer, relayout=Relayout(course="cs231n", layer=base, inputs=inputs, upstream=upstream,
                                            outputs=outputs, grads=grads, words=words, skip=skip))


# ---------------------------------------------------------------- the long-memory stress case

def _orthogonal(rng, n):
    return np.linalg.qr(rng.standard_normal((n, n)))[0]


def _long_memory_rnn(inputs, layer, rng):
    """oracle.cases' long memory in this layout: Waa orthogonal, inputs halved (tanh near its linear range)."""
    x, a0, Wax, Waa, Wya, ba, by = (value.copy() for value in inputs)
    return [0.5 * x, a0, Wax, _orthogonal(rng, Waa.shape[0]), Wya, ba, by]


def _long_memory_lstm(inputs, layer, rng):
    """The recurrent block W[:, :n_a] of every gate orthogonal, the forget gate leaning open (bf + 2), inputs halved."""
    values = _named(layer, [value.copy() for value in inputs])
    n_a = values["a0"].shape[0]
    for gate in DLAI_GATES:
        values[f"W{gate}"][:, :n_a] = _orthogonal(rng, n_a)
    values["bf"] += 2.0
    values["x"] *= 0.5
    return [values[spec.name] for spec in layer.inputs]


# ---------------------------------------------------------------- the notebook's words

# CS231n's names as this notebook writes them (known mistakes of CS231n's layers are worded with these).
WORDS = {
    "dprev_c": "dc_prev", "dnext_c": "dc_next", "dprev_h": "da_prev", "dnext_h": "da_next",
    "prev_c": "c_prev", "next_c": "c_next", "prev_h": "a_prev", "next_h": "a_next",
    "dh0": "da0", "h0": "a0", "dh[:, t]": "da[:, :, t]", "h[:, t]": "a[:, :, t]", "c[:, t]": "c[:, :, t]",
    "dh": "da", "h": "a",
    "N": "m", "N = 1": "m = 1", "t = T - 1": "t = T_x - 1", "T - 1": "T_x - 1", "range(T)": "range(T_x)",
    "reversed(range(T))": "reversed(range(T_x))",
}
_CELL = {"x": "xt", "dx": "dxt"}
_RNN = {"Wx": "Wax", "Wh": "Waa", "dWx": "dWax", "dWh": "dWaa", "db": "dba", "dWx, dWh, db": "dWax, dWaa, dba",
        "a = x Wx + prev_h Wh + b": "a_next = tanh(Wax xt + Waa a_prev + ba)",
        "dWh = prev_h.T @ da": "dWaa = dtanh @ a_prev.T",
        "db = da.sum(axis=0)": "dba = np.sum(dtanh, axis=1, keepdims=True)",
        "multiply dnext_h by (1 - next_h ** 2) before the products with Wx, Wh and x":
            "dtanh = (1 - a_next ** 2) * da_next comes before the products with Wax, Waa and xt",
        "dx = da @ Wx.T and dprev_h = da @ Wh.T": "dxt = Wax.T @ dtanh and da_prev = Waa.T @ dtanh",
        "x Wh + prev_h Wx": "Waa xt + Wax a_prev",
        "Wx (D, H) multiplies the input, Wh (H, H) the previous hidden state":
            "Wax (n_a, n_x) multiplies xt, Waa (n_a, n_a) the previous hidden state a_prev",
        "return h with shape (N, T, H); do not squeeze() (or squeeze only the axis you mean: axis=1)":
            "keep a of shape (n_a, m, T_x); do not squeeze()",
        "dWx += ...": "dWax += ..."}
_LSTM = {"i": "it", "f": "ft", "o": "ot", "g": "cct", "di": "dit", "df": "dft", "dg": "dcct",
         "do = dnext_h": "dot = da_next",
         "i, f, o": "it, ft, ot", "the g gate": "cct", "the tanh gate g": "the tanh candidate cct",
         "a_g": "the candidate's pre-activation", "da_g": "its gradient",
         "dc = dnext_c": "dc = dc_next",
         "db": "dbf, dbi, dbc, dbo", "dWx, dWh, db": "dWf, dWi, dWc, dWo, dbf, dbi, dbc, dbo",
         "db = da.sum(axis=0)": "each bias gradient is np.sum(..., axis=1, keepdims=True)",
         "dWx += ...": "dWf += ...",
         "dx = da @ Wx.T and dprev_h = da @ Wh.T": "dxt and da_prev are the rows of dconcat = Wf.T @ dft + ... "
                                                   "below and above n_a"}
# Mistakes that cannot be made in this layout: CS231n's single (., 4H) weights, sliced in gate blocks, or
# split into Wx and Wh (deeplearning.ai has one matrix per gate on [a_prev; xt], and keeps the whole
# ``parameters`` in the cache).
_NOT_HERE = ("lstm_gate_order_*", "*_cache_weights_swapped", "lstm_backward_dWx_overwritten",
             "lstm_backward_dWh_overwritten", "lstm_backward_db_overwritten", "lstm_forward_cell_starts_at_h0")


COURSE = Course(
    name="dlai",
    title='deeplearning.ai Sequence Models, week 1: "Building your Recurrent Neural Network - Step by Step"',
    dims=DIMS,
    support=("dlai_support/rnn_utils.py",),
    preamble="from rnn_utils import *\n",
    words=WORDS,
    layers=(
        _relayout(Layer(
            name="rnn_cell", forward="rnn_cell_forward", backward="rnn_cell_backward", oracle=f"{ORACLE}:rnn_cell",
            inputs=(Input("xt", ("n_x", "m")), Input("a_prev", ("n_a", "m"))) + RNN_PARAMETERS,
            outputs=("a_next", "yt_pred"), upstream=("da_next",), upstream_of=("a_next",),
            differentiable=("xt", "a_prev", "Wax", "Waa", "ba"), returns="dict",
            optional=("rnn_cell_backward",)), "rnn_step", {**_CELL, **_RNN}, ("*_cache_weights_swapped",)),
        _relayout(Layer(
            name="rnn", forward="rnn_forward", backward="rnn_backward", oracle=f"{ORACLE}:rnn",
            inputs=(Input("x", ("n_x", "m", "T_x")), Input("a0", ("n_a", "m"))) + RNN_PARAMETERS,
            outputs=("a", "y_pred"), upstream=("da",), upstream_of=("a",),
            differentiable=("x", "a0", "Wax", "Waa", "ba"), returns="dict", optional=("rnn_backward",),
            stress=("long_memory", _long_memory_rnn), time_axis=TIME), "rnn", _RNN),
        _relayout(Layer(
            name="lstm_cell", forward="lstm_cell_forward", backward="lstm_cell_backward",
            oracle=f"{ORACLE}:lstm_cell",
            inputs=(Input("xt", ("n_x", "m")), Input("a_prev", ("n_a", "m")), Input("c_prev", ("n_a", "m")))
            + LSTM_PARAMETERS,
            outputs=("a_next", "c_next", "yt_pred"), upstream=("da_next", "dc_next"), upstream_of=("a_next", "c_next"),
            differentiable=("xt", "a_prev", "c_prev") + LSTM_GRADIENTS, returns="dict",
            optional=("lstm_cell_backward",)), "lstm_step", {**_CELL, **_LSTM}, _NOT_HERE),
        _relayout(Layer(
            name="lstm", forward="lstm_forward", backward="lstm_backward", oracle=f"{ORACLE}:lstm",
            inputs=(Input("x", ("n_x", "m", "T_x")), Input("a0", ("n_a", "m"))) + LSTM_PARAMETERS,
            outputs=("a", "y", "c"), upstream=("da",), upstream_of=("a",),
            differentiable=("x", "a0") + LSTM_GRADIENTS, returns="dict", optional=("lstm_backward",),
            stress=("long_memory", _long_memory_lstm), time_axis=TIME), "lstm", _LSTM, _NOT_HERE),
    ),
)
