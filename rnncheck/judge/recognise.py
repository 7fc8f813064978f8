"""Recognising known mistakes: the catalogue's edits of ``manual/`` run on a failing function's inputs.

Each ``Mistake`` (``judge.mistakes``, one module per layer) is a list of
exact text edits to one ``manual/`` module.  The edited
module is executed in a fresh namespace of the parent: it is our own,
trusted code, never the candidate's.  Reading ``manual``'s source text here
is the one place rnncheck touches ``manual`` (DESIGN.md: the verifier never
imports it); the modules a mistaken module imports are executed from their
unedited text the same way.

When a candidate function fails, ``recognise`` runs that function's
mistakes on the same case inputs (and upstream gradients) and names the one
whose results the candidate reproduces on every case it returned arrays
for.  A mistake only counts where it is visible (its results differ from the
reference), so a correct function can never be told it made one.
"""
import builtins
import dataclasses
import fnmatch
import functools
import os
import re
import threading
import types
import warnings
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from . import redefine, substitutions
from .compare import matches, relative_error

MANUAL = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "manual")  # rnncheck/manual
MANUAL_COURSE = "cs231n"  # the course manual/ implements: its layers are the ones the mistakes edit
VISIBLE = 1e-3  # a mistake's results differ from the reference by more than this where it shows
from .. import courses
from .mistakes import mistakes_of


class EditError(Exception):
    """A mistake's ``old`` text does not occur exactly once in its module."""


# ---------------------------------------------------------------- building mistaken modules

@functools.lru_cache(maxsize=None)
def manual_source(module):
    """The text of manual/<module>.py."""
    with open(os.path.join(MANUAL, f"{module}.py"), encoding="utf-8") as handle:
        return handle.read()


def edited_source(mistake):
    """manual/<module>.py with the mistake's edits applied; EditError if one does not fit."""
    text = manual_source(mistake.module)
    for old, new in mistake.edits:
        count = text.count(old)
        if count != 1:
            raise EditError(f"{mistake.id}: {old!r} occurs {count} times in manual/{mistake.module}.py")
        text = text.replace(old, new)
    return text


@functools.lru_cache(maxsize=None)
def _clean_module(module):
    return _execute(module, manual_source(module), "")


@functools.lru_cache(maxsize=None)
def namespace(mistake):
    """The functions of manual/<module>.py with the mistake made (cached per mistake).

    Only the definitions the mistake edits are compiled anew where ``redefine`` can
    vouch for the result; otherwise the whole edited module is executed.
    """
    text, what = edited_source(mistake), f" with mistake {mistake.id}"
    scope = redefine.edited_namespace(vars(_clean_module(mistake.module)), manual_source(mistake.module),
                                      mistake.edits, text, f"<manual/{mistake.module}.py{what}>")
    return vars(_execute(mistake.module, text, what)) if scope is None else scope


def as_submission(mistake):
    """A whole submission that makes ``mistake``: manual, with the mistaken module's definitions after it.

    Checking it needs ``--allow-import rnncheck``; for demonstrations and end-to-end tests.
    """
    text = edited_source(mistake).replace("from .", "from rnncheck.manual.")
    return f"from rnncheck.manual import *  # noqa\n\n{text}"


def _relative_import(name, globals=None, locals=None, fromlist=(), level=0):
    """``from .temporal import x`` inside an executed manual module: its unedited sibling."""
    if level == 1 and name:
        return _clean_module(name)
    return builtins.__import__(name, globals, locals, fromlist, level)


def _execute(module, text, what):
    scope = types.ModuleType(f"manual_text.{module}")
    scope.__builtins__ = dict(vars(builtins), __import__=_relative_import)
    exec(compile(text, f"<manual/{module}.py{what}>", "exec"), vars(scope))
    return scope


# ---------------------------------------------------------------- recognising one

@dataclass
class Trial:
    """One case as the candidate saw it: inputs, upstream (backward only), what came back.

    - got: one entry per output or gradient: an array, or None when it was not one
      (or the call failed); ``expected``: the reference's values.
    - failed: the candidate failed this case.
    - outputs: the reference forward's outputs on ``inputs``.
    """
    inputs: list
    upstream: list
    got: list
    expected: list
    failed: bool
    outputs: list = ()


def results(mistake, layer, backward, inputs, upstream):
    """What the mistaken ``manual`` gives on these inputs: forward outputs, or backward gradients."""
    functions = namespace(mistake)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        returned = functions[layer.forward](*[np.copy(a) for a in inputs])
        if backward:
            returned = functions[layer.backward](*[np.copy(a) for a in upstream], returned[-1])
        elif layer.backward:
            returned = returned[:-1]
    returned = list(returned) if isinstance(returned, tuple) else [returned]
    return [np.asarray(value, dtype=np.float64) for value in returned]


