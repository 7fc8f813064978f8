"""Checking a submission: every catalogue function, every case, in the sandbox.

The protocol (DESIGN.md): a forward's outputs are compared with the
reference forward; a backward is fed the candidate's own cache (the
forward is re-run for every backward call) and the same upstream gradients
as the reference VJP, and its gradients are compared with the reference's.
A function that fails is then tried against its known mistakes (``recognise``,
in this process, on the same inputs) and, for a backward or a loss's own
gradient, against finite differences of its own forward (``consistency``, in
the worker); what to fix first leads its message.
"""
import contextlib
import fnmatch

from . import compare, consistency, hints, numeric, recognise
from .answer import hinted, judge_case
from ..sandbox import forkserver, frameworks
from ..load import autograd_use, policy, signatures, which_course
from ..oracle.cases import cases_for
from .. import courses
from ..oracle.expected import drawn_inputs, expected, prefetch
from ..load.loader import from_bytes
from ..sandbox.limits import BLOCKED, Crash, Limits
from ..sandbox.session import Sandbox, arguments, forward_call

PROBLEMS = ("error", "timeout", "fail", "missing", "skipped")
MANUAL_SOURCE = b"from rnncheck.manual import *\n"


def check_manual(seed, patterns=None, limits=None, tolerances=None):
    """Verdict on the bundled ``manual`` package (the README's first command): the CS231n course's layers."""
    source = from_bytes(MANUAL_SOURCE, "manual")
    verdict = check_source(source, seed, patterns, limits, tuple(b for b in BLOCKED if b != "rnncheck"), tolerances,
                           course="cs231n")
    verdict["candidate"] = "manual"
    return verdict


def prepare(seed, patterns=None, course=None):
    """Have the reference answers of ``seed`` computed ahead of the check (the oracle process, else a thread).

    ``check_source`` does it itself; a caller that knows the seed (and the
    course: the default without one) before it has loaded the submission
    gains by calling it first.
    """
    forkserver.prestart()  # (a no-op when the command started it) with the oracle process
    course = _course(course)
    selected = selection(patterns, course)[0]
    prefetch(seed, [layer for layer in course.layers if any(f in selected for f in layer.functions)])


def selection(patterns=None, course=None):
    """(functions to check, functions required) for ``--functions`` globs; all and the required ones without."""
    course = _course(course)
    if patterns:
        selected = [f for f in course.functions if any(fnmatch.fnmatchcase(f, p) for p in patterns)]
        return selected, set(selected)
    return list(course.functions), set(course.required)


def _course(course):
    """A ``Course`` from a course, a name or path, or None (the default)."""
    return course if isinstance(course, courses.Course) else courses.load(course)


def check_source(source, seed, patterns=None, limits=None, blocked=BLOCKED, tolerances=None, course=None):
    """Run the whole check of one loaded submission; returns the verdict dict.

    ``tolerances`` ({"float64": ..., "float32": ...}) defaults to ``compare.TOLERANCE``;
    it reaches the comparison as an argument, so submissions checked side by side
    never see each other's settings.  ``course`` (a ``Course``, a name or a
    path) is the homework to check against; without it, the one the file's
    definitions fit (``which_course``), and the verdict's ``course`` says how.
    """
    course, chosen = which_course.choose(source, course)
    selected, required = selection(patterns, course)
    tolerances = dict(compare.TOLERANCE, **(tolerances or {}))
    results, warnings = {}, list(source.warnings)
    if course.framework == "torch":  # the course's own framework: importable, readable
        why = frameworks.unavailable(course, limits or Limits())
        if why:
            return dict(unchecked(source.path, seed, patterns, why, course), course=chosen)
        blocked = tuple(b for b in blocked if b != "torch")
    decided = {f: ("error", f"uses {m}, which a submission may not import "
                            f"(rnncheck --allow-import {m} lifts this)")
               for f, m in policy.violations(source, blocked).items()}
    if course.framework == "torch":  # a hand-derived backward may not hand its work to autograd
        backwards = [layer.backward for layer in course.layers if layer.backward]
        decided.update((f, ("error", why)) for f, why in autograd_use.violations(source, backwards).items())
    prepare(seed, patterns, course)
    with Sandbox(source, limits, blocked, course) as sandbox:
        warnings += _load(sandbox, source, decided)
        present = _callable(sandbox, course) | set(decided)
        for layer in course.layers:
            for function in layer.functions:
                if function not in selected or function not in required and (
                        function not in present or function in source.stubs):  # an optional one not written
                    continue
                result = _check_function(sandbox, source, layer, function, present, results, seed, decided,
                                         tolerances)
                if function not in required and result.pop("unfinished", 0) > 0.5:  # mostly the template still
                    warnings.append(f"{function} (optional) is still mostly the template: not checked")
                    continue
                results[function] = dict(result, required=function in required)
    output = {"bytes": sandbox.output_total, "kept": sandbox.output.decode("utf-8", "replace")}
    _note_dependencies(results, source)
    functions = [_lead_with_fixes(results[f]) for f in course.functions if f in results]
    return {"candidate": source.path, "passed": all(r["status"] == "pass" for r in functions),
            "seed": seed, "course": chosen, "functions": functions, "warnings": warnings, "output": output,
            "tolerances": tolerances, "isolation": sandbox.isolation}


