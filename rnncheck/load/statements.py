"""Which top-level statements of a submission are worth running, and which functions are still stubs.

``select`` fills a ``loader.Source`` from its module body: the statements to
run (imports, definitions, and the assignments and plain blocks the
definitions need; never training loops or data loading), each function's
calls, and the functions that are still the template (a stub body, or
placeholders such as deeplearning.ai's ``x = None`` left between
``### START CODE HERE ###`` and ``### END CODE HERE ###``).
"""
import ast

from .signatures import Signature
from .syntax import nodes


DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
ASSIGNMENTS = (ast.Assign, ast.AnnAssign, ast.AugAssign)


def select(body, walked, source):
    """Choose the statements to run and gather what is known statically (``walked``: each statement's nodes)."""
    needed, keep, assignments = set(), set(), {}
    for index, (node, below) in enumerate(zip(body, walked)):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            keep.add(index)
            for alias in node.names:
                module = node.module if isinstance(node, ast.ImportFrom) else alias.name
                source.imports[(alias.asname or alias.name).split(".")[0]] = (module or "").split(".")[0]
        elif isinstance(node, DEFINITIONS):
            keep.add(index)
            needed |= _loaded_names(below)
            source.signatures.pop(node.name, None)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if not node.decorator_list:  # a decorator may change what it takes
                    source.signatures[node.name] = Signature.of(node)
                source.functions[node.name] = node.lineno
                if node.lineno > source.broken_at.get(node.name, node.lineno):
                    source.broken.pop(node.name)  # redefined after the broken one
                source.calls[node.name] = _called_names(below)
                left = _placeholders(node, source.text)
                if _is_stub(node) or left and all(left.values()):
                    source.stubs.add(node.name)
                else:
                    source.stubs.discard(node.name)
                source.placeholders.pop(node.name, None)
                if any(left.values()):
                    source.placeholders[node.name] = (min(n.lineno for n, placeholder in left.items() if placeholder),
                                                      sum(left.values()) / len(left))
        elif isinstance(node, ASSIGNMENTS) or _is_plain_block(node):
            assignments[index] = below
        if not isinstance(node, DEFINITIONS):
            rebound = _rebound_names(below)
            for name in source.signatures.copy() if "*" in rebound else rebound:
                source.signatures.pop(name, None)
    changed = True
    while changed:  # keep assignments the kept code reads, transitively
        changed = False
        for index, below in list(assignments.items()):
            if _bound_names(below) & needed or isinstance(body[index], (ast.If, ast.Try)):
                keep.add(index)
                needed |= _loaded_names(below)
                del assignments[index]
                changed = True
    source.keep = sorted(keep)
    source.statements = {index: (body[index].lineno, getattr(body[index], "name", None)) for index in source.keep}


def _is_plain_block(node):
    """An if/try made only of imports, definitions and call-free assignments."""
    if not isinstance(node, (ast.If, ast.Try)):
        return False
    if isinstance(node, ast.If) and _calls(node.test):
        return False
    body = list(node.body) + list(node.orelse)
    if isinstance(node, ast.Try):
        body += [s for handler in node.handlers for s in handler.body] + list(node.finalbody)
    simple = (ast.Import, ast.ImportFrom, ast.Pass) + DEFINITIONS
    for statement in body:
        if isinstance(statement, simple) or _is_plain_block(statement):
            continue
        if isinstance(statement, (ast.Expr,) + ASSIGNMENTS) and not _calls(statement):
            continue
        return False
    return True


def _calls(node):
    return any(isinstance(n, ast.Call) for n in nodes(node))


def _loaded_names(below):
    """Names read among the nodes ``below`` (a statement's ``syntax.nodes``)."""
    return {n.id for n in below if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def _bound_names(below):
    """Names assigned among the nodes ``below``."""
    return {n.id for n in below if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}


def _rebound_names(below):
    """Every name a top-level statement may bind: assigned, imported or defined inside it."""
    names = _bound_names(below)
    for inner in below:
        if isinstance(inner, DEFINITIONS):
            names.add(inner.name)
        elif isinstance(inner, (ast.Import, ast.ImportFrom)):
            names |= {(alias.asname or alias.name).split(".")[0] for alias in inner.names}
    return names


def _called_names(below):
    return {n.func.id for n in below if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}


def _is_stub(function):
    """Body is only docstrings, pass, ``x = None``, ``return <Nones>`` or raise NotImplementedError."""
    nones = set()
    for statement in function.body:
        if isinstance(statement, ast.Pass) or (
                isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)):
            continue
        if isinstance(statement, ast.Assign) and _all_none(statement.value, nones):
            nones |= _bound_names(nodes(statement))
            continue
        if isinstance(statement, ast.Return) and (
                statement.value is None or _all_none(statement.value, nones)):
            continue
        if isinstance(statement, ast.Raise) and "NotImplementedError" in ast.dump(statement):
            continue
        return False
    return True


START_CODE, END_CODE = "START CODE HERE", "END CODE HERE"


def _placeholders(function, text):
    """The outermost statements of a notebook template's graded regions (between ``### START CODE HERE ###``
    and ``### END CODE HERE ###``, deeplearning.ai's) -> whether each is still a placeholder (``x = None``,
    ``x += None``, ``for t in range(None):``); empty without such regions.
    """
    if START_CODE not in text:
        return {}
    lines = text.splitlines()[function.lineno - 1:function.end_lineno]
    regions, start = [], None
    for number, line in enumerate(lines, start=function.lineno):
        if START_CODE in line and line.lstrip().startswith("#"):
            start = number
        elif END_CODE in line and line.lstrip().startswith("#") and start is not None:
            regions.append((start, number))
            start = None
    inside = [node for node in ast.walk(function) if isinstance(node, ast.stmt) and node is not function
              and any(first < node.lineno < last for first, last in regions)]
    nested = {id(below) for node in inside for below in ast.walk(node) if below is not node}
    return {node: _placeholder(node) for node in inside if id(node) not in nested or _placeholder(node)}


def _placeholder(statement):
    if isinstance(statement, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
        return statement.value is not None and _all_none(statement.value, set())
    if isinstance(statement, ast.For):
        return any(isinstance(n, ast.Constant) and n.value is None for n in ast.walk(statement.iter))
    return isinstance(statement, ast.Pass) or (isinstance(statement, ast.Expr)
                                               and isinstance(statement.value, ast.Constant))


def _all_none(value, nones):
    if isinstance(value, ast.Constant):
        return value.value is None
    if isinstance(value, ast.Name):
        return value.id in nones
    if isinstance(value, (ast.Tuple, ast.List)):
        return all(_all_none(element, nones) for element in value.elts)
    return False
