"""The import policy, read from the source: which functions use a blocked module.

A submission may not import the oracle's tools (autograd, torch, jax,
tensorflow) or this project's packages.  The worker refuses such imports at
run time (``worker.ImportBlocker``), but a refused top-level import only
shows up later as a ``NameError``, and an import in a branch the cases never
reach not at all.  Reading the syntax tree names the module for every
function that relies on one, directly or through the top-level names it
reads.  Nothing is executed.
"""
import ast
import builtins
from typing import NamedTuple

from .syntax import nodes

SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
SCANNED = frozenset({ast.Name, ast.arguments, ast.Import, ast.ImportFrom, ast.ExceptHandler, ast.Global, ast.Call,
                     ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef})  # the kinds of node _scan reads


class Uses(NamedTuple):
    """What the policy reads from a submission, whatever is blocked (the loader keeps it: ``Source.uses``).

    - aliases: name bound by a module-level import -> its root module.
    - starred: root modules imported with ``*`` at module level, in order.
    - definitions: top-level name -> (names its statement reads, root modules it imports in source
      order), for the statement that last bound the name.
    - functions: the names whose last binding is a ``def`` of that name.
    """
    aliases: dict
    starred: list
    definitions: dict
    functions: set


def violations(source, blocked):
    """``{function name: blocked module}`` for the top-level functions of ``source``.

    A function violates the policy when its body imports a blocked module
    (``import``, ``from ... import``, ``__import__("...")``,
    ``importlib.import_module("...")``), or reads a top-level name bound by
    such an import, or reads a top-level function, class or variable that
    does, however indirectly.  ``source`` needs only ``text``; its ``uses``,
    when the loader has read them, save parsing it again.
    """
    found = getattr(source, "uses", None) or uses(ast.parse(source.text).body)
    blocked = set(blocked)
    aliases, definitions = found.aliases, found.definitions
    starred = [module for module in found.starred if module in blocked]
    defined = set(definitions)
    bound = set(aliases) | set(dir(builtins)) | defined
    direct, reads = {}, {}
    for name, (loaded, imported) in definitions.items():
        modules = [module for module in imported if module in blocked]
        modules += [aliases[n] for n in sorted(loaded) if aliases.get(n) in blocked]
        if starred:
            modules += [starred[0] for n in sorted(loaded - bound)]
        if modules:
            direct[name] = modules[0]
        reads[name] = loaded & defined
    result = {}
    for name in definitions:
        if name in found.functions:
            module = _reach(name, direct, reads)
            if module:
                result[name] = module
    return result


def uses(body, walked=None):
    """The :class:`Uses` of a module's statements ``body``; ``walked``: ``syntax.nodes`` of each, if at hand."""
    walked = walked or [nodes(node) for node in body]
    last = {}  # top-level name -> (the statement that last bound it, its nodes)
    for node, below in zip(body, walked):
        for name in _defined_names(node, below):
            last[name] = node, below
    definitions, scanned = {}, {}
    for name, (node, below) in last.items():
        if id(node) not in scanned:  # one statement can bind several names
            scanned[id(node)] = _scan(node, below)
        definitions[name] = scanned[id(node)]
    functions = {name for name, (node, _) in last.items() if isinstance(node, FUNCTIONS)}
    return Uses(*_top_level_imports(body), definitions, functions)


def _reach(start, direct, reads):
    """The first blocked module found from ``start`` along top-level reads."""
    seen, queue = {start}, [start]
    while queue:
        name = queue.pop(0)
        if name in direct:
            return direct[name]
        for other in sorted(reads.get(name, ())):
            if other not in seen:
                seen.add(other)
                queue.append(other)
    return None


def _root(module):
    return (module or "").partition(".")[0]


def _top_level_imports(body):
    """Names bound by module-level imports (also inside if/try/with) -> root module,
    and the root modules imported with ``*``."""
    aliases, starred = {}, []
    for node in _module_level(body):
        if isinstance(node, ast.Import):
            for alias in node.names:
                aliases[(alias.asname or alias.name).partition(".")[0]] = _root(alias.name)
        elif isinstance(node, ast.ImportFrom) and not node.level:
            for alias in node.names:
                if alias.name == "*":
                    starred.append(_root(node.module))
                else:
                    aliases[alias.asname or alias.name] = _root(node.module)
    return aliases, starred


def _module_level(body):
    """Statements that run at module level: nested blocks yes, function and class bodies no."""
    for node in body:
        yield node
        if not isinstance(node, SCOPES):
            for field in ("body", "orelse", "finalbody", "handlers"):
                yield from _module_level(getattr(node, field, []) or [])


def _defined_names(node, below):
    """Names a top-level definition or assignment binds (``below``: its nodes)."""
    if isinstance(node, SCOPES) and not isinstance(node, ast.Lambda):
        return [node.name]
    if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
        return [n.id for n in below if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)]
    return []


def _scan(node, below):
    """One pass over a top-level statement's nodes ``below``: (names it reads that are not its own,
    modules it imports).

    A function's or class's own names (parameters, assignments, imports,
    ``except ... as``, nested definitions; not those declared ``global``) are
    not reads of the module's names.  Imported modules are given by their
    root, in source order: ``import``, ``from ... import`` (absolute),
    ``__import__("...")`` and ``importlib.import_module("...")``.
    """
    local, declared, loads, imports = set(), set(), set(), []
    for n in below:
        if n.__class__ not in SCANNED:
            continue  # most nodes (attributes, operators, constants...) read, bind and import nothing
        if isinstance(n, ast.Name):
            (loads if isinstance(n.ctx, ast.Load) else local).add(n.id)
        elif isinstance(n, ast.arguments):
            local |= {a.arg for a in n.posonlyargs + n.args + n.kwonlyargs + [n.vararg, n.kwarg] if a}
        elif isinstance(n, (ast.Import, ast.ImportFrom)):
            local |= {(a.asname or a.name).partition(".")[0] for a in n.names}
            if isinstance(n, ast.Import):
                imports += [(n.lineno, _root(a.name)) for a in n.names]
            elif not n.level:
                imports.append((n.lineno, _root(n.module)))
        elif isinstance(n, ast.ExceptHandler) and n.name:
            local.add(n.name)
        elif isinstance(n, ast.Global):
            declared |= set(n.names)
        elif isinstance(n, SCOPES) and n is not node and not isinstance(n, ast.Lambda):
            local.add(n.name)
        elif (isinstance(n, ast.Call) and _callee(n.func) in ("__import__", "import_module")
              and n.args and isinstance(n.args[0], ast.Constant) and isinstance(n.args[0].value, str)):
            imports.append((n.lineno, _root(n.args[0].value)))
    own = local - declared if isinstance(node, SCOPES) else set()
    return loads - own, [module for _, module in sorted(imports)]


def _callee(func):
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else None
