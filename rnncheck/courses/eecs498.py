"""Michigan EECS 498/598 "Deep Learning for Computer Vision": the recurrent assignment, written with PyTorch.

Two editions are in use: Fall 2020's A4 (``rnn_lstm_attention_captioning.py``)
and Winter 2022's A5 (``rnn_lstm_captioning.py``).  Both ask for CS231n's
RNN functions with CS231n's signatures, written on tensors, of which the
two backwards are derived by hand; everything else is a forward whose
gradients the course leaves to torch's autograd.  Checked here, as plain
functions (both editions unless marked):

- ``rnn_step_forward/backward``, ``rnn_forward/backward``: CS231n's, so
  CS231n's known mistakes are named for them too;
- ``temporal_softmax_loss(x, y, ignore_index=None)``: the loss only (no
  ``dx``), summed over the words that are not ``ignore_index`` and divided
  by N; the course always passes ``ignore_index`` (its ``<NULL>``, 0), so
  this check does too;
- ``dot_product_attention(prev_h, A)``: scaled by sqrt(H), over the 4x4
  positions of ``A``; returns ``attn, attn_weights``;
- Fall 2020 only: ``lstm_step_forward(x, prev_h, prev_c, Wx, Wh, b,
  attn=None, Wattn=None)`` (called with its attention arguments;
  ``lstm_forward`` calls it without), ``lstm_forward(x, h0, Wx, Wh, b)`` (``h``
  only, no cache) and ``attention_forward(x, A, Wx, Wh, Wattn, b)``.

Out of scope: classes (``WordEmbedding``, ``LSTM``, ``AttentionLSTM``,
``CaptioningRNN``: Winter 2022 writes its LSTM as their methods), which need
a module to be built and weights loaded, and the image encoders.

Inputs reach the functions as float64 tensors (ints int64, masks bool) and
their results come back as arrays (``worker.frameworks``).  A backward that
uses torch's autograd is an ``error`` (``load.autograd_use`` and the worker).
Fall 2020's file does ``from a4_helper import *`` and then uses ``F``: the
course's support file ``eecs498_support/a4_helper.py`` provides the names.
"""
from dataclasses import replace

from .course import Course, Input, Layer, Relayout
from .cs231n import COURSE as CS231N

REFERENCE = "rnncheck.reference"
NULL = 0  # the course's <NULL> word index, which the loss ignores
CUDA = (r"Torch not compiled with CUDA enabled|Found no NVIDIA driver|no CUDA GPUs are available"
        r"|CUDA driver|cuda runtime error|Expected all tensors to be on the same device")
HINTS = {CUDA: "it puts tensors on the GPU (device='cuda', .cuda(), .to('cuda')), which this machine does not "
               "have: create them on the inputs' device (torch.zeros_like(x), x.new_zeros(...), "
               "device=x.device) as the assignment asks"}


def _same(leaves, *_):
    return list(leaves)


def _theirs(theirs, leaves):
    return list(theirs)


SAME_AS_CS231N = {name: Relayout("cs231n", name, _same, _same, _theirs, _theirs) for name in ("rnn_step", "rnn")}


def _cs231n(name):
    """CS231n's entry, with its known mistakes (same layout) and the CUDA hint."""
    layer = next(layer for layer in CS231N.layers if layer.name == name)
    return replace(layer, relayout=SAME_AS_CS231N[name], hints=HINTS)


def _null_padded(inputs, layer, rng):
    """Captions padded with <NULL>: the second half of every caption is the ignored word."""
    x, y = (value.copy() for value in inputs)
    y[:, : y.shape[1] // 2] = rng.integers(1, x.shape[2], size=y[:, : y.shape[1] // 2].shape)
    y[:, y.shape[1] // 2:] = NULL
    return [x, y]


WEIGHTS = (Input("Wx", ("D", "4H"), scale=0.4), Input("Wh", ("H", "4H"), scale=0.4))
ATTENTION = Input("A", ("N", "H", 4, 4))

COURSE = Course(
    name="eecs498",
    title="EECS 498/598 Deep Learning for Computer Vision: RNN, LSTM and attention captioning (PyTorch)",
    framework="torch",
    recognise_by=("torch",),
    support=("eecs498_support/a4_helper.py",),
    layers=(
        _cs231n("rnn_step"),
        _cs231n("rnn"),
        Layer(name="temporal_softmax_loss", forward="temporal_softmax_loss",
              oracle=f"{REFERENCE}.eecs498:temporal_softmax_loss",
              inputs=(Input("x", ("N", "T", "V"), scale=2.0), Input("y", ("N", "T"), kind="label")),
              outputs=("loss",), given={"ignore_index": NULL}, keywords=("ignore_index=None",),
              stress=("null_padded", _null_padded), hints=HINTS),
        Layer(name="dot_product_attention", forward="dot_product_attention",
              oracle=f"{REFERENCE}.eecs498:dot_product_attention",
              inputs=(Input("prev_h", ("N", "H")), ATTENTION), outputs=("attn", "attn_weights"), hints=HINTS),
        Layer(name="lstm_step", forward="lstm_step_forward", oracle=f"{REFERENCE}.eecs498:lstm_step_attention",
              inputs=(Input("x", ("N", "D")), Input("prev_h", ("N", "H")), Input("prev_c", ("N", "H")),
                      *WEIGHTS, Input("b", ("4H",), scale=0.3), Input("attn", ("N", "H")),
                      Input("Wattn", ("H", "4H"), scale=0.4)),
              outputs=("next_h", "next_c"), required=False, hints=HINTS),
        Layer(name="lstm", forward="lstm_forward", oracle=f"{REFERENCE}.lstm:lstm",
              inputs=(Input("x", ("N", "T", "D")), Input("h0", ("N", "H")), *WEIGHTS,
                      Input("b", ("4H",), scale=0.3)),
              outputs=("h",), required=False, hints=HINTS),
        Layer(name="attention", forward="attention_forward", oracle=f"{REFERENCE}.eecs498:attention_lstm",
              inputs=(Input("x", ("N", "T", "D")), ATTENTION, *WEIGHTS, Input("Wattn", ("H", "4H"), scale=0.4),
                      Input("b", ("4H",), scale=0.3)),
              outputs=("h",), required=False, hints=HINTS),
    ),
)
