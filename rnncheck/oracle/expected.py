"""What the oracle says for one generated case, computed once per (seed, course, layer, case).

Every submission of a batch is checked on the same cases, and the reference
outputs and gradients of a case depend only on ``(seed, course, layer, case index)``,
so they are computed the first time a submission needs them and shared by
the others.  The arrays are made read-only: one check can never change what
the next is compared with.

autograd traces through module-level state, so reference computations are
serialised by one lock (they take milliseconds; the checks themselves wait
on worker processes).  The memory is bounded: a few kilobytes per case, at
most ``KEPT`` cases (about ten seeds' worth), oldest dropped first.

Where it can, the oracle process (``rnncheck.oracle.client``) computes them instead,
ahead of need (``prefetch``): a case it was asked for is waited for, not
computed twice; what it does not deliver is computed here.
"""
import importlib
import sys
import threading
from collections import OrderedDict


from .answers import compute, frozen
from .cases import case_rng, cases_for, make_inputs

KEPT = 512
PATIENCE = 60  # seconds to wait for a case the oracle process promised before computing it here
_lock = threading.Lock()
_arrived = threading.Condition(_lock)
_memo = OrderedDict()
_promised = set()  # keys the oracle process was asked for and has not delivered
computed = 0  # how many cases were computed (not served from memory), here or by the oracle process


def expected(seed, layer, case_index):
    """The :class:`Expected` of case ``case_index`` of ``layer`` under ``seed`` (memoised)."""
    global computed
    key = (seed, layer.course, layer.name, case_index)
    with _lock:
        if key in _promised and not _arrived.wait_for(lambda: key not in _promised, PATIENCE):
            _promised.discard(key)
        if key in _memo:
            _memo.move_to_end(key)
            return _memo[key]
        result = compute(seed, layer, case_index)
        computed += 1
        _remember(key, result)
        return result


def prefetch(seed, layers):
    """Have the oracle process compute every case of ``layers`` under ``seed`` now, ahead of the check.

    Without an oracle process, the reference is imported on a thread
    instead, while the worker starts.
    """
    from . import client as oracle
    oracle.attach(_delivered, _abandoned)
    with _lock:
        keys = [(seed, layer.course, layer.name, i) for layer in layers for i in range(len(cases_for(layer)))]
        missing = [key for key in keys if key not in _memo and key not in _promised]
        wanted = [layer for layer in layers if any(key[1:3] == (layer.course, layer.name) for key in missing)]
        if wanted and oracle.ask(seed, wanted):
            _promised.update(missing)
            return
    if wanted and "autograd" not in sys.modules:
        threading.Thread(target=_import_oracle, args=(wanted,), name="import-reference").start()


def _import_oracle(layers):
    """Import autograd and the layers' oracle graphs (on a thread, while the worker starts)."""
    importlib.import_module("autograd")
    for layer in layers:
        layer.graph()


def _delivered(key, result):
    global computed
    with _lock:
        if key in _promised:
            _promised.discard(key)
            computed += 1
            _remember(key, result)
            _arrived.notify_all()


def _abandoned():
    """The oracle process ended: what it still owed is computed here."""
    with _lock:
        _promised.clear()
        _arrived.notify_all()


def _remember(key, result):
    _memo[key] = result
    while len(_memo) > KEPT:
        _memo.popitem(last=False)


def drawn_inputs(seed, layer, case_index):
    """The forward inputs of the case alone (no reference run): the ``inputs`` its :class:`Expected` will hold.

    Drawing them is cheap, so a forward's cases can be sent to the worker
    before the oracle has run on them.
    """
    with _lock:
        known = _memo.get((seed, layer.course, layer.name, case_index))
    if known is not None:
        return known.inputs
    case = cases_for(layer)[case_index]
    return tuple(frozen(a) for a in make_inputs(layer, case, case_rng(seed, layer, case_index)))


def forget():
    """Drop everything remembered (tests use it to count computations from zero)."""
    global computed
    with _lock:
        _memo.clear()
        _promised.clear()
        computed = 0
