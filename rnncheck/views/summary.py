"""The end of a text-format batch: one row per submission, what fails most per function, the class's mistakes."""
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
    return "\n".join(lines + mistakes_table(verdicts))


SHOWN = 10  # the most common mistakes listed; the rest are counted


def mistakes_table(verdicts, shown=SHOWN):
    """Lines ``Known mistakes ...``, then ``K submissions  id: title  (function K, ...)`` most common first."""
    found = mistakes(verdicts)
    if not found:
        return []
    named_in = sum(any("mistake" in f for f in v["functions"]) for v in verdicts)
    lines = [f"Known mistakes, most common first (named in {named_in} of {len(verdicts)} submissions):"]
    for item in found[:shown]:
        where = ", ".join(f"{name} {count}" for name, count in item["functions"].items())
        lines.append(f"  {item['submissions']:>3} {'submission ' if item['submissions'] == 1 else 'submissions'}"
                     f"  {item['id']}: {item['title']}  ({where})")
    if len(found) > shown:
        lines.append(f"  and {len(found) - shown} more, each in {found[shown]['submissions']} or fewer submissions")
    return lines


def mistakes(verdicts):
    """The known mistakes named across ``verdicts``, most submissions first (then first seen).

    Each: ``{"id", "title", "hint", "submissions": how many submissions it was named in,
    "functions": {function: how many submissions it was named in there}}``.
    """
    found = {}
    for verdict in verdicts:
        for function in verdict["functions"]:
            mistake = function.get("mistake")
            if not mistake:
                continue
            item = found.setdefault(mistake["id"], dict(mistake, submissions=0, functions={}, seen=set()))
            item["seen"].add(id(verdict))
            item["functions"][function["name"]] = item["functions"].get(function["name"], 0) + 1
    order = list(found)
    ranked = sorted(found.values(), key=lambda m: (-len(m["seen"]), order.index(m["id"])))
    return [dict({k: v for k, v in m.items() if k != "seen"}, submissions=len(m["seen"])) for m in ranked]


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
