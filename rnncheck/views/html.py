"""Verdicts as HTML: a fragment for Jupyter, a self-contained page, an index for batches.

Views of the same verdict dict as the text and JSON reports; they judge
nothing themselves.  Status is shown by colour and by a symbol and a word,
so the table reads without colour (or printed in black and white).  Pages
carry their style inline, no script and no external reference.
"""
import os
import re
from html import escape

from .. import __version__
from . import heatmap, report, summary

LOOKS = {"pass": ("\u2713", "#1a7f37"), "fail": ("\u2717", "#cf222e"), "error": ("\u26a0", "#a40e26"),
         "timeout": ("\u231b", "#9a6700"), "missing": ("\u2205", "#57606a"), "skipped": ("\u21b7", "#57606a")}
STYLE = """
.rnncheck { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; font-size: 14px; color: #1f2328; }
.rnncheck table { border-collapse: collapse; margin: 6px 0 12px; }
.rnncheck th, .rnncheck td { border-bottom: 1px solid #d0d7de; padding: 4px 8px; text-align: left;
  vertical-align: top; }
.rnncheck th { background: #f6f8fa; }
.rnncheck td.rc-num { text-align: right; font-family: "DejaVu Sans Mono", monospace; white-space: nowrap; }
.rnncheck .rc-badge { display: inline-block; min-width: 6.2em; padding: 1px 6px; border-radius: 4px;
  color: #fff; font-weight: bold; white-space: nowrap; }
.rnncheck .rc-wrong { color: #cf222e; font-weight: bold; }
.rnncheck .rc-detail > td { border-bottom: 2px solid #d0d7de; padding: 0 8px 8px 24px; }
.rnncheck details summary { cursor: pointer; color: #0969da; margin: 4px 0; }
.rnncheck figure { display: inline-block; margin: 6px 14px 10px 0; vertical-align: top; }
.rnncheck figcaption { font-size: 13px; margin-bottom: 2px; }
.rnncheck .rc-note { color: #57606a; font-size: 13px; }
.rnncheck h1 { font-size: 20px; margin: 0 0 4px; }
.rnncheck h2 { font-size: 16px; margin: 18px 0 4px; }
"""
PRINT_STYLE = """
body { margin: 24px; }
@media print {
  body { margin: 0; }
  .rnncheck { font-size: 11px; }
  .rnncheck * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .rnncheck details summary { display: none; }
  .rnncheck figure, .rnncheck tr { break-inside: avoid; }
  .rnncheck a { color: inherit; text-decoration: none; }
}
"""


def fragment(verdict, expanded=False):
    """The verdict table; every function with detail gets an expandable row below its own.

    ``expanded`` opens them all (pages); otherwise only the first is open.
    """
    outcome = "PASSED" if verdict["passed"] else "FAILED"
    rows = []
    opened = 0
    for function in verdict["functions"]:
        rows.append(_row(function))
        detail = _detail(function)
        if detail:
            is_open = expanded or opened == 0
            opened += 1
            rows.append(f'<tr class="rc-detail"><td colspan="4"><details{" open" * is_open}>'
                        f"<summary>{escape(function['name'])}: per-gradient errors and heatmaps</summary>"
                        f"{detail}</details></td></tr>")
    notes = "".join(f'<li>{escape(w)}</li>' for w in verdict.get("warnings", []))
    return (f'<div class="rnncheck"><style>{STYLE}</style>'
            f"<p><b>rnncheck {__version__}</b>: <code>{escape(str(verdict['candidate']))}</code> "
            f"(seed {verdict['seed']}) &mdash; {_badge('pass' if verdict['passed'] else 'fail', outcome)} "
            f"{escape(report.summary(verdict))}</p>"
            "<table><thead><tr><th>status</th><th>function</th><th>error</th><th>message</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
            + (f'<p class="rc-note">Notes on the file:</p><ul class="rc-note">{notes}</ul>' if notes else "")
            + f'<p class="rc-note">error: the worst normwise relative error max|yours &minus; reference| / '
            f"max|reference| over all cases. Reproduce with <code>--seed {verdict['seed']}</code>.</p></div>")


