"""Structural substitutions: backward mistakes that are no single edit of ``manual/``, recognised by trying them.

Each recurrent layer declares its step as a ``Derivation`` (``judge.mistakes.<layer>.DERIVATION``):
the forward and the backward as plain NumPy lines, the names that have siblings and
the quantities a derivative is wrongly taken at. From it, every substitution is
made generically, one at a time, in one backward line:

- ``swap``: one occurrence of a name replaced by a sibling (``dx = da @ Wh.T``);
- ``quantity``: a derivative taken at the wrong quantity (``1 - next_c ** 2``);
- ``drop``: one term of a sum or one factor of a product left out (a path missing);
- ``transpose``: a ``.T`` left out, or a product's result transposed.

A ``Substitution`` runs on a trial's inputs as the step (forward lines, then the
changed backward) or as the sequence that loops over the step (every step's
backward changed alike), in this process: the lines are our own text, never
the candidate's. ``recognise`` names one under the catalogue's rule: the
candidate's results are reproduced on every trial it returned arrays for,
and the substitution is visible where the candidate failed.
"""
import ast
import functools
import re
import warnings
from dataclasses import dataclass

import numpy as np

from . import mistakes


@dataclass(frozen=True, eq=False)
class Substitution:
    """One structural change of a derivation's backward, with the catalogue's ``Mistake`` interface."""
    id: str
    functions: tuple
    title: str
    hint: str
    derivation: object
    code: object  # the changed backward, compiled

    def as_json(self):
        return {"id": self.id, "title": self.title, "hint": self.hint}


def _sigmoid(x):
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + z), z / (1 + z))


HELPERS = {"np": np, "sigmoid": _sigmoid,
           "tanh_derivative": lambda y: 1 - y ** 2,  # of tanh, at y = tanh(a)
           "sigmoid_derivative": lambda y: y * (1 - y)}  # of the sigmoid, at y = sigmoid(a)
SPELLED = {"tanh_derivative": "tanh_derivative(y) = 1 - y ** 2",
           "sigmoid_derivative": "sigmoid_derivative(y) = y * (1 - y)"}


# ---------------------------------------------------------------- making them

@functools.lru_cache(maxsize=None)
def substitutions_of(function):
    """The substitutions that explain ``function`` (a step or sequence backward), in declaration order."""
    return tuple(s for derivation in mistakes.DERIVATIONS if function in derivation.functions
                 for s in _made(derivation))


@functools.lru_cache(maxsize=None)
def _made(derivation):
    found, seen = [], {_source(derivation.backward)}
    for index, line in enumerate(derivation.backward):
        for slug, title, expression in _changes(derivation, line):
            changed = list(derivation.backward)
            changed[index] = type(line)(line.target, expression, line.why)
            source = _source(changed)
            if source in seen:
                continue
            seen.add(source)
            hint = f"{line.why}, so {line.target} = {line.expression}"
            spelled = [text for name, text in SPELLED.items() if name in line.expression]
            hint += f" ({', '.join(spelled)})" if spelled else ""
            found.append(Substitution(f"{derivation.layer}_{line.target}_{slug}", derivation.functions,
                                      title, hint, derivation, compile(source, f"<{derivation.layer}: {title}>",
                                                                       "exec")))
    return tuple(found)


def _source(lines):
    return "".join(f"{line.target} = {line.expression}\n" for line in lines)


