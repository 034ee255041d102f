"""Small static SVG charts for the catalog site: drawn once at build time, no script, no
network, a bounded number of rows and text labels whatever the catalog's size."""

from __future__ import annotations

from html import escape

from markupsafe import Markup

# Okabe-Ito colours: told apart with the common colour-vision deficiencies.
STATUS_COLOURS = {"ok": "#009E73", "partial": "#E69F00", "failed": "#D55E00"}
BAR = "#0072B2"
MUTED = "#9db8cf"
MAX_ROWS = 25
LABEL_WIDTH = 150
WIDTH = 640
ROW = 24


def _svg(height: int, body: list[str], title: str) -> Markup:
    return Markup(f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
                  f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>{"".join(body)}</svg>')


def _label(x: float, y: float, text: str, anchor: str = "start", cls: str = "") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{f" class={chr(34)}{cls}{chr(34)}" if cls else ""}>{escape(text)}</text>'


def status_bars(rows: list[dict], title: str) -> Markup:
    """One horizontal bar per vendor, split by document status, each part's count written on it."""
    rows = rows[:MAX_ROWS]
    top = 22
    most = max((sum(r[s] for s in STATUS_COLOURS) for r in rows), default=0) or 1
    scale = (WIDTH - LABEL_WIDTH - 60) / most
    body = [f'<rect x="{LABEL_WIDTH + i * 110}" y="4" width="12" height="12" fill="{c}"/>' + _label(LABEL_WIDTH + i * 110 + 16, 14, s)
            for i, (s, c) in enumerate(STATUS_COLOURS.items())]
    for i, r in enumerate(rows):
        y = top + i * ROW
        body.append(_label(LABEL_WIDTH - 8, y + 15, r["vendor"], "end"))
        x = float(LABEL_WIDTH)
        for status, colour in STATUS_COLOURS.items():
            w = r[status] * scale
            if w:
                body.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{ROW - 6}" fill="{colour}"><title>{r[status]} {status}</title></rect>')
                if w > 28:
                    body.append(_label(x + w / 2, y + 16, f"{r[status]:,}", "middle", "on-bar"))
            x += w
        body.append(_label(x + 4, y + 16, f"{sum(r[s] for s in STATUS_COLOURS):,}"))
    return _svg(top + len(rows) * ROW + 4, body, title)


def _money_axis(lo: float, hi: float) -> tuple[float, float]:
    span = max(hi - lo, 1.0)
    return max(0.0, lo - span * 0.05), hi + span * 0.05


def pay_ranges(rows: list[dict], title: str, marker: float | None = None) -> Markup:
    """Per row, the middle half of base salaries (25th to 75th percentile) as a bar and the median
    as a tick, with the number of roles; `marker` draws one role's salary across the rows."""
    rows = rows[:MAX_ROWS]
    values = [v for r in rows for v in (r["q"][0], r["q"][-1])] + ([marker] if marker is not None else [])
    lo, hi = _money_axis(min(values), max(values))
    plot = WIDTH - LABEL_WIDTH - 90

    def x(v: float) -> float:
        return LABEL_WIDTH + (v - lo) / (hi - lo) * plot

    top = 8
    body = []
    for i, r in enumerate(rows):
        y = top + i * ROW
        q1, median, q3 = r["q"][0], r["q"][len(r["q"]) // 2], r["q"][-1]
        body.append(_label(LABEL_WIDTH - 8, y + 15, r["label"], "end"))
        body.append(f'<rect x="{x(q1):.1f}" y="{y + 5}" width="{max(x(q3) - x(q1), 1.5):.1f}" height="{ROW - 10}" fill="{MUTED}">'
                    f'<title>{escape(r["label"])}: middle half {q1:,.0f} to {q3:,.0f}, median {median:,.0f} ({r["roles"]} roles)</title></rect>')
        body.append(f'<rect x="{x(median) - 1.5:.1f}" y="{y + 2}" width="3" height="{ROW - 4}" fill="{BAR}"/>')
        body.append(_label(LABEL_WIDTH + plot + 8, y + 15, f"{r['roles']:,} role{'s' if r['roles'] != 1 else ''}", cls="note"))
    bottom = top + len(rows) * ROW
    if marker is not None:
        body.append(f'<line x1="{x(marker):.1f}" x2="{x(marker):.1f}" y1="{top}" y2="{bottom}" stroke="#D55E00" stroke-width="2"/>')
    for v in (lo, (lo + hi) / 2, hi):
        body.append(_label(x(v), bottom + 14, f"{v / 1000:,.0f}k", "middle", "note"))
    return _svg(bottom + 20, body, title)


def level_bars(rows: list[dict], title: str) -> Markup:
    """Roles per required level (vertical bars), each with its count and the median base salary
    of those roles under it."""
    rows = rows[:MAX_ROWS]
    most = max((r["roles"] for r in rows), default=0) or 1
    width = min(90, (WIDTH - 20) // max(len(rows), 1))
    plot = 110
    body = []
    for i, r in enumerate(rows):
        x = 10 + i * width
        h = r["roles"] / most * plot
        body.append(f'<rect x="{x + 6}" y="{20 + plot - h:.1f}" width="{width - 12}" height="{h:.1f}" fill="{BAR}"/>')
        body.append(_label(x + width / 2, 16 + plot - h, f"{r['roles']:,}", "middle"))
        body.append(_label(x + width / 2, 36 + plot, r["label"], "middle"))
        if r.get("median_base") is not None:
            body.append(_label(x + width / 2, 52 + plot, f"{r['median_base'] / 1000:,.0f}k", "middle", "note"))
    return _svg(60 + plot, body, title)
