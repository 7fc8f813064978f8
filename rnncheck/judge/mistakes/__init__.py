"""The catalogue of known mistakes, as data: one module per layer, each a tuple of ``Mistake``.

Each ``Mistake`` is a small, named change to one ``manual/`` layer that
students really make: exact text edits (every ``old`` occurs exactly once
in its module; a test enforces it).  ``judge.recognise`` runs them; adding
a mistake touches only the module of its layer.
"""
from . import activations, embedding, gru, lstm, orders, rnn, temporal
from .entry import Mistake

MISTAKES = activations.MISTAKES + rnn.MISTAKES + embedding.MISTAKES + lstm.MISTAKES + gru.MISTAKES \
    + orders.MISTAKES + temporal.MISTAKES
# The recurrent steps written out for structural substitutions (judge.substitutions).
DERIVATIONS = (rnn.DERIVATION, lstm.DERIVATION, gru.DERIVATION)
BY_FUNCTION = {}
for _mistake in MISTAKES:
    for _function in _mistake.functions:
        BY_FUNCTION.setdefault(_function, []).append(_mistake)


def mistakes_of(function):
    """The known mistakes that change ``function``'s results, in catalogue order."""
    return BY_FUNCTION.get(function, [])

__all__ = ["Mistake", "MISTAKES", "BY_FUNCTION", "DERIVATIONS", "mistakes_of"]
