"""Render seed text extracts as PDFs laid out like the real documents (fpdf2, DejaVu fonts).

- salary_com_print: a browser's print-to-PDF of a Salary.com page (one column, wrapped
  paragraphs, the browser's date/title header and URL/page footer on every page).
- caliper_job_model: the Caliper library's two-column job-model pages and the JOB MODEL
  chart as positioned words in boxes, one column per competency family.
- caliper_synthetic_model: a second, synthetic job model with another layout (one column,
  the chart alone on a landscape page, vertical rules between family columns).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")  # Debian: fonts-dejavu-core
FIXED_DATE = datetime(2026, 11, 1, tzinfo=UTC)  # reproducible bytes


def _pdf(orientation: str = "P", cls: type = FPDF) -> FPDF:
    if not (FONT_DIR / "DejaVuSans.ttf").exists():
        raise SystemExit(f"fonts not found in {FONT_DIR}: apt-get install fonts-dejavu-core")
    pdf = cls(orientation=orientation, unit="pt", format="letter")
    pdf.set_creation_date(FIXED_DATE)
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(False)
    return pdf


def _para(pdf: FPDF, x: float, y: float, w: float, text: str, size: float = 10, bold: bool = False, leading: float = 1.3, markdown: bool = False) -> float:
    pdf.set_font("DejaVu", "B" if bold else "", size)
    pdf.set_xy(x, y)
    pdf.multi_cell(w, size * leading, text, new_x=XPos.LEFT, new_y=YPos.NEXT, markdown=markdown)
    return pdf.get_y()


# -- Salary.com print-to-PDF ---------------------------------------------------------------

RE_BIG = re.compile(r"^(Skills & Competencies for|JOB SUMMARY for|JOB RESPONSIBILITIES for|Summary of)|SALARY RANGE$|Skills and Competencies List$|job profile$|^\d+ (general|soft|hard) skills or competencies")


class _BrowserPrint(FPDF):
    """The header (date, page title) and footer (URL, page n/N) a browser prints on every page."""

    page_title = ""
    url = ""

    def header(self):
        self.set_font("DejaVu", "", 8)
        self.text(30, 24, "11/1/26, 9:14 AM")
        self.text(self.w / 2 - 120, 24, self.page_title)

    def footer(self):
        self.set_font("DejaVu", "", 8)
        shown = self.url
        while self.get_string_width(shown) > self.w - 110:  # browsers elide a long URL
            shown = shown[:-2]
        self.text(30, self.h - 20, shown if shown == self.url else shown + "\u2026")
        self.text(self.w - 50, self.h - 20, f"{self.page_no()}/{{nb}}")


def salary_com_print(text: str, url: str) -> bytes:
    title = next(l.strip() for l in text.splitlines() if l.strip()).replace("Skills & Competencies for ", "")
    return browser_print(text, f"{title} Skills and Competencies | Salary.com", url, RE_BIG)


# Section headings of a Kenexa page, printed larger and bold as the browser shows them.
RE_KENEXA_BIG = re.compile(r"^(Behaviou?r Statements|Interview Questions|Titles with Shared Competencies|Proficiency Level \d)")


RE_NIH_BIG = re.compile(r"^Key Behaviou?rs:?$")


def kenexa_print(text: str, page_title: str, url: str) -> bytes:
    # The page's logo is an image: it prints as no text.
    return browser_print("\n".join(l for l in text.splitlines() if l.strip().lower() != "unit logo"), page_title, url, RE_KENEXA_BIG)


def browser_print(text: str, page_title: str, url: str, big: re.Pattern) -> bytes:
    """A page's lines as a browser prints them: the first line as the page heading, lines
    matching `big` as bold section headings, the rest as paragraphs; the browser's header
    and footer on every page."""
    lines = [l.strip() for l in text.splitlines() if l.strip()]
    pdf = _pdf(cls=_BrowserPrint)
    pdf.page_title, pdf.url = page_title, url
    W, H = pdf.w, pdf.h
    left, width, top, bottom = 54.0, W - 108.0, 60.0, H - 60.0
    pdf.add_page()
    y = top
    for line in lines:
        is_big = line is lines[0] or bool(big.search(line))
        size = 15 if line is lines[0] else (12 if is_big else 10)
        pdf.set_font("DejaVu", "B" if is_big else "", size)
        n_lines = max(1, len(pdf.multi_cell(width, size * 1.3, line, dry_run=True, output="LINES")))
        if y + n_lines * size * 1.3 > bottom:
            pdf.add_page()
            y = top
        if is_big and y > top:
            y += 6
        y = _para(pdf, left, y, width, line, size=size, bold=is_big) + 5
    return bytes(pdf.output())


# -- Caliper job model ---------------------------------------------------------------------

FAMILIES = ("Leading", "Active Communication", "Interpersonal Dynamics", "Decisions", "Solving Problems", "Managing Process", "Self-Management")


def _parse_caliper_text(text: str) -> dict:
    lines = [l.rstrip() for l in text.splitlines()]
    title = lines[0].replace("CALIPER COMPETENCY LIBRARY", "").strip()
    body = [l.strip() for l in lines[1:] if l.strip()]
    i_pos, i_comp, i_beh, i_model = (body.index(h) for h in ("Example positions", "COMPETENCIES", "Representative behaviors", "JOB MODEL"))
    return {
        "title": title,
        "summary": " ".join(body[:i_pos]),
        "positions": " ".join(body[i_pos + 1:i_comp]),
        "competencies": [tuple(c.split(" \u2013 ", 1)) for c in body[i_comp + 1:i_beh]],
        "behaviors": [b.lstrip("- ").strip() for b in body[i_beh + 1:i_model] if b.startswith("- ")],
    }


def _chart_cell(pdf: FPDF, x: float, y: float, w: float, label_lines: list[str], size: float = 8, broken: dict | None = None) -> None:
    """A boxed chart cell with centered label lines. `broken` splits a word with a gap, the way
    a kerned label comes out of a real chart ("Service F ocus")."""
    h = len(label_lines) * size * 1.25 + 8
    pdf.rect(x, y, w, h)
    pdf.set_font("DejaVu", "B", size)
    for n, text in enumerate(label_lines):
        tw = pdf.get_string_width(text)
        tx, ty = x + (w - tw) / 2, y + 4 + (n + 1) * size * 1.25 - 2
        if broken and text in broken:
            head, tail = broken[text]
            pdf.text(tx - 2.5, ty, head)
            pdf.text(tx - 2.5 + pdf.get_string_width(head) + 5.0, ty, tail)
        else:
            pdf.text(tx, ty, text)


def _page_header(pdf: FPDF, title: str, W: float) -> None:
    pdf.set_font("DejaVu", "B", 9)
    pdf.text(40, 36, "CALIPER COMPETENCY LIBRARY")
    pdf.set_font("DejaVu", "", 9)
    pdf.text(40 + pdf.get_string_width("CALIPER COMPETENCY LIBRARY") + 30, 36, title)
    pdf.line(40, 44, W - 40, 44)


# Where the seed's chart places each competency: (family, row, label lines, broken word).
CSS_CHART = (
    ("Self-Management", 0, ["Composure and", "Resiliency"], None),
    ("Active Communication", 1, ["Conflict", "Management"], None),
    ("Solving Problems", 1, ["Analytical", "Thinking"], None),
    ("Interpersonal Dynamics", 2, ["Service Focus"], {"Service Focus": ("Service F", "ocus")}),
    ("Active Communication", 3, ["Communicating"], None),
    ("Solving Problems", 3, ["Information", "Seeking"], None),
    ("Managing Process", 4, ["Time", "Management"], None),
    ("Self-Management", 4, ["Adaptability"], None),
    ("Self-Management", 5, ["Accountability"], None),
    ("Self-Management", 6, ["Professionalism"], None),
)


def _chart(pdf: FPDF, x0: float, y0: float, width: float, families: tuple[str, ...], header_lines, cells, row_h: float = 46, rules: str = "boxes") -> None:
    col_w = width / len(families)
    for k, fam in enumerate(families):
        x = x0 + k * col_w
        if rules == "boxes":
            _chart_cell(pdf, x + 2, y0, col_w - 4, header_lines[fam], size=7.5)
        else:
            pdf.set_font("DejaVu", "B", 8)
            for n, text in enumerate(header_lines[fam]):
                pdf.text(x + (col_w - pdf.get_string_width(text)) / 2, y0 + 10 + n * 10, text)
            if k:
                pdf.line(x, y0, x, y0 + 60 + row_h * 7)
    for fam, row, label, broken in cells:
        k = families.index(fam)
        _chart_cell(pdf, x0 + k * col_w + 5, y0 + 48 + row * row_h, col_w - 10, label, broken=broken)


def caliper_job_model(text: str) -> bytes:
    """The seed job model: its text, and its chart as the seed's fragments place it."""
    d = _parse_caliper_text(text)
    return caliper_model_pdf(d["title"], d["summary"], d["positions"].split(", "), d["competencies"], d["behaviors"], cells=CSS_CHART)


