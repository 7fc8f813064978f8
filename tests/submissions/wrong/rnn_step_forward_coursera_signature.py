# bug: rnn_step_forward has the signature of the Coursera deep-learning notebook, (parameters, a_prev, x), not the assignment's (x, prev_h, Wx, Wh, b): it is named before anything runs, and rnn_forward, which calls it the assignment's way, raises TypeError
# expect-error: rnn_step_forward rnn_forward
# expect-skipped: rnn_step_backward rnn_backward
# message: rnn_step_forward: rnn_step_forward takes \(parameters, a_prev, x\); the assignment's is \(x, prev_h, Wx, Wh, b\)
# message: rnn_forward: rnn_step_forward's parameters differ from the assignment's
import numpy as np


def rnn_step_forward(parameters, a_prev, x):
    Wax, Waa, ba = parameters["Wax"], parameters["Waa"], parameters["ba"]
    a_next = np.tanh(np.dot(Wax, x) + np.dot(Waa, a_prev) + ba)
    cache = (a_next, a_prev, x, parameters)
    return a_next, cache
