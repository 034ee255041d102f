"""Fact-level accuracy on the real pages, against goldens written by hand from their text.

    python tools/accuracy.py [--formats text,html] [--json FILE]

Each real page in tests/fixtures/real/ is parsed as text (the file itself) and as HTML
(rendered from the text: tools/render_html.py for Salary.com and Kenexa pages it accepts,
else tests/markup_variants.py's headings-and-lists markup; NIH pages in their site's
furniture, markup_variants.page_furniture; Caliper is a PDF vendor with no HTML renderer:
text only). What the parser loads is compared with tests/fixtures/real/goldens/<vendor>.json:

- every key a golden gives is one fact: right, wrong, or missing (nothing loaded where the
  page gives a value); a golden null that is loaded as a value is invented;
- a value loaded where the golden has no key (a field the page does not give, a level or a
  category the page does not show, a competency the page does not hold) is invented.
A definition is right when the loaded one starts with the golden's first characters.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "tests" / "fixtures" / "real"
GOLDENS = REAL / "goldens"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "tests"))

from markup_variants import render  # noqa: E402
from render_html import kenexa_page, salary_com_page  # noqa: E402

from pipeline.parse import parse_file  # noqa: E402

KINDS = ("right", "wrong", "missing", "invented")
ROLE_FIELDS = ("title", "job_code", "job_level", "education", "reports_to")


def _space(value):
    return re.sub(r"\s+", " ", value).strip() if isinstance(value, str) else value


STORE_CAP = 2000  # bytes: a real page's file of exactly this size was cut there (tests/fixtures/real/README.md)


def html_of(vendor: str, text: str, nameless: bool) -> tuple[bytes | None, str]:
    """The page as HTML and the renderer that made it (None when the vendor has none).

    The renderers take a page's first line for its name heading: a page whose text has no
    name line (a mirror's copy) is rendered with that first line as a paragraph, not as a
    heading the page does not have. A page the store cut is cut in its HTML too, right after
    its last text, as a page saved part-way is: no closing tags, no footer."""
    own = {"salary_com": salary_com_page, "kenexa": kenexa_page}.get(vendor)
    if own is not None and not (nameless and vendor == "kenexa"):
        try:
            page, renderer = own(text), f"render_html.{own.__name__}"
        except (AttributeError, IndexError):  # the renderer wants a whole page's header
            page, renderer = render(text, "headings_and_lists", title="").decode(), "markup_variants.headings_and_lists"
    elif vendor in ("kenexa", "nih"):
        page, renderer = render(text, "page_furniture", title="").decode(), "markup_variants.page_furniture"
        if nameless:
            first = html.escape(next(line.strip() for line in text.splitlines() if line.strip() not in ("", "unit logo")), quote=False)
            page = page.replace(f"<h1><span>{first}</span></h1>", f"<p>{first}</p>").replace(f"<li>{first}</li>", "")
            renderer += " (no name heading)"
    else:
        return None, "none (no HTML renderer for this vendor)"
    if len(text.encode()) == STORE_CAP:
        last = html.escape(text.rstrip().splitlines()[-1].strip().lstrip("\u2022 "), quote=False)[-20:]
        at = page.rfind(last)
        if at >= 0:
            page = page[:at + len(last)]
            renderer += ", cut"
    return page.encode(), renderer


def loaded_view(result) -> dict:
    """What the parser loaded for one page, in the goldens' terms."""
    rows = result.rows if result.parsed is not None else {}
    comps = {row["competency_id"]: row for row in rows.get("competencies", [])}
    order = [rc["competency_id"] for rc in sorted(rows.get("role_competencies", []), key=lambda r: r["rank"] or 0)]
    order += [cid for cid in comps if cid not in order]
    per_role = {rc["competency_id"]: rc for rc in rows.get("role_competencies", [])}
    behaviors: dict = defaultdict(Counter)
    for b in rows.get("behaviors", []):
        behaviors[b["competency_id"]][str(b["level"]) if b["level"] is not None else None] += 1
    labels: dict = defaultdict(dict)
    for lv in rows.get("competency_levels", []):
        labels[lv["competency_id"]][str(lv["level"])] = lv["label"]
    questions = Counter(q["competency_id"] for q in rows.get("interview_questions", []))
    competencies = []
    for cid in order:
        comp, rc = comps.get(cid, {}), per_role.get(cid, {})
        competencies.append({
            "name": _space(rc.get("competency_name", comp.get("name"))), "definition": _space(comp.get("definition")),
            "category": rc.get("category", comp.get("category")), "required_level": rc.get("required_level"),
            "behaviors": dict(behaviors[cid]), "labels": labels[cid], "interview_questions": questions[cid]})
    role_rows = rows.get("roles", [])
    role = {k: _space(role_rows[0][k]) for k in ROLE_FIELDS} if role_rows else {}
    for sal in rows.get("salaries", []):
        if sal["percentile"] == 50:
            role[sal["kind"]] = sal["amount"]
    declared = {r["category"]: r["declared"] for r in rows.get("role_skill_counts", []) if r["declared"] is not None}
    return {"status": result.status, "role": role, "declared": declared, "competencies": competencies}


class Tally:
    def __init__(self):
        self.counts: Counter = Counter()
        self.details: list[dict] = []

    def add(self, kind: str, page: str, field: str, golden=None, loaded=None, fact: bool = True):
        """One outcome; `fact`: the golden gives this field (a value loaded where it gives none is not one)."""
        self.counts[kind] += 1
        self.counts["facts"] += fact
        if kind != "right":
            self.details.append({"page": page, "field": field, "kind": kind, "golden": golden, "loaded": loaded})

    def fact(self, page: str, field: str, golden, loaded, same=None):
        if golden is None:
            self.add("right" if loaded is None else "invented", page, field, golden, loaded)
        elif loaded is None:
            self.add("missing", page, field, golden, loaded)
        else:
            ok = same(golden, loaded) if same else golden == loaded
            self.add("right" if ok else "wrong", page, field, golden, loaded)

    def unasked(self, page: str, field: str, loaded):
        """A value loaded where the golden has no key."""
        if loaded not in (None, {}, 0):
            self.add("invented", page, field, None, loaded, fact=False)


def _counts(tally: Tally, page: str, field: str, golden: dict, loaded: dict):
    """Per-level counts (behaviors) or values (labels): each golden level a fact, each extra level invented."""
    for level, want in golden.items():
        got = loaded.get(level, 0 if isinstance(want, int) else None)
        if isinstance(want, int) and want > 0 and got == 0:
            tally.add("missing", page, f"{field}[{level}]", want, got)
        elif isinstance(want, int) and want == 0 and got:
            tally.add("invented", page, f"{field}[{level}]", want, got)
        else:
            tally.fact(page, f"{field}[{level}]", want, got)
    for level, got in loaded.items():
        if level not in golden:
            tally.unasked(page, f"{field}[{level}]", got)


def _match(golden_comps: list[dict], loaded_comps: list[dict]) -> list[tuple[dict, dict | None]]:
    """Pair each golden competency with a loaded one: by name, else by definition, else (as many
    loaded as the page holds) by place."""
    free = list(loaded_comps)

    def take(pred):
        hit = next((c for c in free if pred(c)), None)
        if hit is not None:
            free.remove(hit)
        return hit

    pairs = []
    for g in golden_comps:
        hit = None
        if g.get("name"):
            hit = take(lambda c, name=g["name"]: (c["name"] or "").casefold() == name.casefold())
        if hit is None and g.get("definition"):
            hit = take(lambda c, prefix=g["definition"]: (c["definition"] or "").startswith(prefix))
        if hit is None and len(golden_comps) == len(loaded_comps):  # the same entries, read differently
            hit = take(lambda c: True)
        pairs.append((g, hit))
    return pairs + [(None, c) for c in free]


def _starts(golden: str, loaded: str) -> bool:
    return loaded.startswith(golden)


def score_competency(tally: Tally, page: str, g: dict | None, c: dict | None):
    if g is None:  # a competency the page does not hold
        tally.add("invented", page, "competency", None, c["name"] or (c["definition"] or "")[:60], fact=False)
        return
    label = g.get("name") or (g.get("definition") or "")[:30] or "?"
    if c is None:
        for key, want in g.items():
            for level, value in want.items() if isinstance(want, dict) else [(None, want)]:
                tally.add("missing", page, f"{label}.{key}" + (f"[{level}]" if level else ""), value, None)
        return
    for key in ("name", "category", "required_level", "interview_questions"):
        if key in g:
            tally.fact(page, f"{label}.{key}", g[key], c[key])
        elif key != "interview_questions":
            tally.unasked(page, f"{label}.{key}", c[key])
    if "definition" in g:
        tally.fact(page, f"{label}.definition", g["definition"], c["definition"], _starts)
    if isinstance(g.get("behaviors"), int):  # a vendor without levels: one count for the competency
        _counts(tally, page, f"{label}.behaviors", {"all": g["behaviors"]}, {"all": sum(c["behaviors"].values())})
    for key in ("labels",) if isinstance(g.get("behaviors"), int) else ("behaviors", "labels"):
        if key in g:
            _counts(tally, page, f"{label}.{key}", g[key], c[key])
        else:
            for level, got in c[key].items():
                tally.unasked(page, f"{label}.{key}[{level}]", got)


def score_page(tally: Tally, page: str, golden: dict, view: dict):
    tally.fact(page, "status", golden["status"], view["status"])
    g_role = golden.get("role", {})
    for key in sorted(set(g_role) | set(view["role"])):
        if key in g_role:
            tally.fact(page, f"role.{key}", g_role[key], view["role"].get(key))
        else:
            tally.unasked(page, f"role.{key}", view["role"].get(key))
    g_decl = golden.get("declared", {})
    for cat in sorted(set(g_decl) | set(view["declared"])):
        if cat in g_decl:
            tally.fact(page, f"declared.{cat}", g_decl[cat], view["declared"].get(cat))
        else:
            tally.unasked(page, f"declared.{cat}", view["declared"][cat])
    for g, c in _match(golden.get("competencies", []), view["competencies"]):
        score_competency(tally, page, g, c)


def measure(formats: tuple[str, ...] = ("text", "html")) -> dict:
    """{vendor: {format: {right, wrong, missing, invented, facts, accuracy, details, renderers}}}."""
    out: dict = {}
    for golden_file in sorted(GOLDENS.glob("*.json")):
        vendor = golden_file.stem
        pages = json.loads(golden_file.read_text(encoding="utf-8"))["pages"]
        for fmt in formats:
            tally, renderers = Tally(), Counter()
            for page, golden in pages.items():
                text = (REAL / page).read_text(encoding="utf-8")
                if fmt == "text":
                    data, path = text.encode(), page
                else:
                    nameless = any(c.get("name", "") is None for c in golden.get("competencies", []))
                    data, renderer = html_of(vendor, text, nameless)
                    renderers[renderer] += 1
                    if data is None:
                        continue
                    path = page.removesuffix(".txt") + ".html"
                score_page(tally, page, golden, loaded_view(parse_file(path, data)))
            if fmt == "html" and not tally.counts:
                out.setdefault(vendor, {})[fmt] = {"renderers": dict(renderers), "pages": 0}
                continue
            facts = tally.counts["facts"]
            out.setdefault(vendor, {})[fmt] = {
                "pages": len(pages), **{k: tally.counts[k] for k in KINDS}, "facts": facts,
                "accuracy": round(tally.counts["right"] / facts, 4) if facts else None,
                "renderers": dict(renderers), "details": tally.details}
    return out


def table(results: dict) -> str:
    lines = [f"{'vendor':<11}{'format':<7}{'pages':>6}{'facts':>7}{'right':>7}{'wrong':>7}{'missing':>9}{'invented':>10}{'accuracy':>10}"]
    for vendor, by_format in results.items():
        for fmt, r in by_format.items():
            if "facts" not in r:
                lines.append(f"{vendor:<11}{fmt:<7}  no HTML renderer for this vendor")
                continue
            lines.append(f"{vendor:<11}{fmt:<7}{r['pages']:>6}{r['facts']:>7}{r['right']:>7}{r['wrong']:>7}{r['missing']:>9}"
                         f"{r['invented']:>10}{r['accuracy']:>10.1%}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--formats", default="text,html")
    parser.add_argument("--json", default="normalized/reports/accuracy.json")
    parser.add_argument("--details", action="store_true", help="print every fact that is not right")
    args = parser.parse_args()
    results = measure(tuple(args.formats.split(",")))
    print(table(results))
    if args.details:
        for by_format in results.values():
            for fmt, r in by_format.items():
                for d in r.get("details", []):
                    print(f"{fmt:<5} {d['kind']:<9} {d['page']}  {d['field']}: golden {d['golden']!r}, loaded {d['loaded']!r}")
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
