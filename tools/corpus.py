"""Generate a realistic synthetic corpus, with the rows each document must give.

    python tools/corpus.py OUT_DIR --salary 100 --kenexa 20 --caliper 5 [--seed 7]

Every document is SYNTHETIC (its text says so) and built the way the real ones are: the
text form of a Salary.com page or Kenexa page is written first, in the seeds' exact layout,
then rendered by the same renderer that built raw/ (page chrome, scripts and navigation
around the content, about 60 KB a Salary.com page); Caliper job models are rendered as
two-column PDFs with a JOB MODEL chart. `expected` lists what the pipeline must extract.
Same seed, same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from render_html import kenexa_page, salary_com_page  # noqa: E402

DOMAINS = ["Customer Service", "Payroll", "Accounts Payable", "Network", "Database", "Software", "Marketing", "Sales", "Warehouse",
           "Nursing", "Benefits", "Procurement", "Facilities", "Compliance", "Treasury", "Logistics", "Quality Assurance", "Training",
           "Clinical Research", "Help Desk", "Data Center", "Recruiting", "Legal", "Tax", "Audit", "Public Relations", "Security",
           "Manufacturing", "Field Service", "Product", "Credit", "Claims", "Underwriting", "Pharmacy", "Laboratory", "Dispatch",
           "Records", "Grants", "Events", "Fleet"]
FUNCTIONS = ["Specialist", "Analyst", "Manager", "Coordinator", "Engineer", "Administrator", "Representative", "Director", "Supervisor",
             "Technician", "Consultant", "Associate", "Planner", "Officer", "Assistant", "Advisor", "Architect", "Auditor", "Clerk",
             "Scheduler", "Trainer", "Inspector", "Designer", "Buyer", "Agent"]
LEVELS = ["I", "II", "III", "IV", "V", "Senior", "Lead", "Principal", "Junior", "Chief", "Staff", "Entry"]
TOPICS = ["Vendor", "Budget", "Cloud", "Contract", "Inventory", "Risk", "Change", "Customer", "Data", "Process", "Project", "Safety",
          "Quality", "Policy", "Workflow", "Incident", "Regulatory", "Service", "Product", "Team", "Financial", "Network", "Patient",
          "Talent", "Supplier", "Asset", "Knowledge", "Campaign", "Release", "Capacity"]
SKILLS = ["Management", "Analysis", "Negotiation", "Planning", "Reporting", "Governance", "Security", "Forecasting", "Operations",
          "Communication", "Improvement", "Compliance", "Optimization", "Design", "Coordination"]
VERBS = {1: ["Identifies", "Describes", "Lists", "Recognizes", "Explains"], 2: ["Applies", "Supports", "Assists in", "Follows", "Prepares"],
         3: ["Manages", "Implements", "Analyzes", "Coordinates", "Monitors"], 4: ["Leads", "Designs", "Evaluates", "Improves", "Advises on"],
         5: ["Establishes", "Sets strategy for", "Shapes", "Champions", "Defines"]}
SALARY_LABELS = ["General Familiarity", "Light Experience", "Moderate Experience", "Extensive Experience", "Mastery"]
KENEXA_LABELS = ["Basic understanding", "Working experience", "Extensive experience", "Subject matter depth and breadth"]
CALIPER_FAMILIES = ["Leading", "Active Communication", "Interpersonal Dynamics", "Decisions", "Solving Problems", "Managing Process", "Self-Management"]
SECTION = {"general": ("general", "Job family competencies", "Job Family Competencies"), "soft": ("soft", "core competencies", "Core Competencies"),
           "hard": ("hard", "industry competencies", "Industry Competency")}
PROFICIENT = {1: "be familiar with", 2: "be proficient in", 3: "be skilled in", 4: "be highly skilled in", 5: "be an expert in"}


def competency_pool(rng: random.Random) -> list[str]:
    names = sorted({f"{t} {s}" for t in TOPICS for s in SKILLS})
    rng.shuffle(names)
    return names


def kenexa_name(pool: list[str], n: int) -> str:
    """A name for the n-th Kenexa page, distinct for every n (two pages of one name could come out
    byte for byte the same, one document): the pool's names, then with a suffix, then numbered."""
    if n < len(pool):
        return pool[n]
    round_ = n // len(pool)
    name = f"{pool[n % len(pool)]} {['Practice', 'Skills', 'Expertise', 'Mastery'][round_ % 4]}"
    return name if round_ < 5 else f"{name} {round_ // 4 + 1}"


