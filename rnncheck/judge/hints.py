"""Runtime hints: the fix for errors whose cause is known, in one table of rules.

A rule matches an exception (its type name and message, as the worker
reported them) or a returned value of the wrong shape (kind ``WrongShape``,
the comparison's problem text), in the context of the case that produced
it, and gives one sentence a student can act on: ``xrange is Python 2:
use range``.  Rules are tried in order; the first that matches speaks.
Nothing here runs submitted code: the context is the parsed source, the
catalogue entry and the case dimensions.
"""
import ast
import re
from dataclasses import dataclass, field

from .. import courses
from ..courses.course import resolve
from ..load.signatures import assignment

PYTHON2_NAMES = {"xrange": "range", "unicode": "str", "basestring": "str", "long": "int",
                 "raw_input": "input", "unichr": "chr", "reduce": "functools.reduce",
                 "cmp": "(a > b) - (a < b)", "execfile": "exec(open(path).read())", "file": "open"}
PYTHON2_METHODS = {"iteritems": "items()", "iterkeys": "keys()", "itervalues": "values()",
                   "has_key": "`key in d`"}
NUMPY2_REMOVED = {
    "asfarray": "np.asarray(x, dtype=float)", "float": "float (or np.float64)", "int": "int (or np.int64)",
    "bool": "bool (or np.bool_)", "object": "object", "complex": "complex (or np.complex128)",
    "str": "str", "long": "int", "unicode": "str", "float_": "np.float64", "complex_": "np.complex128",
    "int0": "np.intp", "uint0": "np.uintp", "string_": "np.bytes_", "unicode_": "np.str_",
    "product": "np.prod", "cumproduct": "np.cumprod", "alltrue": "np.all", "sometrue": "np.any",
    "round_": "np.round", "NaN": "np.nan", "NAN": "np.nan", "Inf": "np.inf", "Infinity": "np.inf",
    "infty": "np.inf", "PINF": "np.inf", "NINF": "-np.inf", "PZERO": "0.0", "NZERO": "-0.0",
    "msort": "np.sort(a, axis=0)", "mat": "np.asmatrix", "asscalar": "a.item()", "alen": "len",
    "row_stack": "np.vstack", "trapz": "np.trapezoid", "in1d": "np.isin", "find_common_type": "np.result_type",
    "cast": "np.asarray(x, dtype=...)", "recfromtxt": "np.genfromtxt", "safe_eval": "ast.literal_eval",
}
WRONG_SHAPE = "WrongShape"  # the kind for a returned value of the wrong shape (compare's problem text)
RETURNED_SHAPE = r"^(\w+) has shape \(([\d, ]*)\), expected \(([\d, ]*)\)"
SHAPE_WORDS = re.compile(r"shape|dimension|axis|axes|index|unpack|broadcast|align|size|operand")
SHAPE = re.compile(r"\((\d+(?:,\s*\d+)*),?\)")
LAZY = {"zip": "zip(...)", "map": "map(...)", "filter": "filter(...)", "dict_keys": "d.keys()",
        "dict_values": "d.values()", "dict_items": "d.items()"}


@dataclass
class Context:
    """Where an error or a wrong shape happened.

    - function: the catalogue function being checked; layer: its entry.
    - dims: the case's dimensions (N, T, D, H...); stage: "forward" or
      "backward" for a backward request, None for a plain call.
    - passed_before: an earlier case of the same function passed.
    - source: the loaded submission; ``within``: the function the error was raised in.
    """
    function: str
    layer: object
    dims: dict
    source: object = None
    stage: str = None
    passed_before: bool = False
    within: str = None
    _code: str = field(default=None, repr=False)

    @property
    def in_forward(self):
        return self.stage == "forward" or self.function == self.layer.forward

    def code(self):
        """Source text of the layer's functions and what they call (where a squeeze may hide)."""
        if self._code is None:
            names = {self.layer.forward, self.layer.backward, self.within} - {None}
            names |= {c for n in set(names) for c in getattr(self.source, "calls", {}).get(n, ())}
            self._code = "\n".join(_definitions(self.source, names))
        return self._code

    def shapes(self):
        """Shape of every forward input in this case: {"Wx": (5, 6), ...}."""
        return {i.name: resolve(i.shape, self.dims) for i in self.layer.inputs}


@dataclass(frozen=True)
class Rule:
    """``kinds`` exception type names, ``pattern`` searched in the message, ``fix`` -> text or None."""
    id: str
    kinds: tuple
    pattern: str
    fix: object

    def apply(self, kind, message, context):
        if kind not in self.kinds:
            return None
        match = re.search(self.pattern, message)
        return match and self.fix(match, context)


def _table(table, template):
    """A fix that looks the first group up in ``table``."""
    def fix(match, context):
        name = match.group(1)
        return template.format(name=name, use=table[name]) if name in table else None
    return fix


def _signature(match, context):
    name, course = match.group(1), courses.load(context.layer.course)
    if name not in course.functions:
        return None
    names, extras = assignment(course.layer_of(name), name)
    return f"{name}'s parameters differ from the assignment's ({', '.join(names + extras)})"


def _batch_of_one(match, context):
    if context.dims.get("N") != 1:
        return None
    if re.search(r"\.squeeze\(\s*\)|np\.squeeze\([^(),]*\)", context.code()):  # no axis given
        return ("a squeeze() removed the batch axis, which has size 1 when N=1: "
                "squeeze only the axis you mean (squeeze(axis=1)) or index it away (x[:, t, :])")
    if context.passed_before and SHAPE_WORDS.search(match.string):
        return ("it fails only with a batch of one (N=1): an axis of size 1 was dropped "
                "(squeeze(), x[0], a 1-D slice?)")
    return None