# A synthetic model: other competencies, one column, family names in other spellings.
SYNTHETIC = {
    "title": "Inside Sales Representative",
    "summary": ("SYNTHETIC TEST DOCUMENT, not a Caliper publication. Inside sales representatives sell products and services "
                "by telephone and online, qualify leads, and keep a pipeline of prospects moving toward a purchase decision."),
    "positions": ["Inside Sales Representative", "Telesales Associate", "Sales Development Representative", "Account Representative"],
    "competencies": [
        ("Persuasiveness", "They gain agreement and commitment from others by presenting sound reasons and appealing to shared interests."),
        ("Relationship building", "They establish rapport quickly and keep relationships productive over time."),
        ("Decisiveness", "They make timely decisions with the information at hand and act on them."),
        ("Creative thinking", "They look at problems from new angles and propose options others have not tried."),
        ("Planning and organizing", "They set priorities, plan their calls and follow up on every open opportunity."),
        ("Results orientation", "They set demanding goals for themselves and persist until those goals are reached."),
    ],
    "behaviors": [
        "Presents the value of an offer in terms of the customer's own goals",
        "Follows up promptly on every promise made to a prospect",
        "Chooses a course of action when a deal stalls",
        "Keeps a daily plan of calls and updates it as priorities change",
        "Bounces back from a rejected call and makes the next one",
    ],
    "chart": (
        ("ACTIVE COMMUNICATION", 0, ["Persuasiveness"]),
        ("Interpersonal dynamics", 0, ["Relationship", "Building"]),
        ("Decisions", 1, ["Decisiveness"]),
        ("Solving problems", 1, ["Creative", "Thinking"]),
        ("Managing process", 2, ["Planning and", "Organizing"]),
        ("SELF MANAGEMENT", 2, ["Results", "Orientation"]),
        ("Interpersonal dynamics", 3, ["Teamwork"]),
    ),
}