def _changes(derivation, line):
    """(id slug, title, changed expression) of every substitution in one backward line."""
    tree = ast.parse(line.expression, mode="eval")
    names = [node for node in ast.walk(tree) if isinstance(node, ast.Name)]
    for name, targets, alternatives in derivation.quantities:
        places = [k for k, node in enumerate(names) if node.id == name]
        if line.target not in targets.split() or not places:
            continue
        for wrong, meaning in alternatives:
            groups = [[k] for k in places] + ([places] if len(places) > 1 else [])
            for group in groups:
                which = "" if group == places else f"_{places.index(group[0]) + 1}"
                yield (f"{_slug(name)}_at_{_slug(wrong)}{which}", f"{line.target}: {meaning}",
                       _replaced(line.expression, group, wrong))
    siblings = {}
    for group in derivation.siblings:
        for name in group:
            siblings.setdefault(name, []).extend(n for n in group if n != name)
    for k, node in enumerate(names):
        places = [j for j, n in enumerate(names) if n.id == node.id]
        nth = places.index(k)
        for other in siblings.get(node.id, ()):
            if other == line.target:  # not yet computed in this line
                continue
            title = f"{line.target} computed with {other} where {node.id} belongs"
            yield f"{other}_for_{node.id}{f'_{nth + 1}' if nth else ''}", title, _replaced(line.expression, [k], other)
            if len(places) > 1 and nth == len(places) - 1:  # copied from the line of another gate: all of them
                yield f"{other}_for_every_{node.id}", title, _replaced(line.expression, places, other)
    for k, attribute in enumerate(n for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr == "T"):
        plain = ast.unparse(attribute.value)
        yield (f"{_slug(plain)}_untransposed{f'_{k + 1}' if k else ''}",
               f"{line.target} computed with {plain} where {plain}.T belongs",
               _untransposed(line.expression, (attribute.col_offset, attribute.end_col_offset)))
    if isinstance(tree.body, ast.BinOp) and isinstance(tree.body.op, ast.MatMult):
        yield "transposed", f"{line.target} comes out transposed", f"({line.expression}).T"
    for node, keep_left, kind in _operands(tree):
        dropped = ast.unparse(node.right if keep_left else node.left)
        yield (f"without_{_slug(dropped)}",
               f"{line.target} misses the {kind} {dropped}" + (" (one path of the gradient)" if kind == "term" else ""),
               _without(line.expression, (node.col_offset, node.end_col_offset), keep_left))


def _replaced(expression, places, text):
    """``expression`` with the Name nodes at ``places`` (in ``ast.walk`` order) replaced by ``text``."""
    tree = ast.parse(expression, mode="eval")
    names = [node for node in ast.walk(tree) if isinstance(node, ast.Name)]
    new = ast.parse(text, mode="eval").body
    chosen = {id(names[k]) for k in places}

    class Replace(ast.NodeTransformer):
        def visit_Name(self, node):
            return new if id(node) in chosen else node
    return ast.unparse(Replace().visit(tree))


def _operands(tree):
    """(node, whether its left operand is kept, "term" or "factor") for every binary sum and product.

    The left operand of a chain (``a * b`` in ``a * b * c``) is not dropped whole: that
    would drop two factors.
    """
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mult)):
            kind = "term" if isinstance(node.op, ast.Add) else "factor"
            yield node, True, kind
            if not (isinstance(node.left, ast.BinOp) and type(node.left.op) is type(node.op)):
                yield node, False, kind


def _without(expression, where, keep_left):
    """``expression`` with the binary operation at position ``where`` replaced by one of its operands."""
    tree = ast.parse(expression, mode="eval")

    class Keep(ast.NodeTransformer):
        def visit_BinOp(self, node):
            if (node.col_offset, node.end_col_offset) == where:
                return node.left if keep_left else node.right
            return self.generic_visit(node)
    return ast.unparse(Keep().visit(tree))


def _untransposed(expression, where):
    """``expression`` with the ``.T`` at position ``where`` left out."""
    tree = ast.parse(expression, mode="eval")

    class Plain(ast.NodeTransformer):
        def visit_Attribute(self, node):
            if (node.col_offset, node.end_col_offset) == where:
                return node.value
            return self.generic_visit(node)
    return ast.unparse(Plain().visit(tree))


def _slug(text):
    return re.sub(r"\W+", "_", text).strip("_")


# ---------------------------------------------------------------- running them

