"""The Python API: ``rnncheck.check(globals())`` in a notebook, ``rnncheck.check("rnn_layers.py")``.

A namespace is turned into source text (``harvest``) and checked exactly
like a file: in the confined worker, by ``verify.check_source``.  The
answer is a ``Report``: the verdict dict of DESIGN.md with a text view
(``print``), an HTML view (Jupyter shows ``_repr_html_``) and JSON.
The HTML reporter and ``harvest`` are imported when first used.
"""
import os
import secrets
import types

from ..views import report
from . import batch
from .config import ConfigError, resolve, size
from ..load.loader import UnreadableSubmission, from_bytes, load
from ..load.paths import candidates
from ..judge.verify import check_source


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
        from ..views import html as htmlreport
        return htmlreport.page(self.verdict)

    def save_html(self, path):
        """Write ``to_html()`` to ``path``; returns the path."""
        from ..views import html as htmlreport
        return htmlreport.write([self.verdict], path, batch=False)[0]

    def __str__(self):
        return report.as_text(self.verdict)

    __repr__ = __str__

    def _repr_html_(self):
        from ..views import html as htmlreport
        return htmlreport.fragment(self.verdict)


def check(target, functions=None, seed=None, timeout=None, load_timeout=None, memory=None,
          max_output=None, scratch=None, tasks=None, allow_import=(), config=None, course=None):
    """Check a namespace (``globals()``, a module) or a file; a ``Report`` (a list of them for a folder).

    Options are the CLI's: ``functions`` globs (a list or "rnn_*,lstm_*";
    they become required), ``seed`` (random when None; the report shows it),
    ``timeout`` and ``load_timeout`` in seconds, ``memory`` and
    ``max_output`` in bytes or as "2G", ``scratch`` (what a worker may
    write) likewise, ``tasks`` the threads a worker may run at once (2 or
    more), ``allow_import`` module names,
    ``course`` a built-in course's name or a course file (default: the
    configuration's, else the course the functions fit), ``config`` a
    pyproject.toml (by default the course configuration is
    looked for from the current directory upwards, as the CLI does).
    A folder of several files is a batch: no submission may read another's.
    A bad option or configuration raises ValueError.
    """
    if tasks is not None and not (isinstance(tasks, int) and not isinstance(tasks, bool) and tasks >= 2):
        raise ValueError(f"tasks must be a whole number of at least 2, not {tasks!r}")
    groups = [functions] if isinstance(functions, str) else list(functions or [])
    flags = {"functions": [g.strip() for group in groups for g in group.split(",") if g.strip()],
             "seed": seed, "timeout": timeout, "load_timeout": load_timeout,
             "memory": size(memory) if memory else None, "max_output": size(max_output) if max_output else None,
             "scratch": size(scratch) if scratch else None, "tasks": tasks,
             "allow_import": [allow_import] if isinstance(allow_import, str) else list(allow_import),
             "course": os.fspath(course) if course else None}
    try:
        settings = resolve(flags, config)
    except ConfigError as error:
        raise ValueError(str(error)) from None
    if settings.seed is None:
        settings.seed = secrets.randbelow(2 ** 31)

    def checked(source):
        return check_source(source, settings.seed, settings.patterns, settings.limits, settings.blocked,
                            settings.tolerances, settings.course)

    if isinstance(target, (str, os.PathLike)):
        found = candidates([os.fspath(target)])
        unreadable = [problem for _, problem in found if problem]
        if unreadable:
            raise UnreadableSubmission(unreadable[0])
        settings.limits = batch.private(settings.limits, len(found))
        reports = [Report(checked(load(path))) for path, _ in found]
        return reports if os.path.isdir(target) else reports[0]
    namespace = vars(target) if isinstance(target, types.ModuleType) else target
    if not isinstance(namespace, dict):
        raise TypeError(f"rnncheck.check takes globals(), a module or a path, not {type(target).__name__}")
    from ..load.harvest import harvest
    gathered = harvest(namespace, settings.course)
    source = from_bytes(gathered.text.encode("utf-8"), "<namespace>.py")
    source.path, source.origins = _name_of(namespace), gathered.origins
    verdict = checked(source)
    verdict["warnings"] = gathered.notes + verdict["warnings"]
    return Report(verdict)


def _name_of(namespace):
    """What the report calls a namespace: the notebook's path when Jupyter tells it, else the module's."""
    for path in (namespace.get("__vsc_ipynb_file__"), os.environ.get("JPY_SESSION_NAME")):
        if isinstance(path, str) and path.endswith(".ipynb"):
            return path
    if "_ih" in namespace or "In" in namespace:
        return "notebook"
    return str(namespace.get("__file__") or namespace.get("__name__") or "namespace")
