"""The Python API: ``rnncheck.check(globals())`` in a notebook, ``rnncheck.check("rnn_layers.py")``.

A namespace is turned into source text (``harvest``) and checked exactly
like a file: in the confined worker, by ``verify.check_source``.  The
answer is a ``Report``: the verdict dict of DESIGN.md with a text view
(``print``), an HTML view (Jupyter shows ``_repr_html_``) and JSON.
"""
import fnmatch
import os
import secrets
import types

from . import htmlreport, report
from .catalogue import FUNCTIONS
from .cli import _size, candidates
from .harvest import harvest
from .loader import from_bytes, load
from .sandbox import BLOCKED, Limits
from .verify import check_source


class Report:
    """One submission's verdict.

    - ``passed``: every checked function passed.
    - ``functions``: name -> the function's verdict (``status``, ``message``,
      ``error``, ``cases``...); ``report["lstm_backward"]`` is one of them.
    - ``failing``: names of the functions that did not pass.
    - ``verdict``: the whole verdict dict (the JSON contract).
    """

    def __init__(self, verdict):
        self.verdict = verdict

    @property
    def passed(self):
        return self.verdict["passed"]

    @property
    def seed(self):
        return self.verdict["seed"]

    @property
    def functions(self):
        return {function["name"]: function for function in self.verdict["functions"]}

    @property
    def failing(self):
        return [f["name"] for f in self.verdict["functions"] if f["status"] != "pass"]

    def __getitem__(self, name):
        return self.functions[name]

    def __contains__(self, name):
        return name in self.functions

    def to_json(self):
        """The verdict as one line of JSON (the same as ``rnncheck --format json``)."""
        return report.as_json(self.verdict)

    def to_html(self):
        """A complete, self-contained HTML page (the same as ``rnncheck --format html``)."""
        return htmlreport.page(self.verdict)

    def save_html(self, path):
        """Write ``to_html()`` to ``path``; returns the path."""
        return htmlreport.write([self.verdict], path, batch=False)[0]

    def __str__(self):
        return report.as_text(self.verdict)

    __repr__ = __str__

    def _repr_html_(self):
        return htmlreport.fragment(self.verdict)


def check(target, functions=None, seed=None, timeout=None, load_timeout=None, memory=None,
          max_output=None, allow_import=()):
    """Check a namespace (``globals()``, a module) or a file; a ``Report`` (a list of them for a folder).

    Options are the CLI's: ``functions`` globs (a list or "rnn_*,lstm_*";
    they become required), ``seed`` (random when None; the report shows it),
    ``timeout`` and ``load_timeout`` in seconds, ``memory`` and
    ``max_output`` in bytes or as "2G", ``allow_import`` module names.
    """
    patterns = _patterns(functions)
    if seed is None:
        seed = secrets.randbelow(2 ** 31)
    defaults = Limits()
    limits = Limits(call_seconds=timeout or defaults.call_seconds,
                    load_seconds=load_timeout or defaults.load_seconds,
                    memory_bytes=_size(str(memory)) if memory else defaults.memory_bytes,
                    output_bytes=_size(str(max_output)) if max_output else defaults.output_bytes)
    allowed = [allow_import] if isinstance(allow_import, str) else list(allow_import)
    blocked = tuple(b for b in BLOCKED if b not in allowed)
    if isinstance(target, (str, os.PathLike)):
        paths = candidates([os.fspath(target)])
        reports = [Report(check_source(load(path), seed, patterns, limits, blocked)) for path in paths]
        return reports if os.path.isdir(target) else reports[0]
    namespace = vars(target) if isinstance(target, types.ModuleType) else target
    if not isinstance(namespace, dict):
        raise TypeError(f"rnncheck.check takes globals(), a module or a path, not {type(target).__name__}")
    gathered = harvest(namespace)
    source = from_bytes(gathered.text.encode("utf-8"), "<namespace>.py")
    source.path, source.origins = _name_of(namespace), gathered.origins
    verdict = check_source(source, seed, patterns, limits, blocked)
    verdict["warnings"] = gathered.notes + verdict["warnings"]
    return Report(verdict)


def _patterns(functions):
    """Glob list from "a,b" or ["a", "b"]; ValueError for a glob that matches no catalogue function."""
    groups = [functions] if isinstance(functions, str) else list(functions or [])
    patterns = [g.strip() for group in groups for g in group.split(",") if g.strip()]
    unknown = [p for p in patterns if not fnmatch.filter(FUNCTIONS, p)]
    if unknown:
        raise ValueError(f"functions={', '.join(unknown)} matches no catalogue function "
                         f"(known: {', '.join(FUNCTIONS)})")
    return patterns


def _name_of(namespace):
    """What the report calls a namespace: the notebook's path when Jupyter tells it, else the module's."""
    for path in (namespace.get("__vsc_ipynb_file__"), os.environ.get("JPY_SESSION_NAME")):
        if isinstance(path, str) and path.endswith(".ipynb"):
            return path
    if "_ih" in namespace or "In" in namespace:
        return "notebook"
    return str(namespace.get("__file__") or namespace.get("__name__") or "namespace")
