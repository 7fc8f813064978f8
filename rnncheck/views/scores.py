"""Points from a verdict: a required function that passes earns its weight (default 1).

Functions checked because a submission defines them but that the course
does not require (GRU by default) are reported with 0 points out of 0, so
every submission is graded out of the same total.
"""


def points(verdict, weights=None):
    """``[(function result, points, max points)]`` in the verdict's order."""
    weights = weights or {}
    rows = []
    for function in verdict["functions"]:
        most = weights.get(function["name"], 1) if function.get("required", True) else 0
        rows.append((function, most if function["status"] == "pass" else 0, most))
    return rows


def total(verdict, weights=None):
    """(score, max score) of a verdict."""
    rows = points(verdict, weights)
    return sum(r[1] for r in rows), sum(r[2] for r in rows)
