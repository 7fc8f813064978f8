"""The mistakes of a recurrent sequence backward, the same for the RNN, the LSTM and the GRU."""
from .entry import mistake


# The sequence loops of rnn.py, lstm.py and gru.py, as each module writes them, and how each
# module would compute a weight gradient from step 0 alone (all three run time-major, da (T, N, H),
# (T, N, 4H) or (T, N, 3H)).
_STEP0_TIME_MAJOR = dict(
    dWx="    _, dWx, _ = temporal_affine_backward(da[:1], projection._replace(x=projection.x[:1]))\n",
    db="    db = da[0].sum(axis=0)\n")
_LOOPS = {
    "rnn": dict(call="_step_backward(dh[:, t] + dprev_h, steps[t], Wh, da[t])",
                weights="    dWh = h_prev.T @ da.reshape(T * N, H)\n",
                step0=dict(_STEP0_TIME_MAJOR, dWh="    dWh = steps[0].prev_h.T @ da[0]\n")),
    "lstm": dict(call="_step_backward(dh[:, t] + dprev_h, dprev_c, steps[t], Wh, da[t])",
                 weights="    dWh = h_prev.T @ da.reshape(T * N, 4 * H)\n",
                 step0=dict(_STEP0_TIME_MAJOR, dWh="    dWh = steps[0].prev_h.T @ da[0]\n")),
    "gru": dict(call="_step_backward(dh[:, t] + dprev_h, steps[t], Wh, da[t])",
                weights="    dWh = _weight_gradient_h(h_prev, reset_h, da.reshape(T * N, 3 * H))\n",
                step0=dict(_STEP0_TIME_MAJOR,
                           dWh="    dWh = _weight_gradient_h(steps[0].prev_h, steps[0].reset_h, da[0])\n")),
}


def sequence_mistakes(layer):
    """The mistakes of a recurrent sequence backward, the same for RNN, LSTM and GRU."""
    loop, backward = _LOOPS[layer], f"{layer}_backward"
    call = loop["call"]
    found = [
        mistake(f"{layer}_backward_no_dprev_h", backward,
           "the gradient from the next time step is not carried back: step t gets only dh[:, t]",
           "h[:, t] also feeds step t + 1: give step t the sum dh[:, t] + dprev_h, where dprev_h comes back "
           "from step t + 1", layer,
           (call, call.replace("dh[:, t] + dprev_h", "dh[:, t]"))),
        mistake(f"{layer}_backward_upstream_last_step_only", backward,
           "the upstream gradient dh is used at the last time step only",
           "every hidden state h[:, t] feeds the loss: add dh[:, t] at every step t, not only at t = T - 1",
           layer, (call, call.replace("dh[:, t] + dprev_h", "(dh[:, t] if t == T - 1 else 0) + dprev_h"))),
        mistake(f"{layer}_backward_forward_in_time", backward,
           "the backward walks forward in time (t = 0, 1, ...) instead of from T - 1 down to 0",
           "loop over reversed(range(T)): step t needs the gradient coming back from step t + 1 first",
           layer, ("    for t in reversed(range(T)):\n", "    for t in range(T):\n")),
    ]
    step0 = loop["step0"]
    for grads in (("dWx",), ("dWh",), ("db",), ("dWx", "dWh", "db")):
        listed = ", ".join(grads)
        suffix = "weights" if len(grads) == 3 else grads[0]
        found.append(mistake(
            f"{layer}_backward_{suffix}_overwritten", backward,
            f"{listed} {'is' if len(grads) == 1 else 'are'} overwritten at every step instead of accumulated "
            "(only step 0 remains)",
            f"the weights are shared by all steps: initialise {listed} to zeros before the loop and add each "
            f"step's gradient ({grads[0]} += ...)", layer,
            (loop["weights"], loop["weights"] + "".join(step0[g] for g in grads))))
    return found
