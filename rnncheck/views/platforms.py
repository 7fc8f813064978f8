"""Autograder results: Gradescope's and PrairieLearn's ``results.json``, views of one verdict.

Both carry one test per checked function, worth its weight (``scores``).
A verdict marked ``unchecked`` (the file was missing, not UTF-8, not a
notebook...) still gives a valid results file: score 0 on Gradescope; on
PrairieLearn ``gradable: false``, which costs the student no attempt.
"""
import math

from . import scores
from .report import explanation, notes


def gradescope(verdict, weights=None, seconds=0.0, visibility="visible"):
    """Gradescope's results.json: ``score`` (the sum of the tests), ``execution_time``, ``output``, ``tests``."""
    tests = [{"name": function["name"], "score": got, "max_score": most,
              "status": "passed" if function["status"] == "pass" else "failed",
              "output": explanation(function), "visibility": visibility}
             for function, got, most in scores.points(verdict, weights)]
    return {"score": sum(t["score"] for t in tests), "execution_time": math.ceil(seconds),
            "output": _overview(verdict, weights), "visibility": visibility, "tests": tests}


def prairielearn(verdict, weights=None):
    """PrairieLearn's external-grader results.json: ``gradable``, ``score`` in 0..1, ``message``, ``tests``."""
    tests = [{"name": function["name"], "points": got, "max_points": most,
              "message": function["message"], "output": explanation(function)}
             for function, got, most in scores.points(verdict, weights)]
    score, most = scores.total(verdict, weights)
    results = {"gradable": not verdict.get("unchecked"),
               "score": score / most if most else float(verdict["passed"]),
               "message": _headline(verdict, weights), "output": _overview(verdict, weights), "tests": tests}
    if verdict.get("unchecked"):
        results["format_errors"] = [verdict["unchecked"]]
    return results


def _headline(verdict, weights):
    if verdict.get("unchecked"):
        return f"{verdict['candidate']} could not be checked: {verdict['unchecked']}"
    score, most = scores.total(verdict, weights)
    failing = [f["name"] for f in verdict["functions"] if f["status"] != "pass"]
    head = f"{_plain(score)} of {_plain(most)} points"
    return head + (f"; not passing: {', '.join(failing)}" if failing else "; every function passes")


def _overview(verdict, weights):
    lines = [f"rnncheck: {verdict['candidate']} (seed {verdict['seed']})", _headline(verdict, weights)]
    return "\n".join(lines + notes(verdict))


def _plain(value):
    return f"{value:g}"