def unchecked(path, seed, patterns, reason, course=None):
    """The verdict on a submission that could not be checked at all (missing, unreadable...).

    Every required function is an ``error`` carrying ``reason``, so that an
    autograder still gets one result per function; top-level ``unchecked``
    holds the reason.
    """
    chosen = _course(course)
    selected, required = selection(patterns, chosen)
    functions = [_lead_with_fixes(_result(f, "error", f"not checked: {reason}", required=True))
                 for f in selected if f in required]
    how = ("requested", "asked for") if course else ("default", "the file could not be read")
    return {"candidate": path, "passed": False, "seed": seed, "course": which_course.described(chosen, *how),
            "functions": functions, "warnings": [], "unchecked": reason}


def _load(sandbox, source, decided):
    """Execute the kept statements; a warning for each that failed.

    A function whose last definition failed (a decorator or a default
    argument raised or hung) is ``decided``: it gets that failure as verdict.
    """
    lines, warnings = source.text.splitlines(), []
    for index, failure in zip(source.keep, sandbox.execute(source.keep)):
        if failure is None:
            continue
        line, name = source.statements[index]
        first = lines[line - 1].strip()
        if isinstance(failure, Crash):
            status, text = failure.status, failure.message
            warnings.append(f"{source.where(line)}: `{first[:60]}` {text}; skipped")
        else:
            status, text = "error", f"raised {failure['type']}: {failure['message']}"
            warnings.append(f"{source.where(line)}: `{first[:60]}` failed: {text[7:]}")
        if source.functions.get(name) == line:
            decided.setdefault(name, (status, f"its definition at {source.where(line)} {text}"))
    return warnings


def _callable(sandbox, course):
    try:
        return set(sandbox.request({"op": "names", "names": list(course.functions)})[0]["callable"])
    except Crash:
        return set()


def _result(function, status, message, **extra):
    """A function's verdict; ``leads`` (what to fix first) is folded into the message at the end."""
    return dict({"name": function, "status": status, "message": message, "warnings": [], "leads": {}}, **extra)


def _check_function(sandbox, source, layer, function, present, results, seed, decided, tolerances):
    if function in source.broken:
        hint = hints.for_error("SyntaxError", source.broken[function], hints.Context(function, layer, {}, source))
        message, extra = hinted(hint, f"could not be parsed: {source.broken[function]}")
        return _result(function, "error", message, **extra)
    if function in decided:
        return _result(function, *decided[function])
    if function not in present:
        elsewhere = signatures.other_course(layer, function, source.signatures)
        return _result(function, "missing", f"not defined ({elsewhere})" if elsewhere else "not defined")
    if function in source.stubs:
        return _result(function, "missing", "not implemented (the body is still the stub)")
    different = signatures.mismatch(layer, function, source.signatures.get(function))
    if different:
        return _result(function, "error", different)
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
    cases, outcomes, course = cases_for(layer), [], courses.load(layer.course)
    requests = [_case_request(layer, backward, seed, index, sandbox.limits) for index in range(len(cases))]
    with contextlib.closing(sandbox.stream(requests)) as answers:
        for index, answer in enumerate(answers):  # the reference is computed while the worker runs the next cases
            outcome = judge_case(answer, source, layer, function, cases[index], expected(seed, layer, index),
                                tolerances, sandbox.limits, outcomes)
            outcome["case"] = course.label(cases[index].label)
            outcomes.append(outcome)
            if outcome["status"] in ("timeout", "missing", "skipped"):
                break  # more cases would only repeat it (or wait for it)
    result = _summarise(function, outcomes)
    if result["status"] in ("error", "missing") and function in source.placeholders:  # a template not finished
        line, share = source.placeholders[function]
        return _result(function, "missing", f"not finished: the template's placeholder at {source.where(line)} is "
                                            f"still there ({result['message']})", unfinished=share)
    trials = [o["trial"] for o in outcomes if "trial" in o]
    if any(o["status"] == "fail" for o in outcomes):
        _name_the_mistake(result, layer, backward, trials, results)
    if result["status"] == "fail" and consistency.applies(layer, function):
        _check_consistency(result, sandbox, layer, function, trials, results, seed)
    if backward:
        numeric.judge(result, [o.get("numeric") for o in outcomes], sandbox.limits.strict)
        result["requires"] = layer.forward
        if results.get(layer.forward, {}).get("status") == "fail" and result["status"] != "pass" \
                and "forward" not in result["leads"]:
            result["leads"]["forward"] = f"its forward {layer.forward} is wrong too: fix that first"
    return result


