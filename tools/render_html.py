"""Render seed text extracts back into saved-page HTML, laid out the way the vendors' sites are.

The markup deliberately differs from the text extract (label and value in <dt>/<dd>, a
level heading and its label on one line, behaviors as list items, a "See more" button,
navigation, scripts and a footer around the content) so that the parsers are exercised on
structure they cannot take from the text form.
"""

from __future__ import annotations

import html
import json
import re

E = html.escape

SALARY_HEAD = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} Skills and Competencies | Salary.com</title>
<link rel="stylesheet" href="/static/css/skills-model.css">
<style>.sa-level-badge{{font-weight:600}} .sa-hidden{{display:none}}</style>
<script>window.__INITIAL_STATE__ = {state};</script>
<script src="/static/js/vendor.bundle.js" defer></script>
</head>
<body>
<header class="sa-header"><a class="sa-logo" href="/">Salary.com</a>
<nav aria-label="Main"><ul><li><a href="/research/salary">Salaries</a></li><li><a href="/research/jobs">Job Descriptions</a></li>
<li><a href="/business/skills-model">Skills &amp; Competencies</a></li><li><a href="/business">For Business</a></li><li><a href="/login">Sign In</a></li></ul></nav>
</header>
<div class="sa-breadcrumb" role="navigation"><a href="/">Home</a> &gt; <a href="/business/skills-model">Skills Model</a> &gt; <span>{title}</span></div>
<main id="main-content">
"""

SALARY_FOOT = """</main>
<footer class="sa-footer">
<div><h4>Company</h4><ul><li><a href="/about">About Us</a></li><li><a href="/careers">Careers</a></li><li><a href="/contact">Contact Us</a></li></ul></div>
<div><h4>Legal</h4><ul><li><a href="/privacy">Privacy Policy</a></li><li><a href="/terms">Terms of Use</a></li></ul></div>
<p>&copy; 2026 Salary.com. All rights reserved.</p>
</footer>
<script>document.querySelectorAll('.sa-more').forEach(function(b){b.addEventListener('click',function(){b.nextElementSibling.classList.toggle('sa-hidden')})});</script>
</body>
</html>
"""

RE_TITLE = re.compile(r"^Skills & Competencies for (.+)$")
RE_H2 = re.compile(r"^(JOB SUMMARY for|JOB RESPONSIBILITIES for|Summary of|It's Easy)|SALARY RANGE$|Skills and Competencies List$|job profile$")
RE_SECTION = re.compile(r"^\d+ (general|soft|hard) skills or competencies")
RE_ENTRY = re.compile(r"^(\d+) (.+)$")
RE_LEVEL = re.compile(r"^Level \d Behaviors$")
RE_LABELS = ("Job Level", "Job Code", "Education/Degree", "Reports To")


def salary_com_page(text: str) -> str:
    lines = [l.strip() for l in text.splitlines() if l.strip()]
    title = RE_TITLE.match(lines[0]).group(1)
    state = json.dumps({"page": "skills-model", "job": title, "tracking": {"ids": list(range(200))}, "features": ["demo"] * 40})
    out = [SALARY_HEAD.format(title=E(title), state=state)]
    out.append(f'<section class="sa-hero"><h1>{E(lines[0])}</h1>')
    i = 1
    in_entry = in_salary = False
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if RE_H2.search(line):
            if in_entry:
                out.append("</div>")
                in_entry = False
            if in_salary:
                out.append("</dl></div>")
                in_salary = False
            if line.endswith("SALARY RANGE"):
                out.append(f'</section><section class="sa-salary"><h2>{E(line)}</h2><div class="sa-salary-grid"><dl>')
                in_salary = True
            else:
                out.append(f"<h2>{E(line)}</h2>")
        elif in_salary and (line.startswith(("BASE", "TOTAL")) or line in RE_LABELS):
            out.append(f"<dt>{E(line)}</dt><dd>{E(nxt)}</dd>")
            i += 1
        elif RE_SECTION.match(line):
            if in_entry:
                out.append("</div>")
                in_entry = False
            out.append(f'<h3 class="sa-section-title">{E(line)}</h3>')
        elif RE_ENTRY.match(line) and nxt.startswith("Proficiency Level"):
            if in_entry:
                out.append("</div>")
            rank, rest = RE_ENTRY.match(line).groups()
            out.append(f'<div class="sa-skill"><h4><span class="sa-rank">{rank}</span> {E(rest)}</h4>')
            in_entry = True
        elif line.startswith("Proficiency Level"):
            out.append(f'<div class="sa-level-badge">{E(line)}</div>')
        elif line.startswith("Skill definition-"):
            out.append(f"<p><strong>Skill definition</strong>-{E(line[len('Skill definition-'):])}</p>")
        elif RE_LEVEL.match(line) and nxt.startswith("("):
            # Heading and level label on one line, as the live page shows them.
            out.append(f'<div class="sa-behaviors"><h5>{E(line)} <span class="sa-level-name">{E(nxt)}</span></h5>')
            i += 1
            behaviors = []
            while i + 1 < len(lines) and not lines[i + 1].startswith("See ") and not RE_LEVEL.match(lines[i + 1]):
                i += 1
                behaviors.append(lines[i])
            out.append("<ul>" + "".join(f"<li>{E(b)}</li>" for b in behaviors) + "</ul>")
            if i + 1 < len(lines) and lines[i + 1].startswith("See "):
                i += 1
                out.append(f'<button class="sa-more" type="button">{E(lines[i])}</button><ul class="sa-hidden"></ul>')
            out.append("</div>")
        else:
            out.append(f"<p>{E(line)}</p>")
        i += 1
    if in_entry:
        out.append("</div>")
    out.append(SALARY_FOOT)
    return "\n".join(out)


KENEXA_PAGE = """<!DOCTYPE html>
<html lang="en-US">
<head>
<meta charset="UTF-8">
<title>{name} &#8211; Teams &amp; Titles</title>
<link rel="stylesheet" href="/wp-content/themes/ufhr/style.css">
<script type="text/javascript">var ufhr_settings = {{"ajaxurl":"\\/wp-admin\\/admin-ajax.php"}};</script>
</head>
<body class="job-competency-template-default single">
<header id="masthead"><div class="site-branding"><a href="/"><img src="/logo.svg" alt="unit logo"></a></div>
<nav id="site-navigation"><ul><li><a href="/">Home</a></li><li><a href="/job-competency/">Job Competencies</a></li><li><a href="/titles/">Titles</a></li></ul></nav>
</header>
<main id="primary"><article>
{body}
</article></main>
<footer id="colophon"><p>UF Human Resources</p><p>PO Box 115009, Gainesville, FL 32611</p><ul><li><a href="/privacy">Privacy Policy</a></li></ul></footer>
</body>
</html>
"""


def kenexa_page(text: str) -> str:
    lines = [l.strip() for l in text.splitlines() if l.strip() and l.strip() != "unit logo"]
    name, definition = lines[0], lines[1]
    body = [f'<h1 class="entry-title">{E(name)}</h1>', f"<p>{E(definition)}</p>"]
    section = None
    items: list[str] = []

    def close_list():
        if items:
            body.append("<ul>" + "".join(f"<li>{E(x)}</li>" for x in items) + "</ul>")
            items.clear()

    for line in lines[2:]:
        if line in ("Behavior Statements", "Interview Questions", "Titles with Shared Competencies"):
            close_list()
            body.append(f"<h2>{E(line)}</h2>")
            section = line
            if line == "Titles with Shared Competencies":
                body.append('<ul class="shared-titles"></ul>')
        elif line.startswith("Proficiency Level"):
            body.append(f"<h3>{E(line)}</h3>")
        elif section == "Interview Questions":
            items.append(line.lstrip("\u2022 ").strip())
        elif section == "Titles with Shared Competencies":
            items.append(line)
        else:
            body.append(f"<p>{E(line)}</p>")
    close_list()
    return KENEXA_PAGE.format(name=E(name), body="\n".join(body))
