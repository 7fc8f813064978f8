"""What the worker puts between a submission and itself: refused imports, module attributes put back.

Bound at import, before any submission runs (as in ``serve``).
"""
import builtins
import operator
import sys

__builtins__ = dict(vars(builtins))  # functions below keep this snapshot

_ModuleType, _MISSING = type(sys), object()
_is, _itemgetter = operator.is_, operator.itemgetter


class ImportBlocker:
    """Meta-path finder refusing the modules a submission may not use."""

    def __init__(self, blocked):
        self.blocked = frozenset(blocked)

    def find_spec(self, name, path=None, target=None):
        root = name.partition(".")[0]
        if root in self.blocked:
            raise ImportError(f"importing {root!r} is not allowed in a submission "
                              f"(rnncheck --allow-import {root} lifts this)", name=name)
        return None


class ModuleAttributes:
    """The attributes of every imported module, to put back after a call.

    A call that rebinds or deletes ``np.max``, ``builtins.max``,
    ``json.dumps`` or ``sys.stdout`` changes them only for itself: the next
    call finds them as they were.  Attributes a call adds (a lazily imported
    submodule) are left alone, and so is the submission's own namespace.

    The snapshot is kept from call to call (``restore`` makes it true again)
    and taken anew only for modules that are new or changed size, or after a
    top-level statement ran (``forget``): a copy of some 10,000 attributes
    per call was most of a small call's cost.  Checking that nothing changed
    is done by C loops (``map``, ``operator.is_``), never by ``==``, which
    would run a submission's ``__eq__``.  Even so, checking every module
    costs about 0.6 ms: between the cases of one function only builtins and
    the modules its namespace names (``np``) are checked, and every module
    after its last case, before another function runs.
    """

    def __init__(self):
        self.saved = {}  # id(module's dict) -> (the dict, its keys, its values)

    def snapshot(self):
        """Save the attributes of modules imported, grown or shrunk since the last snapshot."""
        for module in list(sys.modules.values()):
            if isinstance(module, _ModuleType):
                live = vars(module)
                entry = self.saved.get(id(live))
                if entry is None or entry[0] is not live or len(entry[1]) != len(live):
                    keys = tuple(live)
                    current = _itemgetter(*keys) if len(keys) > 1 else None  # a tuple of values, in C
                    self.saved[id(live)] = (live, keys, tuple(live.values()), current)

    def restore(self, namespace=None):
        """Put back what changed: in every saved module, or only in builtins and the modules ``namespace`` holds."""
        entries = self.saved.values()
        if namespace is not None:
            named = [_module_dict(value) for value in list(namespace.values())] + [vars(builtins)]
            entries = [self.saved[id(live)] for live in named if live is not None and id(live) in self.saved]
        for live, keys, values, current in entries:
            if not _unchanged(live, values, current):
                for key, value in zip(keys, values):
                    if live.get(key, _MISSING) is not value:
                        live[key] = value

    def forget(self):
        """Top-level statements may rebind module attributes for good: snapshot everything anew."""
        self.saved.clear()


def _module_dict(value):
    """The attribute dict of a plain module (no code of the submission runs), else None."""
    return _ModuleType.__dict__["__dict__"].__get__(value) if type(value) is _ModuleType else None


def _unchanged(live, values, current):
    """Every saved attribute still there and still the same object (C loops, no ``==``)."""
    if current is None:  # fewer than two attributes: the slow path is short
        return False
    try:
        found = current(live)
    except KeyError:  # one was deleted
        return False
    return all(map(_is, found, values))
