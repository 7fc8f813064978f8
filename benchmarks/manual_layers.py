"""Manual section: manual/'s LSTM and GRU over their matrix products alone, and over PyTorch.

The "products alone" baseline performs exactly the matrix products the
manual forward+backward performs, on operands of the same shapes, and
nothing else: the floor for a pure-NumPy implementation of the same
algorithm. PyTorch (``torch.nn.LSTM``/``GRU``, float64, CPU) is timed when
it is importable; the column is left out otherwise (it is never a
dependency).

Targets (issue 10): manual at most 1.3x its products, and no slower than torch.
"""
import numpy as np

import manual

from .oracle import problem, round_trip
from .table import render
from .timing import medians

SHAPE = (64, 50, 128, 256)
TARGET = 1.3


def products(name, shape):
    """The manual layer's matrix products, forward then backward (LSTM: 4H gates, GRU: 3H)."""
    N, T, D, H = shape
    G = {"lstm": 4, "gru": 3}[name] * H
    rng = np.random.default_rng(0)
    x, Wx, Wh = rng.standard_normal((N * T, D)), rng.standard_normal((D, G)), rng.standard_normal((H, G))
    h, da = rng.standard_normal((N, H)), rng.standard_normal((N * T, G))
    h_prev = rng.standard_normal((N * T, H))
    step_da = da[:N]

    def lstm():
        x @ Wx                                   # projections of all steps
        for _ in range(T):
            h @ Wh                               # recurrent term
        for _ in range(T):
            step_da @ Wh.T                       # dprev_h
        da @ Wx.T, x.T @ da, h_prev.T @ da       # dx, dWx, dWh

    def gru():
        x @ Wx
        for _ in range(T):
            h @ Wh[:, :2 * H], h @ Wh[:, 2 * H:]  # prev_h Wh_rz, reset_h Wh_n
        for _ in range(T):
            step_da[:, 2 * H:] @ Wh[:, 2 * H:].T, step_da[:, :2 * H] @ Wh[:, :2 * H].T
        da @ Wx.T, x.T @ da, h_prev.T @ da[:, :2 * H], h_prev.T @ da[:, 2 * H:]

    return {"lstm": lstm, "gru": gru}[name]


def torch_round_trip(name, shape, threads):
    """torch.nn.LSTM/GRU forward+backward in float64 on the CPU, or None without torch."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(threads)
    N, T, D, H = shape
    module = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[name](D, H, batch_first=True).double()
    x = torch.randn(N, T, D, dtype=torch.float64, requires_grad=True)
    h0 = torch.randn(1, N, H, dtype=torch.float64, requires_grad=True)
    dh = torch.randn(N, T, H, dtype=torch.float64)

    def run():
        module.zero_grad()
        state = (h0, torch.zeros_like(h0)) if name == "lstm" else h0
        h, _ = module(x, state)
        h.backward(dh)
    return run


def section(budget=1.0, threads=1):
    rows, have_torch = [], False
    for name in ("lstm", "gru"):
        layer, inputs, upstream = problem(name, SHAPE)
        candidates = {"manual": round_trip(manual, layer, inputs, upstream), "products": products(name, SHAPE)}
        torch_run = torch_round_trip(name, SHAPE, threads)
        if torch_run:
            candidates["torch"] = torch_run
            have_torch = True
        times = medians(candidates, repeat=max(3, int(11 * budget)))
        row = [name, times["manual"] * 1e3, times["products"] * 1e3, times["manual"] / times["products"]]
        if torch_run:
            row += [times["torch"] * 1e3, times["manual"] / times["torch"]]
        rows.append(row)
    header = ["layer", "manual ms", "products ms", "manual/products"]
    header += ["torch ms", "manual/torch"] if have_torch else []
    return render(f"Manual: forward+backward at N x T x D x H = {' x '.join(map(str, SHAPE))}",
                  header, rows,
                  notes=[f"target: manual/products <= {TARGET}, manual/torch <= 1"]
                  + ([] if have_torch else ["torch is not importable here: its columns are left out"]))
