"""The source text of the catalogue functions living in a namespace (a notebook's ``globals()``).

``harvest(namespace)`` writes what a submission file would hold, so that the
worker gets it exactly like a file: the catalogue functions defined in the
namespace, the helper functions and classes they use, the constants they
read (as literals) and an import statement for every module or library name
they use (``np`` for ``import numpy as np``), found by walking the names
their code loads, transitively.  Nothing is executed here and no live object
crosses to the worker: only text.

Sources come from ``inspect`` (files, and IPython cells, which IPython keeps
in ``linecache``), else from IPython's input history (``In`` / ``_ih``).
"""
import ast
import builtins
import inspect
import math
import os
import re
import sys
import sysconfig
import textwrap
import types
from dataclasses import dataclass, field

from .. import courses
from .syntax import nodes

LIBRARY_PATHS = tuple(os.path.abspath(p) + os.sep for key in ("stdlib", "platstdlib", "purelib", "platlib")
                      if (p := sysconfig.get_paths().get(key)))
IPYTHON_INPUT = re.compile(r"<ipython-input-(\d+)-")
ADDED = "added by rnncheck.check"
MAX_LITERAL = 100_000  # characters; a constant larger than this is data, not a setting


@dataclass
class Harvest:
    """``text``: the submission; ``origins``: per line of it, its place ("cell In[3], line 4");
    ``notes``: what could not be sent (each says why)."""
    text: str
    origins: list
    notes: list = field(default_factory=list)


def harvest(namespace, course=None):
    """Source of the course's functions in ``namespace`` (any built-in course's without one) and all they use."""
    collector = _Collector(namespace)
    for name in courses.functions(course):
        if isinstance(namespace.get(name), (types.FunctionType, type)):
            collector.definition(name, namespace[name], namespace)
        elif name in namespace:
            collector.notes.append(f"{name} is a {type(namespace[name]).__name__}, not a function written with "
                                   "def: it was not checked")
    return collector.result()


class _Collector:
    def __init__(self, namespace):
        self.history = [cell for cell in namespace.get("_ih", namespace.get("In", [])) if isinstance(cell, str)]
        self.imports, self.constants, self.definitions, self.notes = {}, {}, [], []
        self.seen = set()

    def definition(self, name, value, namespace):
        """Add the source of a function or class (after what it uses); alias lines for other names."""
        if name in self.seen:
            return
        self.seen.add(name)
        real = getattr(value, "__name__", name)
        if real != name and real.isidentifier() and namespace.get(real) is value:
            self.definition(real, value, namespace)  # name = real: an alias of a def
            self.constants[name] = (f"{name} = {real}", ADDED)
            return
        found = self._source(value, name)
        if found is None:
            self.notes.append(f"the source of {name} was not found (define it in a notebook cell or a .py file); "
                              "functions that use it will fail")
            return
        text, origins, statement = found
        scope = getattr(value, "__globals__", namespace)
        for used in sorted(_free_names(statement)):
            self.reference(used, scope)
        self.definitions.append((text, origins))

    def reference(self, name, scope):
        """A name some kept code loads: bring along what it means in ``scope``."""
        if name in self.seen or name not in scope:
            return
        value = scope[name]
        if isinstance(value, types.ModuleType):
            self.seen.add(name)
            module = value.__name__
            self.imports[name] = f"import {module}" if module == name else f"import {module} as {name}"
        elif isinstance(value, (types.FunctionType, type)) and not _is_library(value):
            self.definition(name, value, scope)
        elif (literal := _literal(value)) is not None:
            self.seen.add(name)
            self.constants[name] = (f"{name} = {literal}", ADDED)
        elif (place := _importable(value)) is not None:
            self.seen.add(name)
            module, attribute = place
            self.imports[name] = f"from {module} import {attribute}" + (f" as {name}" if attribute != name else "")
        elif getattr(builtins, name, None) is not value:
            self.seen.add(name)
            self.notes.append(f"`{name}` (a {type(value).__name__}) cannot be sent to the checker; "
                              "functions that use it will fail (make it a literal or compute it inside a function)")

    def _source(self, value, name):
        """(dedented source, origin of each line, its parsed statement) of a def/class, or None."""
        try:
            lines, first = inspect.getsourcelines(value)
            text = textwrap.dedent("".join(lines))
            statement = _definition(text, name)
            if statement:
                return text, self._origins(inspect.getsourcefile(value) or "", text, first), statement
        except (OSError, TypeError, SyntaxError):
            pass
        for number in range(len(self.history) - 1, -1, -1):  # the latest cell defining it wins
            segment = _definition_in(self.history[number], name)
            if segment:
                text, first, statement = segment
                origins = [f"cell In[{number}], line {first + k}" for k in range(len(text.splitlines()))]
                return text, origins, statement
        return None

    def _origins(self, filename, text, first):
        label = os.path.basename(filename) or "<unknown>"
        match = IPYTHON_INPUT.search(filename)
        cell = next((n for n in range(len(self.history) - 1, -1, -1) if text.strip() in self.history[n]), None)
        if cell is not None and (match or not os.path.exists(filename)):
            label = f"cell In[{cell}]"
        elif match:
            label = f"cell In[{match.group(1)}]"
        return [f"{label}, line {max(first, 1) + k}" for k in range(len(text.splitlines()))]

    def result(self):
        blocks = [(list(self.imports.values()), [ADDED] * len(self.imports)),
                  ([statement for statement, _ in self.constants.values()],
                   [origin for _, origin in self.constants.values()])]
        blocks += [(text.splitlines(), origins) for text, origins in self.definitions]
        lines, origins = [], []
        for block_lines, block_origins in blocks:
            if block_lines:
                lines += block_lines + ["", ""]
                origins += block_origins + [ADDED, ADDED]
        if not self.definitions:
            lines, origins = ["# rnncheck.check: no catalogue function is defined here"], [ADDED]
        return Harvest("\n".join(lines) + "\n", origins, self.notes)