def definition(name: str) -> str:
    return f"SYNTHETIC. Knowledge of {name.lower()} practices and the ability to apply them to deliver results for our organization."


def behavior(name: str, level: int, k: int) -> str:
    return f"{VERBS[level][k % 5]} {name.lower()} activities to meet level {level} expectations (synthetic behavior {k + 1})."


def salary_com_document(rng: random.Random, title: str, pool: list[str]) -> tuple[str, dict]:
    """The text form of a Salary.com page, in the seeds' layout, and its expected rows."""
    base = rng.randrange(35, 260) * 1000 + rng.randrange(0, 999)
    total = int(base * rng.uniform(1.02, 1.25))
    level_code = rng.choice(["P01", "P02", "P03", "M01", "M02", "M05", "S02", "E03"])
    code = f"{rng.choice(['SM', 'IT', 'EX', 'HR', 'FN'])}{rng.randrange(10**7, 10**8)}"
    education = rng.choice(["Bachelor's Degree", "Associate's Degree", "Master's Degree", "High School"])
    reports = rng.choice(["Manager", "Director", "Supervisor or Manager", "Top Management"])
    sections = ["general", "soft"] + (["hard"] if rng.random() < 0.4 else [])
    lines = [f"Skills & Competencies for {title}", "", f"{title} job profile", "", f"JOB SUMMARY for {title}", "",
             f"SYNTHETIC. Performs {title.lower()} duties for the organization.", "", f"JOB RESPONSIBILITIES for {title}", "",
             f"SYNTHETIC. Plans, carries out and reports on the work of a {title.lower()}.", "", f"{title} SALARY RANGE", "",
             "BASE 50%", f"${base:,}", "TOTAL 50%", f"${total:,}", "Job Level", level_code, "Job Code", code, "Education/Degree", education,
             "Reports To", reports, "", f"{title} Skills and Competencies List", "", "Proficiency Levels and Behavioural Indicators",
             "Salary.com identifies five increasing levels of proficiency for each skill/competency. (Synthetic page.)",
             f"Check each {title} skill and competencie below to view definitions.", ""]
    expected = {"title": title, "job_code": code, "job_level": level_code, "education": education, "reports_to": reports,
                "base": float(base), "total": float(total), "competencies": [], "declared": {}}
    picked = rng.sample(pool, 15)
    summary_lines, instance = [], []
    total_declared = 0
    for cat in ("general", "soft", "hard"):
        if cat not in sections:
            summary_lines.append(f"There are 0 {cat} skills for {title}.")
            expected["declared"][cat] = 0
            continue
        word, paren, label = SECTION[cat]
        shown = rng.randint(1, 2)
        declared = rng.randint(shown + 3, 16)
        total_declared += declared
        expected["declared"][cat] = declared
        lines += [f"{declared} {word} skills or competencies ({paren}) for {title}", ""]
        names = [picked.pop() for _ in range(3)]
        for rank, name in enumerate(names[:shown], start=1):
            req = rng.randint(1, 5)
            lines += [f"{rank} {label} \u2013 {name}", f"Proficiency Level -{req}", f"Skill definition-{definition(name)}"]
            for lv in range(1, 6):
                lines += [f"Level {lv} Behaviors", f"({SALARY_LABELS[lv - 1]})", behavior(name, lv, rank), "See 4 More Skill Behaviors"]
            expected["competencies"].append(dict(category=cat, rank=rank, name=name, required_level=req, visibility="shown"))
            if cat == "soft":
                instance.append(f"{PROFICIENT[req]} {name}")
        placeholder_forms = [f"{title} - Skill and Competency", f"Skill and Competency - {title}", f"Competency for - {title}"]
        for rank in range(shown + 1, 6):
            lines += [f"{rank} {placeholder_forms[(rank - shown - 1) % 3]}", f"Proficiency Level - {rank}"]
            named = names[rank - 1] if rank <= 3 else None
            expected["competencies"].append(dict(category=cat, rank=rank, name=named, required_level=None,
                                                 visibility="named_in_summary" if named else "locked"))
        lines.append("")
        summary_lines.append(f"{declared} {cat} skills for {title}, {', '.join(names)}, etc.")
    lines += [f"Summary of {title} skills and competencies", ""] + summary_lines
    lines.append(f"While the list totals {total_declared} distinct skills, it's important to note that not all are required to be mastered to the same degree.")
    if instance:
        lines.append(f"For instance, as a {title}, he or she needs to {', '.join(instance)}.")
    lines += ["", "It's Easy to Get Started", "", "Get the precision you need (synthetic page)."]
    expected["declared_total"] = total_declared
    return "\n".join(lines), expected


