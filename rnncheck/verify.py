"""Checking a submission: every catalogue function, every case, in the sandbox.

The protocol (DESIGN.md): a forward's outputs are compared with the
reference forward; a backward is fed the candidate's own cache (the
forward is re-run for every backward call) and the same upstream gradients
as the reference VJP, and its gradients are compared with the reference's.
"""
import ast
import fnmatch

from . import compare, diagnose, policy
from .cases import case_rng, cases_for, make_inputs, make_upstream
from .catalogue import CATALOGUE, FUNCTIONS, REQUIRED, reference_function
from .loader import from_bytes
from .sandbox import BLOCKED, Crash, Sandbox

PROBLEMS = ("error", "timeout", "fail", "missing", "skipped")
MANUAL_SOURCE = b"from manual import *\n"


def check_manual(seed, patterns=None, limits=None):
    """Verdict on the bundled ``manual`` package (the README's first command)."""
    source = from_bytes(MANUAL_SOURCE, "manual")
    verdict = check_source(source, seed, patterns, limits, tuple(b for b in BLOCKED if b != "manual"))
    verdict["candidate"] = "manual"
    return verdict


def check_source(source, seed, patterns=None, limits=None, blocked=BLOCKED):
    """Run the whole check of one loaded submission; returns the verdict dict."""
    if patterns:
        selected = [f for f in FUNCTIONS if any(fnmatch.fnmatchcase(f, p) for p in patterns)]
        required = set(selected)
    else:
        selected, required = list(FUNCTIONS), set(REQUIRED)
    results, warnings = {}, []
    decided = {f: ("error", f"uses {m}, which a submission may not import "
                            f"(rnncheck --allow-import {m} lifts this)")
               for f, m in policy.violations(source, blocked).items()}
    with Sandbox(source, limits, blocked) as sandbox:
        warnings += _load(sandbox, source, decided)
        present = _callable(sandbox) | set(decided)
        for layer in CATALOGUE:
            for function in layer.functions:
                if function not in selected or (function not in required and function not in present):
                    continue
                results[function] = _check_function(sandbox, source, layer, function, present,
                                                    results, seed, decided)
    output = {"bytes": sandbox.output_total, "kept": sandbox.output.decode("utf-8", "replace")}
    _note_dependencies(results, source)
    functions = [results[f] for f in FUNCTIONS if f in results]
    return {"candidate": source.path, "passed": all(r["status"] == "pass" for r in functions),
            "seed": seed, "functions": functions, "warnings": warnings, "output": output,
            "isolation": sandbox.isolation}


def _load(sandbox, source, decided):
    """Execute the kept statements; a warning for each that failed.

    A function whose last definition failed (a decorator or a default
    argument raised or hung) is ``decided``: it gets that failure as verdict.
    """
    body = ast.parse(source.text).body
    warnings = []
    for index in source.keep:
        line = body[index].lineno
        first = source.text.splitlines()[line - 1].strip()
        try:
            failure = sandbox.execute(index)
            if not failure:
                continue
            status, text = "error", f"raised {failure['type']}: {failure['message']}"
            warnings.append(f"{source.where(line)}: `{first[:60]}` failed: {text[7:]}")
        except Crash as crash:
            status, text = crash.status, crash.message
            warnings.append(f"{source.where(line)}: `{first[:60]}` {text}; skipped")
        name = getattr(body[index], "name", None)
        if source.functions.get(name) == body[index].lineno:
            decided.setdefault(name, (status, f"its definition at {source.where(line)} {text}"))
    return warnings


def _callable(sandbox):
    try:
        return set(sandbox.request({"op": "names", "names": list(FUNCTIONS)})[0]["callable"])
    except Crash:
        return set()


def _result(function, status, message, **extra):
    return dict({"name": function, "status": status, "message": message, "warnings": []}, **extra)


def _check_function(sandbox, source, layer, function, present, results, seed, decided):
    if function in source.broken:
        return _result(function, "error", f"could not be parsed: {source.broken[function]}")
    if function in decided:
        return _result(function, *decided[function])
    if function not in present:
        return _result(function, "missing", "not defined")
    if function in source.stubs:
        return _result(function, "missing", "not implemented (the body is still the stub)")
    backward = function == layer.backward
    if backward:
        forward = results.get(layer.forward)
        if forward and forward["status"] in ("error", "timeout", "missing", "skipped"):
            why = {"missing": "is not implemented"}.get(forward["status"], f"gave no cache ({forward['status']})")
            return _result(function, "skipped", f"needs {layer.forward}, which {why}",
                           requires=layer.forward)
        if layer.forward not in present:
            return _result(function, "skipped", f"needs {layer.forward}, which is not defined",
                           requires=layer.forward)
    outcomes = []
    for index, case in enumerate(cases_for(layer)):
        outcome = _run_case(sandbox, source, layer, backward, case, case_rng(seed, layer, index))
        outcome["case"] = case.label
        outcomes.append(outcome)
        if outcome["status"] in ("timeout", "missing", "skipped"):
            break  # more cases would only repeat it (or wait for it)
    result = _summarise(function, outcomes)
    if backward:
        result["requires"] = layer.forward
        if results.get(layer.forward, {}).get("status") == "fail" and result["status"] != "pass":
            result["message"] += f" (its forward {layer.forward} is wrong too: fix that first)"
    return result


