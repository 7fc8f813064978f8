"""The end of a text-format batch: one row per submission, then what fails most, per function."""
from ..judge.verify import PROBLEMS


def as_table(verdicts):
    """Rows ``candidate  passed/checked  failing functions``, then ``name: K of M fail`` per function.

    The per-function lines come most-failed first: what to explain in the next lecture.
    """
    width = max(len(v["candidate"]) for v in verdicts)
    passed = sum(v["passed"] for v in verdicts)
    lines = [f"Summary: {passed} of {len(verdicts)} submissions pass"]
    for verdict in verdicts:
        functions = verdict["functions"]
        good = sum(f["status"] == "pass" for f in functions)
        failing = ", ".join(f"{f['name']} ({f['status']})" for f in functions if f["status"] != "pass")
        lines.append(f"  {verdict['candidate']:<{width}}  {good:>2}/{len(functions):<2} pass"
                     f"{'  not passing: ' + failing if failing else ''}")
    totals = per_function(verdicts)
    order = list(totals)
    failing = sorted((n for n in order if totals[n][1]), key=lambda n: (-sum(totals[n][1].values()), order.index(n)))
    name_width = max(len(n) for n in order)
    lines.append("Per function:" if failing else "Per function: every function passes in every submission")
    for name in failing:
        checked, statuses = totals[name]
        kinds = [f"{statuses[s]} {s}" for s in PROBLEMS if s in statuses]
        detail = f" ({', '.join(kinds)})" if set(statuses) != {"fail"} else ""
        lines.append(f"  {name + ':':<{name_width + 1}} {sum(statuses.values())} of {checked} fail{detail}")
    passing = [n for n in order if not totals[n][1]]
    if failing and passing:
        lines.append(f"  passing in every submission: {', '.join(passing)}")
    return "\n".join(lines)


def per_function(verdicts):
    """``{function: (submissions that checked it, {status: how many of them got it, pass aside})}``.

    Functions come in the order the verdicts list them (the catalogue's).
    """
    totals = {}
    for verdict in verdicts:
        for function in verdict["functions"]:
            checked, statuses = totals.get(function["name"], (0, {}))
            if function["status"] != "pass":
                statuses[function["status"]] = statuses.get(function["status"], 0) + 1
            totals[function["name"]] = (checked + 1, statuses)
    return totals