def page(verdict, index_link=None):
    """A complete, self-contained HTML page for one verdict."""
    back = f'<p><a href="{escape(index_link)}">&larr; all submissions</a></p>' if index_link else ""
    return _document(f"rnncheck: {verdict['candidate']}",
                     f'<div class="rnncheck">{back}<h1>{escape(str(verdict["candidate"]))}</h1></div>'
                     + fragment(verdict, expanded=True))


def index(verdicts, links):
    """The batch page: one row per submission, how many submissions fail each function, the mistakes named."""
    rows = []
    for verdict, link in zip(verdicts, links):
        failing = [f["name"] for f in verdict["functions"] if f["status"] != "pass"]
        status = "pass" if verdict["passed"] else "fail"
        rows.append(f"<tr><td>{_badge(status, status.upper())}</td>"
                    f'<td><a href="{escape(link)}">{escape(str(verdict["candidate"]))}</a></td>'
                    f"<td>{escape(report.summary(verdict))}</td><td>{escape(', '.join(failing))}</td></tr>")
    per_function = []
    for name, (checked, wrong) in summary.per_function(verdicts).items():
        kinds = ", ".join(f"{wrong[s]} {s}" for s in LOOKS if s in wrong)
        per_function.append(f"<tr><td><code>{escape(name)}</code></td>"
                            f'<td class="rc-num">{sum(wrong.values())} of {checked}</td><td>{escape(kinds)}</td></tr>')
    passed = sum(v["passed"] for v in verdicts)
    named = summary.mistakes(verdicts)
    rows_of_mistakes = "".join(
        f'<tr><td class="rc-num">{m["submissions"]}</td><td><code>{escape(m["id"])}</code><br>{escape(m["title"])}'
        f'<br><small>Hint: {escape(m["hint"])}</small></td>'
        f'<td>{escape(", ".join(f"{name} ({count})" for name, count in m["functions"].items()))}</td></tr>'
        for m in named)
    mistakes_section = ("<h2>Known mistakes across the submissions, most common first</h2>"
                        "<table><thead><tr><th>submissions</th><th>mistake</th><th>functions (submissions)</th></tr>"
                        f"</thead><tbody>{rows_of_mistakes}</tbody></table>") if named else \
        "<h2>Known mistakes across the submissions</h2><p>No known mistake was named.</p>"
    body = (f'<div class="rnncheck"><style>{STYLE}</style><h1>rnncheck: {len(verdicts)} submissions</h1>'
            f"<p>{passed} passed, {len(verdicts) - passed} did not.</p>"
            "<table><thead><tr><th>verdict</th><th>submission</th><th>functions</th><th>not passing</th>"
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            "<h2>Per function: submissions that do not pass it</h2>"
            "<table><thead><tr><th>function</th><th>not passing</th><th>how</th></tr></thead>"
            f"<tbody>{''.join(per_function)}</tbody></table>{mistakes_section}</div>")
    return _document("rnncheck: submissions", body)


def write(verdicts, output, batch):
    """Write the page(s); ``batch`` makes ``output`` a folder with an index.  Returns the paths written."""
    if not batch:
        _save(output, page(verdicts[0]))
        return [output]
    os.makedirs(output, exist_ok=True)
    links = _file_names([str(v["candidate"]) for v in verdicts])
    for verdict, link in zip(verdicts, links):
        _save(os.path.join(output, link), page(verdict, index_link="index.html"))
    _save(os.path.join(output, "index.html"), index(verdicts, links))
    return [os.path.join(output, "index.html")] + [os.path.join(output, link) for link in links]