def recognise(function, layer, backward, trials, recognised=()):
    """The known mistake of ``function`` the candidate's results reproduce, or None.

    A mistake is recognised when, on every trial where the candidate
    returned arrays, the mistake gives the same shapes and values (within
    the comparison's tolerance, non-finite where the candidate's are), and
    it is visible (differs from the reference) on a trial the candidate
    failed.  When several do (a step's mistake and a sequence loop's can give
    the same sequence gradients), one already ``recognised`` in another
    function wins, then one made in this function itself, then catalogue order.

    Mistakes are tried in that order and the first that fits is the answer;
    each is tried on the candidate's failed trials first, smallest first, and
    dropped at the first trial it does not reproduce.  What a mistake gives on
    a trial's inputs is remembered (``remembered``): the submissions of a batch
    share their cases.
    """
    comparable = sorted((t for t in trials if all(g is not None for g in t.got)),
                        key=lambda t: (not t.failed, sum(np.size(a) for a in t.inputs)))
    base = _base(layer)
    if base is None or not any(t.failed for t in comparable):
        return None
    keys = [_inputs_key(t) for t in comparable]
    own = base.backward if backward else base.forward
    skip = layer.relayout.skip if layer.relayout else ()
    ranked = sorted((m for m in mistakes_of(own) if not any(fnmatch.fnmatchcase(m.id, p) for p in skip)),
                    key=lambda m: (m.id not in recognised, m.functions[0] != own))
    found = next((m for m in ranked if _reproduces(m, layer, backward, comparable, keys)), None)
    if found is None and layer.course == MANUAL_COURSE:  # not one edit of manual/: a substitution (its own layout)
        found = substitutions.recognise(function, comparable, _agree, _differs, recognised)
    return found and _in_terms(found, layer)


def _base(layer):
    """The built-in layer whose ``manual/`` code the known mistakes edit: the layer itself, its relayout's, or None."""
    if layer.course == MANUAL_COURSE:
        return layer
    if layer.relayout is None:
        return None
    return next(base for base in courses.load(layer.relayout.course).layers if base.name == layer.relayout.layer)


def _in_terms(mistake, layer):
    """The mistake worded in the layer's course's terms (``dprev_c`` -> ``dc_prev``)."""
    if layer.course == MANUAL_COURSE:
        return mistake
    words = {**courses.load(layer.course).words, **(layer.relayout.words if layer.relayout else {})}
    if not words:
        return mistake
    # longest first; a term is not part of a longer name (``h`` is not the h of ``dh``), and may be a phrase
    pattern = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, sorted(words, key=len, reverse=True))) + r")(?!\w)")
    say = functools.partial(pattern.sub, lambda match: words[match.group(1)])
    return dataclasses.replace(mistake, title=say(mistake.title), hint=say(mistake.hint))


def _reproduces(mistake, layer, backward, trials, keys):
    visible = False
    for trial, key in zip(trials, keys):
        theirs = remembered(mistake, layer, backward, trial, key)
        if theirs is None or len(theirs) != len(trial.got) or not all(map(_agree, trial.got, theirs)):
            return False
        visible = visible or trial.failed and any(map(_differs, theirs, trial.expected))
    return visible


KEPT = 4096  # remembered results: about a kilobyte each at the cases' sizes
_remembered = OrderedDict()
_lock = threading.Lock()  # the memory, and catch_warnings in results(), which changes process-wide filters


def remembered(mistake, layer, backward, trial, key=None):
    """``results`` of ``mistake`` on the trial's inputs (read-only arrays), or None where the mistaken code raises.

    Computed once per (mistake, function, inputs and upstream values) and
    kept (at most ``KEPT``, the oldest dropped first); ``key`` is
    ``_inputs_key(trial)`` when the caller has it already.
    """
    key = (mistake, layer.course, layer.name, backward, _inputs_key(trial) if key is None else key)
    with _lock:
        if key in _remembered:
            _remembered.move_to_end(key)
            return _remembered[key]
        try:
            found = [_read_only(a) for a in _results_here(mistake, layer, backward, trial)]
        except Exception:  # the mistaken code fails here
            found = None
        _remembered[key] = found
        while len(_remembered) > KEPT:
            _remembered.popitem(last=False)
        return found


def _results_here(mistake, layer, backward, trial):
    """``results`` on the built-in layer, carried back into the layer's own layout when it is a relayout."""
    if layer.course == MANUAL_COURSE:
        return results(mistake, layer, backward, trial.inputs, trial.upstream)
    move, base = layer.relayout, _base(layer)
    theirs = results(mistake, base, backward, move.inputs(list(trial.inputs)),
                     move.upstream(list(trial.upstream), list(trial.inputs)) if backward else [])
    mine = (move.grads if backward else move.outputs)(theirs, list(trial.inputs))
    return [np.asarray(value, dtype=np.float64) for value in mine]


def _inputs_key(trial):
    """The trial's inputs and upstream gradients, by value: a 128-bit digest of their dtypes, shapes and bytes."""
    import hashlib  # only once a function fails: importing it (OpenSSL) costs a check that passes ~3 ms
    digest = hashlib.blake2b(digest_size=16)
    for array in map(np.asarray, [*trial.inputs, *trial.upstream]):
        digest.update(f"{array.dtype.str}{array.shape};".encode())
        digest.update(np.ascontiguousarray(array).data)
    return digest.digest()


def _read_only(array):
    array.flags.writeable = False
    return array


def _agree(got, theirs):
    """The candidate's array equals the mistake's: values within tolerance, or non-finite where the mistake's are.

    An overflow gives inf or NaN in different places in different code, so any non-finite
    value in both counts as the same.
    """
    if got.size != theirs.size or got.dtype.kind not in "fiu":
        return False
    finite_got, finite_theirs = np.isfinite(got).all(), np.isfinite(theirs).all()
    if not (finite_got and finite_theirs):
        return not finite_got and not finite_theirs and (got.shape == theirs.shape or got.size == 1)
    return matches(got, theirs)


def _differs(theirs, expected):
    expected = np.asarray(expected, dtype=np.float64)
    if theirs.shape != expected.shape or not np.isfinite(theirs).all():
        return True
    return relative_error(theirs, expected) > VISIBLE
