"""Counting the calls a backward makes to the submission's forwards: evidence of a numerical gradient.

The parent names the functions to count (its catalogue's forwards, in the
``count_calls`` field of a backward request).  While the backward runs, and
only then, a profile hook counts the calls of their code objects, however
they are reached (by name, through an alias, a lambda or another forward);
the counts go back in the reply header (``forward_calls``) and are judged in
the parent (``rnncheck.judge.numeric``).  The hook costs a correct backward
about 15% of its own time (0.08 ms for a 24-step ``lstm_backward``).

A submission can switch the hook off (``sys.setprofile(None)``) or forge the
count: it is evidence against a backward that was never derived, not proof
against a determined author, and the parent's accuracy evidence does not
depend on it.
"""
import sys

_setprofile, _getprofile = sys.setprofile, sys.getprofile
_FunctionType = type(lambda: None)


class Counted:
    """Context manager: ``counts`` ({name: calls}, names called at least once) of ``names`` in ``namespace``.

    Only plain Python functions are watched (``type(value) is function``: no
    attribute of a submission's object is read, so none of its code runs).
    """

    def __init__(self, namespace, names):
        self.codes = {}  # id of a watched code object -> its catalogue name
        self.kept = []  # the code objects, kept alive while their ids are keys
        for name in names:
            value = namespace.get(name) if type(name) is str else None
            if type(value) is _FunctionType:
                self.kept.append(value.__code__)
                self.codes[id(value.__code__)] = name
        self.counts, self.previous = {}, None

    def __enter__(self):
        if self.codes:
            codes, counts = self.codes, self.counts

            def profile(frame, event, arg):
                if event == "call":
                    name = codes.get(id(frame.f_code))
                    if name is not None:
                        counts[name] = counts.get(name, 0) + 1

            self.previous = _getprofile()
            _setprofile(profile)
        return self

    def __exit__(self, *exc):
        if self.codes:
            _setprofile(self.previous)
        return False
