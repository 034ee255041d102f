"""Synthetic renderings of real documents: a text extract in other markups (the parsers read
text structure, so every rendering must give the same rows as the text: test_salary_com.py,
test_kenexa.py), and a saved page wrapped as MHTML (blink_mhtml). The text is real (the
fixtures); only the markup and framing around it are made up here."""

from __future__ import annotations

import html
import re

_HEADER = re.compile(r"^(Skills & Competencies for|JOB SUMMARY|JOB RESPONSIBILITIES|.+ SALARY RANGE$|.+ Skills and Competencies List$"
                     r"|\d+ (general|soft|hard) skills or|Summary of|Proficiency Levels and|It's Easy)")
_ENTRY = re.compile(r"^(\d{1,2}) (.+)$")
_LEVEL = re.compile(r"^Level \d Behaviors|^\(.+\)$")
_FIELD_LABELS = ("Job Level", "Job Code", "Education/Degree", "Reports To", "BASE 50%", "TOTAL 50%")


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def _paragraphs(lines):
    return [f"<p>{_esc(line)}</p>" for line in lines]


def _headings_and_lists(lines):
    """Section headers as headings, ranks in their own span, behaviors as list items, the
    "See N More" links as buttons, everything else in nested inline spans."""
    out, in_list = [], False
    for i, line in enumerate(lines):
        starts_list = i and _LEVEL.match(lines[i - 1])
        if in_list and not (starts_list or not _HEADER.match(line) and not _ENTRY.match(line) and not _LEVEL.match(line)):
            out.append("</ul>")
            in_list = False
        if _LEVEL.match(line):
            out.append(f"<h5>{_esc(line)}</h5>")
        elif _HEADER.match(line):
            out.append(f"<h2>{_esc(line)}</h2>")
        elif (m := _ENTRY.match(line)) and " for " not in line:
            out.append(f'<h4><span class="rank">{m.group(1)}</span> <a href="#s">{_esc(m.group(2))}</a></h4>')
        elif line.startswith("See ") and "More Skill" in line:
            out.append(("</ul>" if in_list else "") + f"<button>{_esc(line)}</button>")
            in_list = False
        elif starts_list or in_list:
            out.append(("" if in_list else "<ul>") + f"<li>{_esc(line)}</li>")
            in_list = True
        else:
            out.append(f"<div><span><span>{_esc(line)}</span></span></div>")
    return out + (["</ul>"] if in_list else [])


def _label_value_pairs(lines, pair):
    out, i = [], 0
    while i < len(lines):
        if lines[i] in _FIELD_LABELS and i + 1 < len(lines):
            pairs = []
            while i + 1 < len(lines) and lines[i] in _FIELD_LABELS:
                pairs.append(pair(_esc(lines[i]), _esc(lines[i + 1])))
                i += 2
            out.append("".join(pairs))
        else:
            level = re.match(r"^(Proficiency Level) (-\d)$", lines[i])
            out.append(f"<div>{level.group(1)} <strong>{level.group(2)}</strong></div>" if level else f"<p>{_esc(lines[i])}</p>")
            i += 1
    return out


def _line_breaks(lines):
    return ["<div>" + "<br>\n".join(_esc(line) for line in lines[i:i + 4]) + "</div>" for i in range(0, len(lines), 4)]


def _site_chrome(lines):
    """The profile deep in wrappers, with navigation and a footer whose words look like it."""
    return ['<nav><ul><li><a href="/">Job Code lookup</a></li><li>Salary Range tool</li></ul></nav>',
            '<div role="navigation"><a href="/jobs">JOB SUMMARY for every job</a></div>',
            '<div class="a"><div class="b"><main><article><section>', *_headings_and_lists(lines), "</section></article></main></div></div>",
            "<footer><p>Summary of Salary.com skills and competencies</p><p>&copy; Salary.com</p></footer>"]


def _ordered_lists(lines):
    """Skill entries as items of ordered lists: the list draws the rank, the text has none."""
    out = []
    for line in _headings_and_lists(lines):
        m = re.match(r'^<h4><span class="rank">(\d+)</span> <a href="#s">(.*)</a></h4>$', line)
        out.append(f'<ol start="{m.group(1)}"><li><h4>{m.group(2)}</h4></li></ol>' if m else line)
    return out


def _adjacent_elements(lines):
    """Label and value, rank and name, level and label in adjacent elements with no space
    between them (a flex row of spans): their texts are glued together."""
    out, i = [], 0
    while i < len(lines):
        line, nxt = lines[i], lines[i + 1] if i + 1 < len(lines) else ""
        if line in _FIELD_LABELS and nxt:
            out.append(f'<div class="row"><span class="k">{_esc(line)}</span><span class="v">{_esc(nxt)}</span></div>')
            i += 2
            continue
        if (m := _ENTRY.match(line)) and " for " not in line:
            out.append(f'<h4><span class="rank">{m.group(1)}</span><span>{_esc(m.group(2))}</span></h4>')
        elif re.match(r"^Level \d Behaviors$", line) and re.match(r"^\(.+\)$", nxt):
            out.append(f"<h5><span>{_esc(line)}</span><span>{_esc(nxt)}</span></h5>")
            i += 1
        elif level := re.match(r"^(Proficiency Level) ?(-\d)$", line):
            out.append(f"<div><span>{level.group(1)}</span><span>{level.group(2)}</span></div>")
        elif definition := re.match(r"^(Skill definition)-(.+)$", line):
            out.append(f"<div><b>{definition.group(1)}</b><span>{_esc(definition.group(2))}</span></div>")
        else:
            out.append(f"<p>{_esc(line)}</p>")
        i += 1
    return out