def _swapped_product(match, context):
    """x met Wh or prev_h met Wx in a product of the forward (only possible when D != H)."""
    dims = context.dims
    if not context.in_forward or "Wx" not in context.shapes() or dims["D"] == dims["H"]:
        return None
    shapes = context.shapes()
    found = {tuple(int(n) for n in s.split(",")) for s in SHAPE.findall(match.string)}
    matmul = re.search(r"size (\d+) is different from (\d+)", match.string)  # gives sizes, not shapes
    sizes = {int(n) for n in matmul.groups()} if matmul else set()
    x_meets_wh = shapes["Wh"] in found and any(s[-1] == dims["D"] and s != shapes["Wx"] for s in found)
    h_meets_wx = shapes["Wx"] in found and (dims["N"], dims["H"]) in found
    if x_meets_wh or h_meets_wx or sizes == {dims["D"], dims["H"]} and dims["N"] not in sizes:
        return f"a product met sizes D={dims['D']} and H={dims['H']}: are Wx and Wh swapped (x·Wx, prev_h·Wh)?"
    return None


def _lost_axis(match, context):
    """An output returned without an axis of size 1 that it should have (a squeeze() without axis)."""
    name, got, expected = match.group(1), _shape(match.group(2)), _shape(match.group(3))
    if len(got) == len(expected) - 1 and _drops_an_axis_of_one(got, expected):
        return (f"{name} lost an axis of size 1: a squeeze() without axis=... removes the batch axis when N=1 "
                "(and time when T=1); squeeze only the axis you mean")
    return None


def _shaped_like_another(match, context):
    """A gradient shaped like another input: dWx shaped like Wh points at swapped weights."""
    name, got, expected = match.group(1), _shape(match.group(2)), _shape(match.group(3))
    own, shapes = name[1:], context.shapes()
    others = [other for other, shape in shapes.items() if shape == got and other != own]
    if context.stage != "backward" or not name.startswith("d") or own not in shapes or not others:
        return None
    other = others[0]
    question = ("are Wx and Wh swapped?" if {own, other} <= {"Wx", "Wh", "x", "prev_h", "h0"}
                else f"are {own} and {other} mixed up?")
    return f"{name} has the shape of {other} {got}, not of {own} {expected}: {question}"


def _shape(text):
    """``"3, 6"`` -> (3, 6); ``""`` -> ()."""
    return tuple(int(n) for n in text.split(",") if n.strip())


def _constant(text):
    return lambda match, context: text


RULES = (
    Rule("python2-print", ("SyntaxError",), r"Missing parentheses in call to '(print|exec)'",
         lambda m, c: f"{m.group(1)} is a function in Python 3: write {m.group(1)}(...)"),
    Rule("python2-except", ("SyntaxError",), r"multiple exception types must be parenthesized",
         _constant("Python 2's `except E, e:` is `except E as e:` in Python 3")),
    Rule("python2-name", ("NameError",), r"name '(\w+)' is not defined",
         _table(PYTHON2_NAMES, "{name} is Python 2: use {use}")),
    Rule("python2-method", ("AttributeError",), r"object has no attribute '(\w+)'",
         _table(PYTHON2_METHODS, "{name} is Python 2: use {use}")),
    Rule("python2-lazy", ("TypeError",), r"'(\w+)' object is not subscriptable",
         _table(LAZY, "{use} is lazy in Python 3: wrap it in list(...) to index it")),
    Rule("numpy2-removed", ("AttributeError",), r"(?:module 'numpy' has no attribute '|`np\.)(\w+)",
         _table(NUMPY2_REMOVED, "np.{name} was removed from NumPy: use {use}")),
    Rule("float-size", ("TypeError", "IndexError", "ValueError"),
         r"'(?:numpy\.)?float(?:64|32)?' object cannot be interpreted as an? (?:integer|index)"
         r"|slice indices must be integers|only integers, slices \(`:`\)|cannot be safely interpreted as an integer",
         _constant("a size or an index is a float: / always gives a float in Python 3; use // (H = b.shape[0] // 4)")),
    Rule("signature", ("TypeError",), r"^(\w+)\(\) (?:takes|missing|got an unexpected)", _signature),
    Rule("batch-of-one", ("ValueError", "IndexError", "TypeError", "AxisError", "LinAlgError", "RuntimeError"), r"",
         _batch_of_one),
    Rule("swapped-weights", ("ValueError",), r"not aligned|mismatch in its core dimension|shapes", _swapped_product),
    Rule("batch-of-one", (WRONG_SHAPE,), RETURNED_SHAPE, _lost_axis),
    Rule("swapped-weights", (WRONG_SHAPE,), RETURNED_SHAPE, _shaped_like_another),
)


@dataclass(frozen=True)
class Hint:
    """A recognised cause: ``id`` (stable, for counting) and the fix, one sentence."""
    id: str
    text: str


def for_error(kind, message, context):
    """The hint for an exception ``kind: message`` raised in ``context``, or None.

    ``kind`` WRONG_SHAPE with the comparison's problem ("dWx has shape (6, 6),
    expected (5, 6)") asks about a returned value of the wrong shape.
    """
    for pattern, text in context.layer.hints.items():  # the course's own first
        if re.search(pattern, f"{kind}: {message or ''}"):
            return Hint("course", text)
    for rule in RULES:
        text = rule.apply(kind, message or "", context)
        if text:
            return Hint(rule.id, text)
    return None


def _drops_an_axis_of_one(got, expected):
    return any(expected[i] == 1 and tuple(expected[:i] + expected[i + 1:]) == tuple(got)
               for i in range(len(expected)))


def _definitions(source, names):
    """Source text of the top-level functions ``names`` (empty without a source)."""
    if source is None:
        return []
    tree = ast.parse(source.text)
    return [ast.get_source_segment(source.text, node) or "" for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in names]