def caliper_synthetic_model() -> bytes:
    d = SYNTHETIC
    pdf = _pdf()
    W = pdf.w
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 10)
    pdf.text(72, 60, "CALIPER COMPETENCY LIBRARY")
    y = _para(pdf, 72, 70, W - 144, d["title"], size=20, bold=True) + 6
    y = _para(pdf, 72, y, W - 144, d["summary"], size=10) + 10
    y = _para(pdf, 72, y, W - 144, "Example positions", size=12, bold=True)
    y = _para(pdf, 72, y + 2, W - 144, ", ".join(d["positions"]), size=10) + 10
    y = _para(pdf, 72, y, W - 144, "COMPETENCIES", size=12, bold=True)
    for name, definition in d["competencies"]:
        y = _para(pdf, 72, y + 4, W - 144, f"**{name}** \u2013 {definition}", size=10, markdown=True)
    y = _para(pdf, 72, y + 10, W - 144, "Representative behaviors", size=12, bold=True) + 2
    for b in d["behaviors"]:
        pdf.set_font("DejaVu", "", 10)
        pdf.text(72, y + 10, "-")
        y = _para(pdf, 84, y, W - 156, b, size=10) + 2
    pdf.add_page(orientation="L")
    W2 = pdf.w
    pdf.set_font("DejaVu", "B", 16)
    pdf.text(50, 50, "JOB MODEL")
    families = ("LEADING", "ACTIVE COMMUNICATION", "Interpersonal dynamics", "Decisions", "Solving problems", "Managing process", "SELF MANAGEMENT")
    headers = {f: f.split(" ") for f in families}
    _chart(pdf, 50, 70, W2 - 100, families, headers, [(f, r, l, None) for f, r, l in d["chart"]], row_h=60, rules="lines")
    return bytes(pdf.output())


def caliper_model_pdf(title: str, summary: str, positions: list[str], competencies: list[tuple[str, str]], behaviors: list[str],
                      chart: list[tuple[str, str]] = (), cells=None) -> bytes:
    """A job model in the library's layout: page 1 in two columns (description and example
    positions left, competencies right, representative behaviors below in two columns), page 2
    the JOB MODEL chart. `chart` lists (competency, family), stacked per family in that order;
    `cells` places them explicitly (family, row, label lines, broken word)."""
    pdf = _pdf()
    W = pdf.w
    col_w, gap = (W - 80 - 24) / 2, 24
    lx, rx = 40.0, 40.0 + col_w + gap
    pdf.add_page()
    _page_header(pdf, title, W)
    pdf.set_font("DejaVu", "B", 18)
    pdf.text(40, 74, title)
    y = _para(pdf, lx, 90, col_w, summary, size=9.5)
    y = _para(pdf, lx, y + 12, col_w, "Example positions", size=11, bold=True)
    y_left = _para(pdf, lx, y + 4, col_w, ", ".join(positions), size=9.5)
    y = _para(pdf, rx, 90, col_w, "COMPETENCIES", size=11, bold=True)
    for name, definition in competencies:
        y = _para(pdf, rx, y + 5, col_w, f"**{name}** \u2013 {definition}", size=8.5, markdown=True)
    y = max(y, y_left) + 18
    y = _para(pdf, lx, y, W - 80, "Representative behaviors", size=11, bold=True) + 4
    half = (len(behaviors) + 1) // 2
    for x, group in ((lx, behaviors[:half]), (rx, behaviors[half:])):
        yy = y
        for b in group:
            pdf.set_font("DejaVu", "", 9)
            pdf.text(x, yy + 9, "\u2022")
            yy = _para(pdf, x + 10, yy, col_w - 10, b, size=9) + 3
    pdf.add_page()
    _page_header(pdf, title, W)
    pdf.set_font("DejaVu", "B", 14)
    pdf.text(40, 74, "JOB MODEL")
    if cells is None:
        rows: dict[str, int] = {}
        cells = []
        for name, family in chart:
            cells.append((family, rows.get(family, 0), name.split(" ", 1) if " " in name else [name], None))
            rows[family] = rows.get(family, 0) + 1
    _chart(pdf, 40, 92, W - 80, tuple(FAMILIES), {f: f.replace("-", "- ").split() for f in FAMILIES}, cells)  # "Self-" / "Management"
    return bytes(pdf.output())