def results(substitution, function, inputs, upstream):
    """What the changed derivation gives for ``function`` (its step or its sequence backward)."""
    return run(substitution.derivation, substitution.code, function, inputs, upstream)


def unchanged(derivation):
    """The derivation's own backward, compiled: what ``run`` gives with it is the true gradient."""
    return compile(_source(derivation.backward), f"<{derivation.layer}>", "exec")


def run(derivation, code, function, inputs, upstream):
    """The step backward (``code`` after the forward lines), or the sequence backward looping over it."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        if function == derivation.functions[0]:
            scope = _forward_step(derivation, dict(zip(derivation.inputs, inputs)))
            scope.update(zip(derivation.upstream, upstream))
            exec(code, scope)
            return [np.asarray(scope[g], dtype=np.float64) for g in derivation.grads]
        return _sequence(code, derivation, inputs, upstream)


def _forward_step(derivation, given):
    scope = dict(HELPERS, **given)
    exec(_forward_code(derivation), scope)
    return scope


@functools.lru_cache(maxsize=None)
def _forward_code(derivation):
    return compile(derivation.forward, f"<{derivation.layer} forward>", "exec")


def _sequence(code, derivation, inputs, upstream):
    """The sequence backward over the step: states from h0 (others from zero), gradients carried back."""
    x, h0, *weights = inputs
    (dh,) = upstream
    N, T, _ = x.shape
    shared = [n for n in derivation.inputs if n != "x" and not n.startswith("prev_")]
    given = dict(zip(shared, weights))
    states = {s: (h0 if k == 0 else np.zeros_like(h0)) for k, s in enumerate(derivation.states)}
    scopes = []
    for t in range(T):
        scope = _forward_step(derivation, dict(given, x=x[:, t], **{f"prev_{s}": v for s, v in states.items()}))
        states = {s: scope[f"next_{s}"] for s in derivation.states}
        scopes.append(scope)
    carried = {s: np.zeros_like(h0) for s in derivation.states}
    dx, totals = [None] * T, {}
    first = derivation.states[0]
    for t in reversed(range(T)):
        scope = scopes[t]
        scope.update({f"dnext_{s}": carried[s] + (dh[:, t] if s == first else 0) for s in derivation.states})
        exec(code, scope)
        carried = {s: scope[f"dprev_{s}"] for s in derivation.states}
        dx[t] = scope["dx"]
        for name in derivation.grads:
            if name != "dx" and not name.startswith("dprev_"):
                totals[name] = totals[name] + scope[name] if name in totals else scope[name]
    weight_grads = [totals[g] for g in derivation.grads if g != "dx" and not g.startswith("dprev_")]
    return [np.asarray(a, dtype=np.float64) for a in (np.stack(dx, axis=1), carried[first], *weight_grads)]


# ---------------------------------------------------------------- recognising one

def recognise(function, trials, agree, differs, recognised=()):
    """The substitution the candidate's ``trials`` reproduce, or None.

    ``trials`` are the recogniser's comparable trials (failed first, smallest
    first); ``agree(got, theirs)`` and ``differs(theirs, expected)`` are its
    rule. One already ``recognised`` in another function is tried first.
    """
    candidates = substitutions_of(function)
    if not candidates or not any(t.failed for t in trials):
        return None
    ranked = sorted(candidates, key=lambda s: s.id not in recognised)
    return next((s for s in ranked if _reproduces(s, function, trials, agree, differs)), None)


def _reproduces(substitution, function, trials, agree, differs):
    visible = False
    for trial in trials:
        try:
            theirs = results(substitution, function, trial.inputs, trial.upstream)
        except Exception:  # the changed lines fail here (shapes that do not fit)
            return False
        if len(theirs) != len(trial.got) or not all(map(agree, trial.got, theirs)):
            return False
        visible = visible or trial.failed and any(map(differs, theirs, trial.expected))
    return visible