def _run_case(sandbox, source, layer, backward, case, rng):
    """One call (forward) or forward+backward pair on one case."""
    inputs = make_inputs(layer, case, rng)
    expected = reference_function(layer.forward)(*inputs)
    if layer.backward:
        *expected, cache = expected
    elif len(layer.outputs) == 1:
        expected = [expected]
    names = layer.outputs
    request = {"op": "call", "function": layer.forward, "inputs": [i.name for i in layer.inputs],
               "outputs": list(layer.outputs), "cache": bool(layer.backward)}
    arrays = inputs
    if backward:
        upstream = make_upstream(expected, rng)
        grads = reference_function(layer.backward)(*upstream, cache)
        expected = list(grads) if isinstance(grads, tuple) else [grads]
        names = layer.grads
        request = {"op": "backward", "forward": layer.forward, "backward": layer.backward,
                   "inputs": request["inputs"], "upstream": list(layer.upstream),
                   "outputs": list(names)}
        arrays = inputs + upstream
    seconds = sandbox.limits.call_seconds * (2 if backward else 1)
    try:
        header, values = sandbox.request(request, arrays, seconds=seconds)
    except Crash as crash:
        return {"status": crash.status, "problem": crash.message, "warnings": []}
    warnings = list(header.get("warnings", []))
    warnings += [f"modifies its input {name} in place" for name in header.get("mutated", [])]
    if not header["ok"]:
        return _raised(header, source, layer, warnings, sandbox.limits)
    if header["outputs"] and all(meta["kind"] == "none" for meta in header["outputs"]):
        return {"status": "missing", "warnings": warnings, "problem": "not implemented (returns None)"}
    wanted = len(names) + (1 if request["op"] == "call" and layer.backward else 0)
    if len(names) > 1 or request.get("cache"):
        if header["count"] is None:
            return {"status": "fail", "warnings": warnings,
                    "problem": f"returned a {header['container']}, expected a tuple of {wanted}"}
        if header["count"] != wanted:
            return {"status": "fail", "warnings": warnings,
                    "problem": f"returned {header['count']} values, expected {wanted}"
                               f" ({', '.join(names)}{', cache' if wanted > len(names) else ''})"}
    judgements = [compare.judge(name, meta, values[meta["index"]] if "index" in meta else None, exp)
                  for name, meta, exp in zip(names, header["outputs"], expected)]
    outcome = {"status": "pass" if all(j.ok for j in judgements) else "fail",
               "errors": {j.name: j.error for j in judgements},
               "warnings": warnings + [w for j in judgements for w in j.warnings]}
    wrong = [j for j in judgements if not j.ok]
    if wrong:
        outcome["problem"] = _explain(wrong, judgements, header, values, expected, names, layer, case)
    return outcome


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


def _raised(header, source, layer, warnings, limits):
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
    return {"status": "error", "warnings": warnings, "problem": f"raised {kind}: {text}{place}"}


def _summarise(function, outcomes):
    """Function verdict from its case outcomes: the first problem speaks."""
    worst = max((e for o in outcomes for e in o.get("errors", {}).values() if e is not None), default=None)
    problems = [o for o in outcomes if o["status"] != "pass"]
    warnings = list(dict.fromkeys(w for o in outcomes for w in o["warnings"]))
    cases = [{"case": o["case"], "status": o["status"], "errors": o.get("errors", {}),
              **({"problem": o["problem"]} if "problem" in o else {})} for o in outcomes]
    if not problems:
        return _result(function, "pass", f"all {len(outcomes)} cases match", warnings=warnings,
                       error=worst, cases=cases)
    status = next(s for s in PROBLEMS if any(o["status"] == s for o in problems))
    first = next(o for o in problems if o["status"] == status)
    message = f"{first['problem']} (case {first['case']})"
    if len(problems) < len(outcomes):
        passing = [o["case"] for o in outcomes if o["status"] == "pass"]
        message += f"; fails {len(problems)} of {len(outcomes)} cases, passes {', '.join(passing)}"
    return _result(function, status, message, warnings=warnings, error=worst, cases=cases)


def _note_dependencies(results, source):
    """Point a function that does not pass at the catalogue functions it calls that don't either."""
    for name, result in results.items():
        if result["status"] in ("pass", "missing"):
            continue
        culprits = sorted(c for c in source.calls.get(name, ()) if c != name
                          and results.get(c, {}).get("status") in ("fail", "error", "timeout", "missing"))
        if culprits:
            called = ", ".join(f"{c} ({results[c]['status']})" for c in culprits)
            result["message"] += f"; it calls {called}: fix that first"
