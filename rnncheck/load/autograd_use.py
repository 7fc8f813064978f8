"""Which hand-derived backwards let torch's autograd compute their gradients, read from the source.

In a course written with PyTorch (EECS 498) torch is importable, and a
backward could hand its work to autograd: ``loss.backward()``,
``torch.autograd.grad(...)``, or inputs made to ``requires_grad``.  Such a
backward is not a derivation; it is refused as an ``error`` that says so,
before anything runs.  A backward is refused when its own body, or a
top-level function it calls (however indirectly), does any of:

- calls a method ``.backward(...)`` (``Tensor.backward``; a call of a plain
  name such as ``rnn_step_backward(...)`` is not one);
- reads ``autograd`` as an attribute (``torch.autograd.grad``), or a name
  the file imports from ``torch.autograd`` (or ``from torch import autograd``);
- reads or sets ``requires_grad`` / calls ``requires_grad_()``, or passes
  ``requires_grad=``.

Forwards may use anything.  Nothing is executed; the worker refuses
autograd during a backward at run time as well (``worker.frameworks``),
which catches what the text hides.
"""
import ast

FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


def violations(source, backwards):
    """``{backward: one line saying what it uses, and where}`` for the names in ``backwards`` that use autograd."""
    try:
        tree = ast.parse(source.text)
    except SyntaxError:  # the loader has reported it; the functions that parse are judged by running them
        return {}
    definitions = {node.name: node for node in tree.body if isinstance(node, FUNCTIONS)}
    imported = _autograd_names(tree.body)
    found = {}
    for name in backwards:
        use = _reach(name, definitions, imported)
        if use:
            what, line, where = use
            place = f" in {where}" if where != name else ""
            found[name] = (f"uses torch's autograd ({what} at {source.where(line)}{place}): this assignment asks for "
                           "the gradients derived by hand")
    return found


def _reach(start, definitions, imported):
    """The first use of autograd in ``start`` or the top-level functions it calls: (what, line, function), or None."""
    seen, queue = {start}, [start]
    while queue:
        name = queue.pop(0)
        node = definitions.get(name)
        if node is None:
            continue
        use = _use(node, imported)
        if use:
            return (*use, name)
        for called in sorted(_called(node)):
            if called in definitions and called not in seen:
                seen.add(called)
                queue.append(called)
    return None


def _use(function, imported):
    """(what, line) of the first use of autograd in ``function``'s body (by line), or None."""
    found = []
    for node in ast.walk(function):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "backward":
            found.append(("`.backward()`", node.lineno))
        elif isinstance(node, ast.Attribute) and node.attr in ("requires_grad", "requires_grad_"):
            found.append((f"`{node.attr}`", node.lineno))
        elif isinstance(node, ast.keyword) and node.arg == "requires_grad":
            found.append(("`requires_grad=`", node.value.lineno))
        elif isinstance(node, ast.Attribute) and node.attr == "autograd":
            found.append(("`torch.autograd`", node.lineno))
        elif isinstance(node, ast.Name) and node.id in imported:
            found.append((f"`{node.id}` from torch.autograd", node.lineno))
        elif isinstance(node, (ast.Import, ast.ImportFrom)) and _autograd_names([node]):
            found.append(("`torch.autograd`", node.lineno))
    return min(found, key=lambda use: use[1], default=None)


def _autograd_names(body):
    """Names bound by these import statements to torch.autograd or something in it."""
    names = set()
    for node in body:
        if isinstance(node, ast.ImportFrom) and not node.level:
            module = node.module or ""
            for alias in node.names:
                if module.startswith("torch.autograd") or module == "torch" and alias.name == "autograd":
                    names.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("torch.autograd") and alias.asname:
                    names.add(alias.asname)
    return names - {"*"}


def _called(function):
    return {node.func.id for node in ast.walk(function)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