def kenexa_document(rng: random.Random, name: str) -> tuple[str, dict]:
    counts = [rng.randint(2, 6) for _ in range(4)]
    questions = [f"Tell me about a time you used {name.lower()} at work (synthetic question {k + 1})?" for k in range(rng.randint(0, 4))]
    titles = [f"{rng.choice(DOMAINS)} {rng.choice(FUNCTIONS)}" for _ in range(rng.randint(0, 3))]
    lines = ["unit logo", "", name, "", definition(name), "", "Behavior Statements", ""]
    behaviors = []
    for lv in range(1, 5):
        lines += [f"Proficiency Level {lv} - {KENEXA_LABELS[lv - 1]}", ""]
        for k in range(counts[lv - 1]):
            text = behavior(name, lv, k)
            lines += [text, ""]
            behaviors.append((lv, text))
    if questions:
        lines += ["Interview Questions", ""] + [f"  \u2022 {q}" for q in questions] + [""]
    lines += ["Titles with Shared Competencies", ""] + titles
    return "\n".join(lines), dict(name=name, definition=definition(name), behaviors=behaviors, questions=questions, titles=titles)


def caliper_family(name: str) -> str:
    """A competency's family in the Caliper library: one per competency, whichever job model
    shows it (the catalog keeps one row per competency)."""
    return CALIPER_FAMILIES[int(hashlib.sha256(name.encode()).hexdigest(), 16) % len(CALIPER_FAMILIES)]


def lines_page(text: str, title: str, state: str) -> str:
    """Another site's markup for the same text: every line in a block of its own (nested
    inline elements, no headings or lists) after a large inline script."""
    blocks = "\n".join(f'<div class="r"><div><span>{html.escape(line)}</span></div></div>' for line in text.splitlines() if line.strip())
    return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title>"
            f"<script>window.__NEXT_DATA__ = {state};</script></head><body><div id=\"app\">\n{blocks}\n</div></body></html>")


# The corpora's markups: "site" renders pages as the vendors' sites lay them out (headings,
# lists, label/value pairs, page chrome); "lines" puts every line in a block of its own after
# a large inline script, so that per-line costs weigh more than per-byte ones.
MARKUPS = ("site", "lines")


