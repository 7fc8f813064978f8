"""Plain-text tables: a title, a header row and right-aligned columns."""


def cell(value):
    """Text of one cell: floats get three significant digits, None a dash."""
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) >= 1e-3 or value == 0 else f"{value:.1e}"
    return str(value)


def render(title, header, rows, notes=()):
    """The table as text: first column left-aligned, the rest right-aligned."""
    texts = [[cell(v) for v in row] for row in [header, *rows]]
    widths = [max(len(r[i]) for r in texts) for i in range(len(header))]
    lines = [title, ""]
    for number, row in enumerate(texts):
        lines.append("  ".join(t.ljust(w) if i == 0 else t.rjust(w) for i, (t, w) in enumerate(zip(row, widths))))
        if number == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines += [""] + [f"{note}" for note in notes] if notes else []
    return "\n".join(lines) + "\n"