def _name_the_mistake(result, layer, backward, trials, results):
    """A known mistake the candidate's results reproduce leads the message (and goes in ``mistake``)."""
    recognised = {r["mistake"]["id"] for r in results.values() if "mistake" in r}
    mistake = recognise.recognise(result["name"], layer, backward, trials, recognised)
    if mistake:
        result["mistake"] = mistake.as_json()
        result["leads"]["mistake"] = f"this matches a known mistake: {mistake.title}. Hint: {mistake.hint}"


def _check_consistency(result, sandbox, layer, function, trials, results, seed):
    """Finite differences of the candidate's own forward on its first failing case."""
    failing = next((t for t in trials if t.failed and all(g is not None for g in t.got)), None)
    if failing is None:
        return
    found = consistency.check(sandbox, layer, function, failing, seed)
    if found is None:
        return
    result["consistency"] = found
    phrase = consistency.sentence(found, layer, function, results.get(layer.forward, {}).get("status"))
    if phrase and "mistake" not in result and "hint" not in result:  # those say more precisely what to fix
        result["leads"]["forward"] = phrase


def _lead_with_fixes(result):
    """The message starts with what to fix (known mistake, failing callee, forward), then the details.

    That first part is also kept alone as ``fix``, so a report can put the details on a line of their own.
    """
    leads = result.pop("leads")
    parts = [leads[key] for key in ("mistake", "callee", "forward") if key in leads]
    if parts:
        result["fix"] = "; ".join(parts)
        result["message"] = f"{result['fix']}; {result['message']}"
    return result


def _case_request(layer, backward, seed, index, limits):
    """(header, arrays, seconds) of the worker request for case ``index``: a forward call, or forward+backward.

    Only the inputs (and, for a backward, the upstream gradients) are needed
    to send it; the reference outputs are computed while the worker runs.
    """
    if not backward:
        return forward_call(layer), list(drawn_inputs(seed, layer, index)), limits.call_seconds
    reference = expected(seed, layer, index)
    first = index == 0  # cache hygiene, a second backward, is measured once per function
    keys = list(layer.grads) if layer.returns == "dict" else None
    return ({"op": "backward", "forward": layer.forward, "backward": layer.backward,
             "inputs": [i.name for i in layer.inputs], "args": arguments(layer), "keys": keys,
             "upstream": list(layer.upstream), "outputs": list(layer.grads), "hygiene": first,
             "count_calls": numeric.counted(layer), **({"kwargs": dict(layer.given)} if layer.given else {})},
            list(reference.inputs) + list(reference.upstream), limits.call_seconds * (2 + first))


def _summarise(function, outcomes):
    """Function verdict from its case outcomes: the first problem speaks."""
    worst = max((e for o in outcomes for e in o.get("errors", {}).values() if e is not None), default=None)
    problems = [o for o in outcomes if o["status"] != "pass"]
    warnings = list(dict.fromkeys(w for o in outcomes for w in o["warnings"]))
    cases = [{"case": o["case"], "status": o["status"], "errors": o.get("errors", {}),
              **({"problem": o["problem"]} if "problem" in o else {}),
              **({"wrong": o["wrong"]} if "wrong" in o else {})} for o in outcomes]
    if not problems:
        return _result(function, "pass", f"all {len(outcomes)} cases match", warnings=warnings,
                       error=worst, cases=cases)
    status = next(s for s in PROBLEMS if any(o["status"] == s for o in problems))
    first = next(o for o in problems if o["status"] == status)
    mapped = next((o for o in [first] + problems if o.get("error_maps")), None)
    if mapped:  # where the values are wrong, for one case (the one the message names when it can)
        cases[outcomes.index(mapped)]["error_maps"] = mapped["error_maps"]
    message = f"{first['problem']} (case {first['case']})"
    if len(problems) < len(outcomes):
        passing = [o["case"] for o in outcomes if o["status"] == "pass"]
        message += f"; fails {len(problems)} of {len(outcomes)} cases, passes {', '.join(passing)}"
    hint = {"hint": first["hint"]} if "hint" in first else {}
    return _result(function, status, message, warnings=warnings, error=worst, cases=cases, **hint)


def _note_dependencies(results, source):
    """Point a function that does not pass at the catalogue functions it calls that don't either."""
    for name, result in results.items():
        if result["status"] in ("pass", "missing"):
            continue
        culprits = sorted(c for c in source.calls.get(name, ()) if c != name
                          and results.get(c, {}).get("status") in ("fail", "error", "timeout", "missing"))
        if culprits:
            called = ", ".join(f"{c} ({results[c]['status']})" for c in culprits)
            result["leads"]["callee"] = f"it calls {called}: fix that first"