def generate(out: Path, salary: int, kenexa: int, caliper: int, seed: int = 7, markup: str = "site") -> dict:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    pool = competency_pool(rng)
    titles = [f"{d} {f} {lv}" for d in DOMAINS for f in FUNCTIONS for lv in LEVELS]
    rng.shuffle(titles)
    # Beyond the base titles (the 40,000- and 100,000-page scales), the same titles with a topic
    # before them: no draws from rng, so the pages of smaller corpora stay what they were.
    titles += [f"{topic} {title}" for topic in TOPICS for title in titles[:]]
    expected: dict = {"salary_com": {}, "kenexa": {}, "caliper": {}}
    # What surrounds the profile on a live page: preloads, a large inline state script, a mega-menu.
    padding = "".join(f'<link rel="preload" href="/static/chunk-{k:04d}.js" as="script">\n' for k in range(120))
    padding += "<script>window.__APOLLO_STATE__ = " + json.dumps({f"Job:{k}": {"id": k, "title": rng.choice(FUNCTIONS), "tags": DOMAINS[:8]} for k in range(160)}) + ";</script>\n"
    menu = "<div class=\"mega-menu\" role=\"navigation\"><ul>" + "".join(
        f'<li><a href="/research/salary/{d.lower().replace(" ", "-")}/{f.lower()}">{d} {f} Salary</a></li>' for d in DOMAINS[:20] for f in FUNCTIONS[:8]) + "</ul></div>"
    filler = random.Random(seed + 1)  # its own draws: the pages of a seed stay those of earlier corpora
    state = json.dumps({f"Q{k}": {"id": k, "title": filler.choice(FUNCTIONS), "text": " ".join(filler.choices(SKILLS, k=12))} for k in range(400)})
    for n in range(salary):
        text, exp = salary_com_document(rng, titles[n], pool)
        if markup == "lines":
            page = lines_page(text, f"{exp['title']} Skills and Competencies | Salary.com", state)
        else:
            page = salary_com_page(text).replace("</head>", padding + "</head>", 1).replace("<main", menu + "\n<main", 1)
        path = out / "salary_com" / f"{n:05d}.html"
        path.parent.mkdir(exist_ok=True)
        path.write_text(page, encoding="utf-8")
        expected["salary_com"][exp["title"]] = exp
    for n in range(kenexa):
        name = kenexa_name(pool, n)
        text, exp = kenexa_document(rng, name)
        path = out / "kenexa" / f"{n:05d}.html"
        path.parent.mkdir(exist_ok=True)
        path.write_text(lines_page(text.replace("unit logo", ""), name, state) if markup == "lines" else kenexa_page(text), encoding="utf-8")
        expected["kenexa"][name] = exp
    if caliper:
        from render_pdf import caliper_model_pdf

        for n in range(caliper):
            names = rng.sample(pool, rng.randint(5, 9))
            families = [caliper_family(nm) for nm in names]
            title = f"{rng.choice(DOMAINS)} {rng.choice(FUNCTIONS)} Model {n + 1}"
            positions = [f"{rng.choice(DOMAINS)} {rng.choice(FUNCTIONS)}" for _ in range(rng.randint(3, 8))]
            behaviors = [behavior(nm, 3, k).rstrip(".") for k, nm in enumerate(names[:6])]
            pdf = caliper_model_pdf(title, f"SYNTHETIC job model for {title.lower()}.", positions,
                                    [(nm, definition(nm)) for nm in names], behaviors, list(zip(names, families)))
            path = out / "caliper" / f"{n:05d}.pdf"
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(pdf)
            expected["caliper"][title] = dict(title=title, positions=positions, competencies=[[nm, definition(nm), fam] for nm, fam in zip(names, families)],
                                              behaviors=behaviors)
    (out / "expected.json").write_text(json.dumps(expected, indent=1), encoding="utf-8")
    return expected


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--salary", type=int, default=100)
    ap.add_argument("--kenexa", type=int, default=20)
    ap.add_argument("--caliper", type=int, default=5)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--markup", choices=MARKUPS, default="site")
    a = ap.parse_args()
    generate(a.out, a.salary, a.kenexa, a.caliper, a.seed, a.markup)
    print(f"wrote a synthetic corpus to {a.out}")
