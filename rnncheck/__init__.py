"""rnncheck: check hand-derived RNN/LSTM/GRU backward passes against autograd.

Kept free of imports: the worker process imports ``rnncheck.worker.serve`` and must
not pull in the reference or autograd.  ``check`` imports what it needs when
it is called.
"""
__version__ = "0.1.0"


def check(target=None, **options):
    """Check the catalogue functions of a namespace or a file; returns a ``rnncheck.front.api.Report``.

    ``rnncheck.check(globals())`` in a notebook (or ``rnncheck.check()``: the
    caller's globals), ``rnncheck.check("rnn_layers.py")`` for a file.  Options
    are the command line's: ``functions``, ``seed``, ``timeout``,
    ``load_timeout``, ``memory``, ``max_output``, ``allow_import``.
    """
    from .front.api import check as check_target
    if target is None:
        import sys
        target = sys._getframe(1).f_globals
    return check_target(target, **options)
