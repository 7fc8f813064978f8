# A correct solution of the mini course; softmax is the course's (its preamble), not defined here.
import numpy as np


def rnn_cell_forward(xt, a_prev, parameters):
    Wax, Waa, Wya, ba, by = (parameters[k] for k in ("Wax", "Waa", "Wya", "ba", "by"))
    a_next = np.tanh(Wax @ xt + Waa @ a_prev + ba)
    return a_next, softmax(Wya @ a_next + by), (a_next, a_prev, xt, parameters)  # noqa: F821


def rnn_cell_backward(da_next, cache):
    a_next, a_prev, xt, parameters = cache
    dtanh = (1 - a_next ** 2) * da_next
    return {"dxt": parameters["Wax"].T @ dtanh, "da_prev": parameters["Waa"].T @ dtanh,
            "dWax": dtanh @ xt.T, "dWaa": dtanh @ a_prev.T, "dba": dtanh.sum(axis=1, keepdims=True)}