def _row(function):
    error = function.get("error")
    shown = f"{error:.1e}" if error is not None else "-"
    warnings = "".join(f'<br><span class="rc-note">warning: {escape(w)}</span>' for w in function["warnings"])
    return (f"<tr><td>{_badge(function['status'], function['status'].upper())}</td>"
            f"<td><code>{escape(function['name'])}</code></td><td class=\"rc-num\">{shown}</td>"
            f"<td>{escape(function['message'])}{warnings}</td></tr>")


def _badge(status, word):
    symbol, colour = LOOKS[status]
    return f'<span class="rc-badge" style="background:{colour};color:#fff">{symbol} {escape(word)}</span>'


def _detail(function):
    """Per-gradient errors of every case, then the heatmaps of the case the message speaks of."""
    cases = function.get("cases") or []
    if function["status"] == "pass" or not any(c.get("errors") or c.get("problem") for c in cases):
        return ""
    names = list(dict.fromkeys(n for c in cases for n in c.get("errors", {})))
    head = "".join(f"<th>{escape(c['case'])}</th>" for c in cases)
    body = "".join(f"<tr><td><code>{escape(n)}</code></td>"
                   + "".join(_error_cell(c, n) for c in cases) + "</tr>" for n in names)
    problems = "".join(f"<li>{escape(c['case'])}: {escape(c['problem'])}</li>" for c in cases
                       if c.get("problem") and not _numeric(c))  # the table and heatmaps say the rest
    shown = next((c for c in cases if c.get("error_maps")), None)  # the case the message names
    figures = ""
    if shown:
        figures = (f"<p>Where the error is, case <b>{escape(shown['case'])}</b> (colour: "
                   f"|yours &minus; reference| / max|reference| per element; black frame: the worst):</p>"
                   + "".join(_figure(name, grid, shown["errors"].get(name))
                             for name, grid in shown["error_maps"].items()))
    return (f"<table><thead><tr><th>relative error</th>{head}</tr></thead><tbody>{body}</tbody></table>"
            + (f'<ul class="rc-note">{problems}</ul>' if problems else "") + figures)


def _numeric(case):
    """Every wrong output of the case has values (no shape, type, NaN or raised problem)."""
    return bool(case.get("wrong")) and all(case["errors"].get(name) is not None for name in case["wrong"])


def _error_cell(case, name):
    error = case.get("errors", {}).get(name, "absent")
    if error == "absent":
        return '<td class="rc-num">-</td>'
    wrong = name in case.get("wrong", ())
    text = "no values" if error is None else f"{error:.1e}"
    if wrong:
        return f'<td class="rc-num rc-wrong">\u2717 {text}</td>'
    return f'<td class="rc-num">{text}</td>'


def _figure(name, grid, error):
    rows, columns = grid["rows"]["axis"], grid["columns"]["axis"]
    shape = " \u00d7 ".join(a for a in (rows, columns) if a)
    how = []
    if grid["groups"]:
        how.append(f"columns in gate blocks {', '.join(g['name'] for g in grid['groups'])}")
    if grid["aggregated"]:
        how.append(f"rows are time steps, {grid['aggregated']}")
    caption = (f"<b>{escape(name)}</b> ({escape(shape)}){': ' + escape('; '.join(how)) if how else ''}"
               f"<br>relative error {error:.2g}, worst at {grid['worst_index']}"
               if error is not None else f"<b>{escape(name)}</b>")
    return f"<figure><figcaption>{caption}</figcaption>{heatmap.svg(grid)}</figure>"


def _document(title, body):
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{escape(title)}</title><style>{PRINT_STYLE}</style></head>"
            f"<body>{body}</body></html>\n")


def _file_names(candidates):
    """One distinct, safe file name per submission: "wrong.py" -> "wrong.py.html"."""
    names, used = [], set()
    for candidate in candidates:
        stem = re.sub(r"[^\w.-]+", "_", os.path.basename(candidate.rstrip("/"))) or "submission"
        name, k = f"{stem}.html", 1
        while name in used or name == "index.html":
            k += 1
            name = f"{stem}-{k}.html"
        used.add(name)
        names.append(name)
    return names


def _save(path, text):
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