def _definition(text, name):
    """The statement of ``text`` when it is one top-level statement that defines ``name``, else None."""
    body = ast.parse(text).body
    return body[0] if len(body) == 1 and _binds(body[0], name) else None


def _binds(node, name):
    """A def/class called ``name``, or an assignment to it (``sigmoid = lambda x: ...``, a namedtuple)."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return node.name == name
    return isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)


def _definition_in(cell, name):
    """(source, first line, statement) of the last top-level statement of a cell defining ``name``,
    decorators included."""
    try:
        body = ast.parse(cell).body
    except SyntaxError:
        return None
    nodes = [n for n in body if _binds(n, name)]
    if not nodes:
        return None
    node = nodes[-1]
    first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
    return "\n".join(cell.splitlines()[first - 1:node.end_lineno]) + "\n", first, node


def _free_names(definition):
    """Names a def/class reads that it does not bind itself (parameters, assignments, nested defs)."""
    loaded, bound, declared = set(), set(), set()
    for node in nodes(definition):
        if isinstance(node, ast.Name):
            (loaded if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node is not definition:
            bound.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            declared |= set(node.names)
    return loaded - (bound - declared)


def _is_library(value):
    """Defined in an installed package or the standard library (imported, not copied)."""
    module = getattr(value, "__module__", None)
    if module in (None, "__main__"):
        return False
    path = getattr(sys.modules.get(module), "__file__", None)
    return path is None or os.path.abspath(path).startswith(LIBRARY_PATHS)


def _literal(value):
    """Python source re-creating a plain constant (numbers, strings, containers of them), or None."""
    if type(value).__module__ == "numpy" and hasattr(value, "item") and getattr(value, "ndim", 1) == 0:
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return f'float("{value}")'
    if isinstance(value, (types.FunctionType, type, types.ModuleType)):
        return None
    try:
        text = repr(value)
        return text if len(text) <= MAX_LITERAL and ast.literal_eval(text) == value else None
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None


def _importable(value):
    """(module, attribute) that imports exactly ``value`` (a library function, ufunc, class), or None."""
    attribute = getattr(value, "__qualname__", None) or getattr(value, "__name__", None)
    for module in (getattr(value, "__module__", None), "numpy"):
        if isinstance(module, str) and isinstance(attribute, str) and "." not in attribute:
            if getattr(sys.modules.get(module), attribute, None) is value:
                return module, attribute
    return None
