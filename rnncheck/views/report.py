"""Verdicts for people (a table, coloured on terminals) and for tools (JSON)."""
import json
import os

from .. import __version__

COLOURS = {"pass": "32", "fail": "31", "error": "31", "timeout": "33", "missing": "33",
           "skipped": "33"}


def use_colour(stream):
    """Colour only on a terminal, and never when NO_COLOR is set."""
    return stream.isatty() and not os.environ.get("NO_COLOR")


def as_json(verdict):
    """The verdict contract of DESIGN.md: one JSON object on one line."""
    return json.dumps(verdict, allow_nan=False, default=_plain)


def _plain(value):
    return float(value) if hasattr(value, "__float__") else str(value)


def as_text(verdict, colour=False):
    """One row per function (status, worst relative error, message), then a summary.

    A function with something to fix first (``fix``) gets it on its row and the details on the next line.
    """
    def paint(status, text):
        return f"\033[{COLOURS[status]}m{text}\033[0m" if colour else text

    width = max([len(f["name"]) for f in verdict["functions"]] + [8])
    lines = [f"rnncheck {__version__}: {verdict['candidate']} (seed {verdict['seed']})"]
    for function in verdict["functions"]:
        error = function.get("error")
        shown = f"{error:.1e}" if error is not None else "-"
        status = paint(function["status"], f"{function['status'].upper():<7}")
        fix, message = function.get("fix"), function["message"]
        if fix and message.startswith(f"{fix}; "):  # what to fix first on the row, the details under it
            lines.append(f"  {status} {function['name']:<{width}} {shown:>8}  {fix}")
            lines.append(f"  {'':<7} {'':<{width}} {'':>8}  {message[len(fix) + 2:]}")
        else:
            lines.append(f"  {status} {function['name']:<{width}} {shown:>8}  {message}")
        lines += [f"  {'':<7} {'':<{width}} {'':>8}  warning: {w}" for w in function["warnings"]]
    lines += [f"  {note}" for note in notes(verdict)]
    outcome = paint("pass", "PASSED") if verdict["passed"] else paint("fail", "FAILED")
    lines.append(f"{outcome}: {summary(verdict)} (reproduce with --seed {verdict['seed']})")
    return "\n".join(lines)


def summary(verdict):
    """How many functions got each status: "12 pass, 2 fail"."""
    counts = {}
    for function in verdict["functions"]:
        counts[function["status"]] = counts.get(function["status"], 0) + 1
    return ", ".join(f"{n} {s}" for s, n in counts.items())


def explanation(function):
    """A function's verdict as text for an autograder or a test report: status and message
    (which leads with the recognised mistake, when there is one), then the warnings, one per line."""
    lines = [f"{function['status'].upper()}: {function['name']} {function['message']}"]
    lines += [f"warning: {w}" for w in function.get("warnings", [])]
    return "\n".join(lines)


def course_line(course):
    """"course: dlai (deeplearning.ai ...), recognised: it defines rnn_cell_forward, ..."."""
    how = {"requested": "as asked", "recognised": f"recognised: {course['why']}",
           "default": f"the default: {course['why']}"}[course["chosen"]]
    return f"course: {course['name']} ({course['title']}), {how}"


def notes(verdict):
    """File-level notes of a verdict (statements that failed to load, printed output cut)."""
    lines = [course_line(verdict["course"])] if verdict.get("course") else []
    lines += [f"note: {w}" for w in verdict.get("warnings", [])]
    missing = (verdict.get("isolation") or {}).get("missing")
    if missing:
        lines.append(f"warning: submitted code ran without full isolation: {'; '.join(missing)} (see SECURITY.md)")
    output = verdict.get("output", {})
    if output.get("bytes", 0) > len(output.get("kept", "").encode()):
        lines.append(f"note: the submission printed {output['bytes']:,} bytes; "
                     f"only the first {len(output['kept'].encode()):,} were kept")
    return lines
