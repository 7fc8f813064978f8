"""A one-layer course for the course machinery's tests: an RNN cell in deeplearning.ai's layout.

Columns are examples: xt (n_x, m), a_prev (n_a, m); the weights come in one
``parameters`` dict; the backward takes the gradient of a_next only (not of
yt_pred) and returns its gradients in a dict.  ``softmax`` comes from the
support file ``mini_utils.py``, which the preamble star-imports, as the
notebook's ``rnn_utils`` does.
"""
import autograd.numpy as anp

from rnncheck.courses import Course, Input, Layer


def rnn_cell(xt, a_prev, parameters):
    """a_next = tanh(Wax xt + Waa a_prev + ba); yt_pred = softmax(Wya a_next + by) over axis 0."""
    a_next = anp.tanh(parameters["Wax"] @ xt + parameters["Waa"] @ a_prev + parameters["ba"])
    z = parameters["Wya"] @ a_next + parameters["by"]
    e = anp.exp(z - anp.max(z))
    return a_next, e / anp.sum(e, axis=0)


PARAMETERS = (Input("Wax", ("n_a", "n_x"), scale=0.4, group="parameters"),
              Input("Waa", ("n_a", "n_a"), scale=0.4, group="parameters"),
              Input("Wya", ("n_y", "n_a"), group="parameters"),
              Input("ba", ("n_a", 1), group="parameters"),
              Input("by", ("n_y", 1), group="parameters"))

COURSE = Course(
    name="mini", title="an RNN cell in (features, batch) layout",
    dims={"n_x": "D", "n_a": "H", "n_y": "M", "m": "N"},
    support=("mini_utils.py",), preamble="from mini_utils import *",
    layers=(Layer(name="rnn_cell", forward="rnn_cell_forward", backward="rnn_cell_backward", oracle=rnn_cell,
                  inputs=(Input("xt", ("n_x", "m")), Input("a_prev", ("n_a", "m"))) + PARAMETERS,
                  outputs=("a_next", "yt_pred"), upstream=("da_next",), upstream_of=("a_next",),
                  differentiable=("xt", "a_prev", "Wax", "Waa", "ba"),
                  grad_names=("dxt", "da_prev", "dWax", "dWaa", "dba"), returns="dict"),))
