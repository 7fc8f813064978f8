"""A worker's reply, checked field by field before the rest of rnncheck reads it.

The worker runs submitted code, so its replies are untrusted: every field
must have the type the protocol gives it, ids must answer the request, and
the arrays must be what the header says; anything else is a ``WireError``
(the function is then an ``error``).
"""
from ..worker import wire

NONE = type(None)
COMMON = {"ok": (bool,), "id": (int,), "seconds": (int, float, NONE), "warnings": (list, NONE),
          "threads_left": (int, NONE)}
FAILURE = {"type": (str,), "message": (str,), "line": (int, NONE), "in": (str, NONE),
           "stage": (str, NONE), "base": (bool, NONE), "blocked": (str, NONE)}
ISOLATION = {"filesystem": (bool,), "network": (bool,), "signals": (bool,), "processes": (bool,),
             "scratch": (bool,), "tasks": (bool,), "missing": (list,), "landlock_abi": (int,), "seccomp": (bool,),
             "user": (str,)}
RETURNED = {"container": (str,), "count": (int, NONE), "mutated": (list,), "outputs": (list,)}
OUTPUT = {"kind": (str,), "type": (str,), "why": (str, NONE), "index": (int, NONE)}
KINDS = ("array", "none", "junk")
HYGIENE = {"modified": (list,), "shrunk": (list,), "again": (str, NONE), "difference": (int, float, NONE)}


def checked(request, reply, arrays):
    """The worker's reply to ``request``, verified and cleaned; raises WireError.

    Every field the parent reads has its JSON type checked, and the parts must
    agree: the reply answers this request (same id), each output the function
    returned is described exactly once, every array belongs to one output,
    and a function's outputs number what its count says, so that nothing
    returned goes unjudged.  Strings become printable, one line and bounded.
    """
    try:
        reply = _clean(reply)
    except RecursionError:
        raise wire.WireError("reply nested too deeply") from None
    _fields(reply, COMMON, "reply")
    _require(reply["id"] == request["id"], f"reply {reply['id']} to request {request['id']}")
    reply["warnings"] = [w for w in reply.get("warnings") or [] if type(w) is str][:20]
    if not reply["ok"]:
        _fields(reply, FAILURE, "failure")
        _require(not arrays, "arrays sent with a failure")
        return reply
    op = request.get("op")
    if op == "start":
        _fields(reply.get("isolation"), ISOLATION, "isolation")
        isolation = reply["isolation"]
        _require(all(type(m) is str for m in isolation["missing"]), "isolation field 'missing'")
        reply["isolation"] = {key: isolation[key] for key in ISOLATION}
    elif op == "names":
        names = reply.get("callable")
        _require(type(names) is list and _strings(names) and set(names) <= set(request["names"]), "callable names")
    elif op in wire.CALLS:
        _fields(reply, RETURNED, "result")
        inputs = request["inputs"] if op == "call" else request["upstream"]
        _require(_strings(reply["mutated"]) and set(reply["mutated"]) <= set(inputs), "mutated names")
        count, outputs = reply["count"], reply["outputs"]
        described = 0 if count is None else max(count - 1, 0) if request.get("cache") else count
        _require(len(outputs) == described, f"{len(outputs)} outputs described, count {count}")
        indices = []
        for meta in outputs:
            _fields(meta, OUTPUT, "output")
            _require(meta["kind"] in KINDS, f"output kind {meta['kind']!r}")
            _require((meta["kind"] == "array") == (meta.get("index") is not None), "output index")
            if meta.get("index") is not None:
                indices.append(meta["index"])
            else:
                meta.pop("index", None)
        _require(indices == list(range(len(arrays))), "arrays do not match the outputs")
        if reply.get("forward_calls") is not None:
            counts, counted = reply["forward_calls"], request.get("count_calls") or ()
            _require(op == "backward" and type(counts) is dict and all(
                name in counted and type(n) is int and 0 <= n < 1 << 62 for name, n in counts.items()),
                "forward call counts")
        if reply.get("hygiene") is not None:
            _require(op == "backward" and request.get("hygiene"), "cache report not asked for")
            _fields(reply["hygiene"], HYGIENE, "cache report")
            _require(all(type(p) is str for p in reply["hygiene"]["modified"] + reply["hygiene"]["shrunk"]),
                     "cache paths")
    else:
        _require(not arrays, f"arrays sent in reply to {op}")
    return reply


def _fields(mapping, spec, what):
    """Every field of ``spec`` has one of its types; a field that may be null and is absent becomes null."""
    _require(type(mapping) is dict, f"{what} is not an object")
    for key, kinds in spec.items():
        _require(type(mapping.get(key)) in kinds, f"{what} field {key!r}")
        if NONE in kinds:
            mapping.setdefault(key, None)  # the parent reads it as mapping[key]


def _strings(items):
    """Every item a string (before ``set()``: a list or a dict in a list is unhashable)."""
    return all(type(item) is str for item in items)


def _require(condition, what):
    if not condition:
        raise wire.WireError(f"invalid reply: {what}")


def _clean(value, limit=500):
    """A JSON value with every string printable, on one line and at most ``limit`` long.

    Integers must fit in 64 bits: a larger one (10**400) cannot even become a float to be printed.
    """
    if isinstance(value, str):
        if len(value) <= limit and value.isprintable():
            return value
        text = "".join(c if c.isprintable() else ascii(c)[1:-1] for c in value[:limit])
        return text + ("..." if len(value) > limit else "")
    if isinstance(value, list):
        return [_clean(item, limit) for item in value]
    if isinstance(value, dict):
        return {_clean(key, limit): _clean(item, limit) for key, item in value.items()}
    if type(value) is int and not -1 << 63 <= value < 1 << 63:
        raise wire.WireError("invalid reply: an integer beyond 64 bits")
    return value
