"""Cache hygiene: warnings (never failures) for a backward that changes or consumes its cache.

The CS231n notebook calls each backward once per forward, so a backward
that pops its cache empty or scales a cached array in place still gets full
marks there; it breaks the moment the same cache is used twice (a gradient
check, a second loss term).  Once per function, the worker fingerprints the
cache around the backward and runs the backward a second time on it
(``Worker.hygiene``); this module turns that report into warnings.
"""


def warnings(report, tolerance):
    """Warnings for the worker's cache report (None when there was none).

    - report: ``{"modified": [path], "shrunk": [path], "again": "Type: message"
      or None, "difference": float or None}``.
    - tolerance: normwise difference between the two backwards beyond which
      they gave different gradients.
    """
    if not report:
        return []
    again, difference = report["again"], report["difference"]
    if again:
        consequence = f"a second backward on the same cache raises {again}"
    elif difference is not None and difference > tolerance:
        consequence = f"a second backward on the same cache gives other gradients (difference {difference:.2g})"
    else:
        consequence = None
    found = []
    if report["shrunk"]:
        where = ", ".join(p for p in report["shrunk"] if p != "cache")
        found.append(f"consumes its cache (removes items{' of ' + where if where else ''}: pop()?)")
    if report["modified"]:
        found.append(f"modifies its cache in place ({', '.join(report['modified'])})")
    if not found and not consequence:
        return []
    if not found:
        return [f"{consequence[0].upper()}{consequence[1:]}: does it keep state between calls?"]
    return [f"{' and '.join(found)}{': ' + consequence if consequence else ''}"]
