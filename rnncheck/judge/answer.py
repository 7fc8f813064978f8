"""Judging one case's answer from the worker: its values against the reference, or what it raised.

``judge_case`` turns a reply (or the ``Crash`` it met) into a case outcome:
the status, the error of every output, what is wrong and where (``diagnose``,
``errormap``), the fix where a hint knows it, and the ``Trial`` that known
mistakes and self-consistency are tried on.
"""
from . import compare, diagnose, errormap, hints, hygiene, numeric, recognise
from ..sandbox.limits import Crash

ESCAPED_NEWLINE = "\\n"


def judge_case(answer, source, layer, function, case, reference, tolerances, limits, earlier=()):
    """Judge the worker's answer for one case: a (reply, arrays) pair or the Crash it met.

    ``reference`` is the case's ``Expected``; ``earlier``: outcomes of the cases before.
    """
    backward = function == layer.backward
    context = hints.Context(function, layer, case.dims, source, stage="backward" if backward else None,
                            passed_before=any(o["status"] == "pass" for o in earlier))
    expected = list(reference.grads if backward else reference.outputs)
    names = layer.grads if backward else layer.outputs
    if isinstance(answer, Crash):
        return {"status": answer.status, "problem": answer.message, "warnings": []}
    header, values = answer
    warnings = list(header.get("warnings", []))
    warnings += [f"modifies its input {name} in place" for name in header.get("mutated", [])]
    warnings += hygiene.warnings(header.get("hygiene"), tolerances["float64"])
    if not header["ok"]:
        context.stage, context.within = header.get("stage"), header.get("in")
        return _raised(header, source, layer, warnings, limits, context)
    if header["outputs"] and all(meta["kind"] == "none" for meta in header["outputs"]):
        return {"status": "missing", "warnings": warnings, "problem": "not implemented (returns None)"}
    cached = not backward and layer.backward is not None  # a forward returns its cache last
    wanted = len(names) + cached
    if backward and layer.returns == "dict":
        if header["count"] is None:
            return {"status": "fail", "warnings": warnings,
                    "problem": f"returned a {header['container']}, expected a dict with {', '.join(names)}"}
        absent = [name for name, meta in zip(names, header["outputs"]) if meta["kind"] == "none"]
        if absent:
            return {"status": "fail", "warnings": warnings,
                    "problem": f"the returned dict has no {', '.join(absent)} (expected {', '.join(names)})"}
    elif len(names) > 1 or cached:
        if header["count"] is None:
            return {"status": "fail", "warnings": warnings,
                    "problem": f"returned a {header['container']}, expected a tuple of {wanted}"}
        if header["count"] != wanted:
            return {"status": "fail", "warnings": warnings,
                    "problem": f"returned {header['count']} values, expected {wanted}"
                               f" ({', '.join(names)}{', cache' if wanted > len(names) else ''})"}
    judgements = [compare.judge(name, meta, values[meta["index"]] if "index" in meta else None, exp, tolerances)
                  for name, meta, exp in zip(names, header["outputs"], expected)]
    outcome = {"status": "pass" if all(j.ok for j in judgements) else "fail",
               "errors": {j.name: j.error for j in judgements},
               "warnings": warnings + [w for j in judgements for w in j.warnings]}
    if backward:
        outcome["numeric"] = numeric.case_evidence(layer, header, values, judgements, reference)
    got = [values[meta["index"]] if "index" in meta else None for meta in header["outputs"]]
    outcome["trial"] = recognise.Trial(list(reference.inputs), list(reference.upstream) if backward else [],
                                      got, expected, failed=outcome["status"] == "fail",
                                      outputs=list(reference.outputs))
    wrong = [j for j in judgements if not j.ok]
    if wrong:
        outcome["problem"] = _explain(wrong, judgements, header, values, expected, names, layer, case)
        outcome["wrong"] = [j.name for j in wrong]
        outcome["error_maps"] = _error_maps(wrong, header, values, expected, names, layer)
        _hint_shapes(outcome, wrong, context)
    return outcome


def _error_maps(wrong, header, values, expected, names, layer):
    """Grid of the error of each wrong array that has values to compare (errormap)."""
    maps = {}
    for judgement in wrong:
        position = names.index(judgement.name)
        if judgement.error is not None:
            got = values[header["outputs"][position]["index"]]
            maps[judgement.name] = errormap.error_map(judgement.name, got, expected[position], layer)
    return {name: grid for name, grid in maps.items() if grid}


def _hint_shapes(outcome, wrong, context):
    """Put the hint first when a wrong shape points at a known cause (swapped weights, a squeeze)."""
    hint = next(filter(None, (hints.for_error(hints.WRONG_SHAPE, j.problem, context) for j in wrong)), None)
    outcome["problem"], extra = hinted(hint, outcome["problem"])
    outcome.update(extra)


def hinted(hint, detail):
    """(message, extra verdict keys): the hint's fix first and ``detail`` after it, or ``detail`` alone."""
    return (f"{hint.text} ({detail})", {"hint": vars(hint)}) if hint else (detail, {})


def _explain(wrong, judgements, header, values, expected, names, layer, case):
    """Which outputs are wrong, and the most telling diagnosis among them."""
    structural = next((j for j in wrong if j.problem), None)
    if structural:
        return structural.problem
    hints = []
    for judgement in wrong:
        position = names.index(judgement.name)
        got = values[header["outputs"][position]["index"]]
        hints.append((*diagnose.describe(judgement.name, got, expected[position], layer, case.dims),
                      judgement))
    _, hint, focus = max(hints, key=lambda h: h[0])
    right = [j.name for j in judgements if j.ok]
    lead = f"{', '.join(j.name for j in wrong)} {'is' if len(wrong) == 1 else 'are'} wrong"
    lead += f" ({', '.join(right)} right)" if right else ""
    return f"{lead}; {focus.name} (relative error {focus.error:.2g}): {hint}"


def _raised(header, source, layer, warnings, limits, context):
    kind, text = header["type"], header["message"]
    place = f" at {source.where(header['line'])}" if header.get("line") else ""
    if header.get("in") and header["in"] not in (layer.forward, layer.backward, "<module>"):
        place += f" in {header['in']}"
    if kind == "NoCache" or header.get("stage") == "forward" and layer.backward:
        return {"status": "skipped", "warnings": warnings,
                "problem": f"its forward failed before the backward could run: {kind}: {text}{place}"}
    if header.get("blocked"):
        return {"status": "error", "warnings": warnings,
                "problem": f"blocked by the sandbox: {header['blocked']} ({kind}{place})"}
    if kind == "NotImplementedError":
        return {"status": "missing", "warnings": warnings, "problem": "not implemented (raises NotImplementedError)"}
    if kind == "MemoryError":
        text = f"out of memory (the worker's cap is {limits.memory_bytes / 2 ** 30:g} GiB; --memory sets it)"
    if kind == "SystemExit":
        text = f"called sys.exit({text}); exiting is never a pass"
    hint = hints.for_error(kind, header["message"], context)
    if hint:  # after the fix, the error's first line is enough (newlines arrive escaped)
        text = text.split(ESCAPED_NEWLINE)[0]
    problem, extra = hinted(hint, f"raised {kind}: {text}{place}")
    return {"status": "error", "warnings": warnings, "problem": problem, **extra}