_SECTION = re.compile(r"^(Key Behaviou?rs:?|Behavior Statements|Interview Questions|Titles with Shared Competencies|Proficiency Level \d.*)$")


def page_furniture(lines):
    """A one-competency page (Kenexa, NIH) as a government or university site serves it: skip
    link, an official-site banner with its hidden part, a cookie notice, the site's header and
    search, a breadcrumb ending in the page's name, then the content (the name as the h1,
    sections as h2, bullets as list items) and a sidebar with a heading of its own."""
    lines = [line for line in lines if line != "unit logo"]  # the text extract's logo: an image in the header here
    name = lines[0]
    content = [f"<h1><span>{_esc(name)}</span></h1>"]
    for line in lines[1:]:
        if _SECTION.match(line):
            content.append(f"<h2>{_esc(line)}</h2>")
        elif line.startswith("\u2022"):
            content.append(f"<ul><li>{_esc(line.lstrip(chr(0x2022) + ' '))}</li></ul>")
        else:
            content.append(f"<p>{_esc(line)}</p>")
    return ['<a class="skip-link" href="#main">Skip to main content</a>',
            '<section class="banner" aria-label="Official website"><p>An official website of the United States government</p>'
            "<button>Here's how you know</button><div hidden><p><strong>Official websites use .gov</strong><br>"
            "A .gov website belongs to an official government organization in the United States.</p></div></section>",
            "<div class=\"cookies\"><p>This website uses cookies to improve your experience. By continuing to browse the site you agree to our use of cookies.</p>"
            "<button>Accept</button></div>",
            '<header><div class="site-name"><a href="/"><img src="/logo.svg" alt="unit logo">Office of Human Resources</a></div>'
            '<form><input name="q"><button>Search</button></form></header>',
            f'<div class="breadcrumb"><ol><li><a href="/">Home</a></li><li><a href="/c">Competencies</a></li><li>{_esc(name)}</li></ol></div>',
            '<main id="main"><article>', *content, "</article></main>",
            '<aside><h2>Related Links</h2><ul><li><a href="/c">Competencies Dictionary</a></li><li><a href="/t">Training Opportunities</a></li></ul></aside>']


MARKUPS = {
    "paragraphs": _paragraphs,
    "headings_and_lists": _headings_and_lists,
    "table_fields": lambda lines: ["<table><tbody>", *_label_value_pairs(lines, lambda k, v: f"<tr><th>{k}</th><td>{v}</td></tr>"), "</tbody></table>"],
    "definition_list_fields": lambda lines: _label_value_pairs(lines, lambda k, v: f"<dl><dt>{k}</dt><dd>{v}</dd></dl>"),
    "line_breaks": _line_breaks,
    "site_chrome": _site_chrome,
    "ordered_lists": _ordered_lists,
    "adjacent_elements": _adjacent_elements,
}


def render(text: str, markup: str, title: str = "Salary.com") -> bytes:
    """`text` in one of MARKUPS, or as a one-competency page in its site ("page_furniture")."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    body = "\n".join((page_furniture if markup == "page_furniture" else MARKUPS[markup])(lines))
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{_esc(title)}</title></head><body>{body}</body></html>".encode()


def blink_mhtml(html: bytes, charset: str | None = None) -> bytes:
    """A page as Chrome's "Webpage, Single File" saves it (framing written out here, SYNTHETIC
    boundary): MIME headers, the HTML part quoted-printable, then the page's resources."""
    import quopri

    boundary = "----MultipartBoundary--SYNTHETIC0123456789----"
    content_type = f"text/html; charset={charset}" if charset else "text/html"
    head = ("From: <Saved by Blink>\r\nSnapshot-Content-Location: https://www.salary.com/business/skills-model/x\r\nSubject: x\r\n"
            f"MIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\ttype=\"text/html\";\r\n\tboundary=\"{boundary}\"\r\n\r\n\r\n"
            f"--{boundary}\r\nContent-Type: {content_type}\r\nContent-Transfer-Encoding: quoted-printable\r\n"
            "Content-Location: https://www.salary.com/business/skills-model/x\r\n\r\n").encode()
    image = f"\r\n\r\n--{boundary}\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n\r\n--{boundary}--\r\n"
    return head + quopri.encodestring(html).replace(b"\n", b"\r\n") + image.encode()


def safari_webarchive(html: bytes, encoding: str = "UTF-8") -> bytes:
    """A page as Safari's "Web Archive" saves it: a binary property list with the page as its
    main resource and its images as subresources (SYNTHETIC URLs)."""
    import plistlib

    return plistlib.dumps({
        "WebMainResource": {"WebResourceData": html, "WebResourceFrameName": "", "WebResourceMIMEType": "text/html",
                            "WebResourceTextEncodingName": encoding, "WebResourceURL": "https://example.org/SYNTHETIC/page"},
        "WebSubresources": [{"WebResourceData": b"\x89PNG\r\n", "WebResourceMIMEType": "image/png", "WebResourceURL": "https://example.org/SYNTHETIC/logo.png"}],
    }, fmt=plistlib.FMT_BINARY)
