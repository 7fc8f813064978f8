"""A layer's step and its backward, written out line by line, for structural substitutions.

The catalogue's ``Mistake`` is one exact edit of ``manual/``. Many backward
mistakes are not one edit of our layers but one *structural* change of the
derivation: a weight or activation swapped for its sibling (``dx`` through
``Wh``), a derivative taken at the wrong quantity (``1 - next_c ** 2``
where ``tanh(next_c)`` belongs), one term or factor of a gradient missing.
A ``Derivation`` declares, per layer, the step's forward and backward as
plain NumPy lines and which names have siblings or wrong quantities;
``judge.substitutions`` makes every such change generically, one at a
time, and runs it (the step alone, and the sequence that loops over it).
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    """One line of the backward: ``target = expression``; ``why`` is the forward statement it undoes."""
    target: str
    expression: str
    why: str


@dataclass(frozen=True)
class Derivation:
    """One recurrent layer's step, forward and backward, and the substitutions that make sense in it.

    - layer: id prefix of its substitutions (``"rnn"``); ``step``: the step's name in titles.
    - functions: the step backward and the sequence backward it explains (catalogue names).
    - inputs: the step forward's inputs, in the catalogue's order; ``upstream``: its upstream gradients.
    - forward: NumPy statements computing every quantity the backward reads from ``inputs``.
    - backward: ``Line`` s, in order; ``grads``: the step backward's results, in order.
    - states: recurrent states (``"h"``, ``"c"``): the step reads ``prev_<s>`` and makes ``next_<s>``,
      its backward reads ``dnext_<s>`` and makes ``dprev_<s>``. The sequence starts the first from
      ``h0`` and any other at zero, and feeds the sequence's upstream ``dh[:, t]`` to the first.
    - siblings: groups of names one is easily written for another (``("Wx", "Wh")``).
    - quantities: ``((name, targets, ((wrong expression, what taking it means), ...)), ...)``: a derivative
      taken at the wrong quantity in the lines of ``targets`` (space-separated); the occurrences of
      ``name`` in such a line are replaced one at a time and all at once.
    """
    layer: str
    step: str
    functions: tuple
    inputs: tuple
    upstream: tuple
    forward: str
    backward: tuple
    grads: tuple
    states: tuple
    siblings: tuple = ()
    quantities: tuple = ()


def lines(*triples):
    """``Line`` s from ``(target, expression, why)`` triples."""
    return tuple(Line(*triple) for triple in triples)
