"""One known mistake: a named set of exact text edits to one manual/ module."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Mistake:
    """One known mistake.

    - id: stable identifier (JSON ``mistake.id``), ``<layer>_<what>``.
    - functions: catalogue functions whose results it changes (the one it is
      made in first; sequence functions that share the step's code follow).
    - title: what the student did, one phrase.
    - hint: what to change, one sentence a student can act on.
    - module: the ``manual/`` module it edits (``"lstm"`` is manual/lstm.py).
    - edits: ``((old, new), ...)`` exact text replacements.
    """
    id: str
    functions: tuple
    title: str
    hint: str
    module: str
    edits: tuple

    def as_json(self):
        return {"id": self.id, "title": self.title, "hint": self.hint}


def mistake(id, functions, title, hint, module, *edits):
    """A ``Mistake``; ``functions`` is one space-separated string."""
    return Mistake(id, tuple(functions.split()), title, hint, module, tuple(edits))
