"""A module's namespace with some of its function definitions edited, recompiling only those.

Compiling and executing a whole ``manual/`` module for each known mistake
took about 1.3 ms a mistake, and most mistakes edit one or two functions.
``edited_namespace`` copies the namespace of the unedited module (its
functions rebound to the copy, so that they call the edited ones), then
executes only the top-level definitions an edit touches: the functions a
fresh execution of the whole edited text would give, for about half the
cost (the unedited ones keep their line numbers in the unedited text, and
the objects the top level made, namedtuple classes, imports, are shared
with the unedited namespace).

It only does so where that is sure to be the same: the module's top level is
a docstring, imports, assignments that do not use its functions, and
undecorated ``def`` statements each binding a name nothing else binds; every
edit lies inside ``def`` statements (a run of consecutive ones); and applying
the edits at their places in the unedited text gives exactly the edited text.
Otherwise ``edited_namespace`` returns None and the caller executes the whole
text.
"""
import ast
import functools
import types


@functools.lru_cache(maxsize=None)
def statements(text):
    """(start, end, is a def) character spans of the whole lines of each top-level statement of ``text``.

    None when the module's top level is not simple enough to re-execute only some of its definitions.
    """
    tree = ast.parse(text)
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    functions = [node.name for node in tree.body if isinstance(node, ast.FunctionDef)]
    bound, spans = list(functions), []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            if node.decorator_list:
                return None
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound += [(alias.asname or alias.name).partition(".")[0] for alias in node.names]
        elif isinstance(node, ast.Assign):
            names = {name.id for name in ast.walk(node) if isinstance(name, ast.Name)}
            if names & set(functions):  # an alias of a def would keep the unedited function
                return None
            bound += names
        elif not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)):
            return None
        spans.append((starts[node.lineno - 1], starts[node.end_lineno], isinstance(node, ast.FunctionDef)))
    if any(bound.count(name) > 1 for name in functions):
        return None
    return tuple(spans)


def edited_definitions(text, edits):
    """(the edited text, [(first line, text)] of each run of edited definitions), or None.

    ``edits`` are ``(old, new)`` replacements, each ``old`` occurring once in
    ``text``; a run's first line is its line number in the edited text (1-based).
    None when an edit is not inside the module's ``def`` statements, edits
    overlap, or an ``old`` does not occur exactly once.
    """
    spans = statements(text)
    if spans is None:
        return None
    located = []
    for old, new in edits:
        start = text.find(old)
        if start < 0 or text.find(old, start + 1) >= 0:
            return None
        located.append((start, start + len(old), new))
    located.sort()
    if any(earlier[1] > later[0] for earlier, later in zip(located, located[1:])):
        return None
    runs = []  # [first statement, last statement, edits], in the text's order
    for start, end, new in located:
        touched = [k for k, (a, b, _) in enumerate(spans) if a < end and start < b]
        if not touched or start < spans[touched[0]][0] or end > spans[touched[-1]][1]:
            return None
        first, last = touched[0], touched[-1]
        if not all(spans[k][2] for k in range(first, last + 1)):
            return None
        if runs and first <= runs[-1][1]:
            runs[-1][1] = max(runs[-1][1], last)
            runs[-1][2].append((start, end, new))
        else:
            runs.append([first, last, [(start, end, new)]])
    pieces, definitions, position, added_lines = [], [], 0, 0
    for first, last, run_edits in runs:
        a, b = spans[first][0], spans[last][1]
        body, cursor = [], a
        for start, end, new in run_edits:
            body += [text[cursor:start], new]
            cursor = end
        body = "".join(body) + text[cursor:b]
        definitions.append((text.count("\n", 0, a) + added_lines + 1, body))
        added_lines += body.count("\n") - text.count("\n", a, b)
        pieces += [text[position:a], body]
        position = b
    return "".join(pieces) + text[position:], definitions


def edited_namespace(clean, text, edits, edited, filename):
    """The namespace of module text ``text`` with ``edits`` made, built from ``clean`` (its executed namespace).

    ``edited`` is the edited text as the caller made it: unless the edits
    made at their places in ``text`` give exactly that, or when only a whole
    execution can be trusted (see the module's docstring), None.  ``clean``
    is not changed; ``filename`` names the compiled code.
    """
    found = edited_definitions(text, edits)
    if found is None or found[0] != edited:
        return None
    _, definitions = found
    scope = _rebound(clean)
    for line, body in definitions:
        exec(compile("\n" * (line - 1) + body, filename, "exec"), scope)
    return scope


def _rebound(clean):
    """A copy of the namespace ``clean`` whose own functions take the copy as their globals."""
    scope = dict(clean)
    for name, value in clean.items():
        if isinstance(value, types.FunctionType) and value.__globals__ is clean:
            copy = types.FunctionType(value.__code__, scope, value.__name__, value.__defaults__, value.__closure__)
            for attribute in ("__kwdefaults__", "__qualname__", "__doc__", "__annotations__"):
                setattr(copy, attribute, getattr(value, attribute))
            copy.__dict__.update(value.__dict__)
            scope[name] = copy
    return scope
