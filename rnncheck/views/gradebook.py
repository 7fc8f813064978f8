"""CSV for a gradebook: one row per submission, one column per function (its status), passed, score, mistakes."""
import csv
import io

from . import scores


def header(functions):
    """Column names: ``submission``, each function, ``passed``, ``score``, ``max_score``, ``mistakes``.

    ``mistakes`` (added last, so the other columns keep their places) lists each function's
    known mistake as ``function=mistake_id``, separated by ``; ``; empty when none was named.
    """
    return ["submission", *functions, "passed", "score", "max_score", "mistakes"]


def row(verdict, functions, weights=None):
    """One submission's cells; a function that was not checked (optional and undefined) is empty."""
    status = {f["name"]: f["status"] for f in verdict["functions"]}
    score, most = scores.total(verdict, weights)
    named = {f["name"]: f["mistake"]["id"] for f in verdict["functions"] if "mistake" in f}
    return [verdict["candidate"], *(status.get(f, "") for f in functions),
            "true" if verdict["passed"] else "false", _number(score), _number(most),
            "; ".join(f"{f}={named[f]}" for f in functions if f in named)]


def line(cells):
    """Cells as one CSV line (RFC 4180 quoting, no line end)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(cells)
    return buffer.getvalue()


def _number(value):
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
