"""An error grid (``errormap``) drawn as inline SVG: no script, no external reference.

Colour is logarithmic from the tolerance to the largest error of the grid:
cells at or below the tolerance (they match) are pale grey, wrong cells run
from yellow to dark red.  Gate blocks are separated by a gap and named above
their columns; the worst cell is framed in black; a legend gives the scale.
Every cell has a ``<title>`` (its place and value) that browsers show on hover.
"""
import math
from html import escape

from ..judge.compare import TOLERANCE

MATCH = "#e9edf1"
PALETTE = ("#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#bd0026", "#800026")
FONT = 'font-family="DejaVu Sans, Helvetica, Arial, sans-serif"'
GROUP_GAP = 5
LEGEND_STEPS = 28


def colour(value, low, high):
    """Fill for one error: MATCH at or below ``low``, else the palette on a log scale up to ``high``."""
    if value <= low:
        return MATCH
    position = min(1.0, math.log(value / low) / math.log(high / low)) * (len(PALETTE) - 1)
    k = min(int(position), len(PALETTE) - 2)
    return _mix(PALETTE[k], PALETTE[k + 1], position - k)


def scale_of(grid):
    """(low, high) of the colour scale of one grid."""
    low = TOLERANCE["float64"]
    return low, max(max(max(row) for row in grid["values"]), low * 10)


def svg(grid):
    """The SVG element for one grid (see ``errormap.error_map`` for its fields)."""
    values, rows, columns = grid["values"], grid["rows"]["labels"], grid["columns"]["labels"]
    low, high = scale_of(grid)
    cell = max(9, min(24, 520 // max(len(columns), 1)))
    left = 12 + 7 * max(len(label) for label in rows + [grid["rows"]["axis"]])
    group_of = {c: g["name"] for g in grid["groups"] for c in range(g["start"], g["stop"])}
    x_of = [left + c * cell + GROUP_GAP * _groups_before(c, grid["groups"]) for c in range(len(columns))]
    show_indices = cell >= 13
    top = 6 + 16 * bool(grid["groups"]) + 13 * show_indices
    width = x_of[-1] + cell + 8
    legend_top = top + len(values) * cell + 14
    parts = []
    for g in grid["groups"]:
        middle = (x_of[g["start"]] + x_of[g["stop"] - 1] + cell) / 2
        parts.append(_text(middle, 18, g["name"], size=14, anchor="middle", bold=True))
    if show_indices:
        parts += [_text(x_of[c] + cell / 2, top - 4, label, size=9, anchor="middle", fill="#666")
                  for c, label in enumerate(columns)]
    parts.append(_text(left - 6, top - 4, grid["rows"]["axis"], size=10, anchor="end", fill="#666"))
    for r, row in enumerate(values):
        y = top + r * cell
        parts.append(_text(left - 6, y + cell / 2 + 4, rows[r], size=10, anchor="end"))
        for c, value in enumerate(row):
            place = f"{grid['rows']['axis']} {rows[r]}, {grid['columns']['axis']} "
            place += f"{group_of[c]} {columns[c]}" if c in group_of else columns[c]
            parts.append(f'<rect x="{x_of[c]}" y="{y}" width="{cell - 1}" height="{cell - 1}" '
                         f'fill="{colour(value, low, high)}"><title>{escape(place)}: {value:.3g}</title></rect>')
    worst_row, worst_column = grid["worst"]
    x, y = x_of[worst_column] - 1, top + worst_row * cell - 1
    parts.append(f'<rect x="{x}" y="{y}" width="{cell + 1}" height="{cell + 1}" fill="none" '
                 f'stroke="#000" stroke-width="2.5"/>')
    parts.append(f'<rect x="{x + 2}" y="{y + 2}" width="{cell - 3}" height="{cell - 3}" fill="none" '
                 f'stroke="#fff" stroke-width="1"/>')
    legend, legend_width = _legend(left, legend_top, low, high)
    parts += legend
    width = max(width, left + legend_width + 8)
    height = legend_top + 34
    return (f'<svg class="rc-heatmap" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" {FONT}>' + "".join(parts) + "</svg>")


def _legend(left, top, low, high):
    """A 'matches' swatch, then the colour bar from ``low`` to ``high`` with decade ticks."""
    parts = [f'<rect x="{left}" y="{top}" width="12" height="12" fill="{MATCH}" stroke="#bbb" stroke-width="0.5"/>',
             _text(left + 16, top + 10, f"\u2264 {low:.0e} matches", size=10)]
    start = left + 112
    step = 5
    for k in range(LEGEND_STEPS):
        value = low * (high / low) ** ((k + 0.5) / LEGEND_STEPS)
        parts.append(f'<rect x="{start + k * step}" y="{top}" width="{step}" height="12" '
                     f'fill="{colour(value, low, high)}"/>')
    span = LEGEND_STEPS * step
    decades = range(math.ceil(math.log10(low)), math.floor(math.log10(high)) + 1)
    stride = max(1, math.ceil(len(decades) / 4))

    def x_of(value):
        return start + span * math.log(value / low) / math.log(high / low)

    ticks = [(10.0 ** d, f"1e{d}") for d in decades[::stride] if x_of(high) - x_of(10.0 ** d) > 24]
    for value, label in ticks + [(high, f"{high:.2g}")]:
        x = x_of(value)
        parts.append(f'<line x1="{x:.1f}" y1="{top + 12}" x2="{x:.1f}" y2="{top + 16}" stroke="#333"/>')
        parts.append(_text(x, top + 27, label, size=9, anchor="middle"))
    parts.append(_text(start + span + 6, top + 10, "relative error", size=10))
    return parts, 112 + span + 80


def _groups_before(column, groups):
    return sum(1 for g in groups if g["start"] <= column and g["start"] > 0)


def _text(x, y, text, size=10, anchor="start", fill="#222", bold=False):
    weight = ' font-weight="bold"' if bold else ""
    return (f'<text x="{x:g}" y="{y:g}" font-size="{size}" text-anchor="{anchor}" fill="{fill}"{weight}>'
            f'{escape(str(text))}</text>')


def _mix(a, b, t):
    ca, cb = (tuple(int(h[i:i + 2], 16) for i in (1, 3, 5)) for h in (a, b))
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(ca, cb))
