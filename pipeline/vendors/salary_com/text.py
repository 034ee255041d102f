"""Salary.com's wording: the labels, headings and line patterns of its job-profile pages, kept
as data and matched by text (parse.py, reader.py and skills.py read a page's lines with them),
and the small checks on one line that use them."""

from __future__ import annotations

import re

from ..common import clean_name

# Vendor label variants, matched by text. Entry labels name the section's category.
ENTRY_LABELS = {
    "job family competency": "general",
    "job family competencies": "general",
    "core competency": "soft",
    "core competencies": "soft",
    "industry competency": "hard",
    "industry competencies": "hard",
}
FIELD_LABELS = {
    "job level": "job_level",
    "job code": "job_code",
    "education/degree": "education",
    "education": "education",
    "reports to": "reports_to",
}
_FIELD_HEADS = {label[:3] for label in FIELD_LABELS}
# The form of each field's value, most specific first: a value is the field's whose form it
# matches first ("Bachelor's Degree" is an education, never a job code nor a person), so a
# label whose value is missing is never given the next label's value. Real values: job codes
# "SM15000495", "LE11000004"; levels "P02", "M05"; education "Bachelor's Degree"; reports to
# "Attorney", "Manager or Head of a Unit/Department".
FIELD_FORMS: tuple[tuple[str, re.Pattern], ...] = (
    ("job_code", re.compile(r"^[A-Z]{1,4}\d{4,10}$")),
    ("job_level", re.compile(r"^(?:[A-Z]{1,3}\s?\d{1,2}|(?:Level\s+)?(?:\d{1,2}|I{1,3}|IV|VI{0,3}|IX|X))$", re.I)),
    ("education", re.compile(r"\b(?:degree|diploma|bachelor'?s?|master'?s?|associate'?s?|doctora(?:l|te)|ph\.?\s?d|mba|high school|ged|"
                             r"secondary|vocational|certificat(?:e|ion)|licen[cs]e|equivalent)\b", re.I)),
    ("salary", re.compile(r"^\$\s?[\d,]+")),
    # A person or a role: words without digits or sentence punctuation ("Attorney", "Head of a Unit/Department").
    ("reports_to", re.compile(r"^[A-Z][A-Za-z'&/,.()-]*(?:\s+[A-Za-z'&/,.()-]+){0,9}$")),
)
# The words a label's value is read as when it is missing (in messages).
FIELD_WORDS = {"job_code": "a job code", "job_level": "a job level", "education": "an education", "salary": "a salary", "reports_to": "a person or role"}
BOILERPLATE = (
    re.compile(r"^Proficiency Levels and Behaviou?ral Indicators$", re.I),
    re.compile(r"^Salary\.com identifies five increasing levels", re.I),
    re.compile(r"^Check each .* below to view definitions", re.I),
    re.compile(r"^While the list totals", re.I),
)

DASH = r"\s*[-\u2013\u2014]\s*"
RE_TITLE = re.compile(r"^Skills\s*(?:&|and)\s*Competencies\s+for\s+(.+)$", re.I)
RE_PROFILE = re.compile(r"^(.+?)\s+job profile$", re.I)
RE_HTML_TITLE = re.compile(r"^(.+?)\s+(?:Skills\s*(?:&|and)\s*Competencies|job profile)\b", re.I)
RE_JOB_SUMMARY = re.compile(r"^JOB SUMMARY for\s+(.+)$", re.I)
RE_RESPONSIBILITIES = re.compile(r"^JOB RESPONSIBILITIES for\s+(.+)$", re.I)
RE_SALARY_RANGE = re.compile(r"^(.+?)\s+SALARY RANGE$", re.I)
# An amount, and the period it is paid for when the page says ("$25.50/hr", "$53,040 per year").
_MONEY = r"\$\s?([\d,]+(?:\.\d\d)?)(?:\s*(?:/\s*|per\s+|an?\s+)(hr|hour|yr|year|annum|wk|week|mo|month)\.?|\s+(hourly|annually|yearly|weekly|monthly))?"
RE_SALARY = re.compile(rf"^(BASE|TOTAL)\s+(\d{{1,2}})\s*(?:%|th|th percentile)\s*:?\s*(?:{_MONEY})?$", re.I)
RE_MONEY = re.compile(rf"^{_MONEY}$", re.I)
# The period words above -> the period; the catalog's amounts are per year.
PERIODS = {"hr": "hour", "hour": "hour", "hourly": "hour", "yr": "year", "year": "year", "annum": "year", "annually": "year", "yearly": "year",
           "wk": "week", "week": "week", "weekly": "week", "mo": "month", "month": "month", "monthly": "month"}
# A yearly salary is never this small: an amount under it with no period given is a rate per hour (or week) and is not loaded.
SMALLEST_YEARLY = 1000
RE_LIST = re.compile(r"^(.+?)\s+Skills and Competencies List$", re.I)
# ("1 hard skill or competency": the count's own number, as the closing summary's "There is 1")
# Any section heading of that shape, a known kind or not ("3 certifications or licenses
# (credential competencies) for ..."): lower-case words between the count and "for" (an
# entry's label or a placeholder's title starts with a capital).
RE_ANY_SECTION = re.compile(r"^(\d{1,3})\s+([a-z][\w ,/&'-]*?)\s*(?:\(([^)]*)\))?\s+for\s+(.+)$")
RE_SECTION = re.compile(r"^(\d+)\s+(general|soft|hard)\s+skills?\s+or\s+competenc(?:y|ies)\s*(?:\(([^)]*)\))?\s+for\s+(.+)$", re.I)
RE_LEVEL_REQ = re.compile(r"^(?:Required\s+)?Proficiency Level\s*[-\u2013\u2014:]?\s*(\d)?$", re.I)  # the number may be on the next line
RE_LONE_LEVEL = re.compile(r"^[-\u2013\u2014:]?\s*(\d)$")
# A skill entry: its rank (missing when an ordered list or a CSS counter draws it; glued on when
# it is an element of its own), the entry text, the level a placeholder shows.
RE_ENTRY = re.compile(r"^(?:(\d{1,2})(\s*))?(.+?)(?:\s+Proficiency Level" + DASH + r"(\d))?$")
# The same for a line without the words "Proficiency Level" (most entries): the text runs to the
# end of the line, without the lazy scan for them at every position (its empty last group: no
# level shown, in RE_ENTRY's four groups).
RE_ENTRY_PLAIN = re.compile(r"^(?:(\d{1,2})(\s*))?(.+)()$")
PLACEHOLDER_WORDS = {"skill", "skills", "and", "&", "competency", "competencies", "for"}  # "Competency for - <title>"
RE_LABEL_SPLIT = re.compile(r"^(.+?)(?:\s*[\u2013\u2014]\s*|\s+-\s+)(.+)$")
# Known entry labels, longest first, and what may stand between one and its name: a dash, a
# colon or a bar, a space, or nothing (the separator drawn by CSS: "Core CompetenciesTeamwork").
_LABELS_LONGEST_FIRST = sorted(ENTRY_LABELS, key=len, reverse=True)
_LABEL_SEPARATORS = " \t\u00a0-\u2013\u2014:|"
LABEL_HEADS = {label[:4] for label in ENTRY_LABELS}  # checked first: most lines are behaviors
# The definition after a separator, a space, glued on ("Skill definitionManaging ...": adjacent
# elements), or on the next line (nothing after the label).
RE_DEFINITION = re.compile(r"^(?:Skill definition(?:\s*[-\u2013\u2014:]\s*|\s+|(?=[A-Z])|$)|Definition\s*[-\u2013\u2014:]\s*)(.*)$", re.I)
RE_LEVEL = re.compile(r"^Level\s+(\d)\s+Behaviou?rs?(?:\s*\(([^)]+)\))?\s*[-\u2013\u2014:]?\s*(.*)$", re.I)
# A level named by the scale's label without the word "Behaviors": "Level 3 - Moderate
# Experience", "Moderate Experience (Level 3)"; taken only with the scale's own label.
RE_LEVEL_NAMED = re.compile(r"^Level\s+(\d)\s*[-\u2013\u2014:]\s*(.+)$|^(.+?)\s*\(Level\s+(\d)\)$", re.I)
RE_LEVEL_LABEL = re.compile(r"^\(([^)]+)\)\s*(.*)$")
# The link to a level's other behaviors ("See 4 More Skill Behaviors"; "Show 4 more behaviors").
RE_HIDDEN = re.compile(r"^(.*?)\s*(?:See|Show|View)\s+(\d+)\s+More\s+(?:Skill\s+)?Behaviou?rs?\s*[>\u203a\u00bb]?$", re.I)
# The link alone on its line (what RE_HIDDEN matches with nothing before it): anchored, so a
# long line is not scanned for the link at every position.
RE_HIDDEN_ALONE = re.compile(r"^\s*(?:See|Show|View)\s+(\d+)\s+More\s+(?:Skill\s+)?Behaviou?rs?\s*[>\u203a\u00bb]?$", re.I)
# Its counterpart on a page saved with the list opened ("See Less", "Hide Skill Behaviors"): a control, no behavior.
RE_COLLAPSE = re.compile(r"^(?:(?:See|Show|View)\s+(?:Less|Fewer)|Hide)(?:\s+(?:Skill\s+)?Behaviou?rs?)?\s*[<\u2039\u00ab^]?$", re.I)
RE_SUMMARY = re.compile(r"^Summary of\s+(.+?)\s+skills and competencies$", re.I)
RE_ZERO = re.compile(r"^There (?:are|is)\s+(\d+|no)\s+(general|soft|hard)\s+skills?\s+for\s+", re.I)  # ("There are no hard skills for ...")
RE_NAMED = re.compile(r"^(\d+)\s+(general|soft|hard)\s+skills?\s+for\s+(.+)$", re.I)
RE_SKILL_WORD = re.compile(r"skill|competenc", re.I)
RE_ETC = re.compile(r",?\s*etc\.?$")
RE_TOTAL = re.compile(r"totals\s+(\d+)\s+distinct\s+skills?", re.I)
RE_INSTANCE = re.compile(r"^For instance, as an?\s+(.+?), (?:he or she|he/she|they|you) needs? to\s+(.+)$", re.I)  # (the pronoun in other wordings)
RE_PHRASE = re.compile(r"be\s+((?:an?\s+)?[\w-]+)\s+(?:in|with|at)\s+(.+?)(?=,\s*(?:and\s+)?be\s|\.?$)", re.I)
# Every line a header, label or boilerplate check could match has one of these (checked as
# plain substrings, much cheaper than the regexes): a line without any is read only as a
# skill entry, behavior or summary line.
_HEADER_WORDS = ("job summary", "job responsibilities", "salary range", "skills and competencies list", "or competenc")
_HEADER_STARTS = ("base", "total", "job level", "job code", "education", "reports to", "summary of", "salary.com identifies",
                  "check each", "while the list", "proficiency levels and")


# Every header word has one of these (a test keeps it so): most lines, behaviors, are ruled
# out by three substring checks before the header words are tried.
_HEADER_HINTS = ("job", "salary", "competenc")
_HINT_1, _HINT_2, _HINT_3 = _HEADER_HINTS  # unrolled below: a generator per line cost more than the checks


def headerish(line: str) -> bool:
    return lower_headerish(line.lower())


def lower_headerish(low: str) -> bool:
    """headerish() of a line already lowercased (the parser lowercases each line once)."""
    if low.startswith(_HEADER_STARTS) or low.endswith("job profile"):
        return True
    return (_HINT_1 in low or _HINT_2 in low or _HINT_3 in low) and any(w in low for w in _HEADER_WORDS)


def known_label(text: str, low: str | None = None) -> tuple[str, str] | None:
    """(label, name) of an entry written with a known label ("Job Family Competencies –
    Customer Complaint Resolution"), or None."""
    low = text.lower() if low is None else low  # (the text lowercased, when the caller has it)
    if low[:4] not in LABEL_HEADS:  # (most lines: no label starts so)
        return None
    for label in _LABELS_LONGEST_FIRST:
        if low.startswith(label):
            rest = text[len(label):]
            name = rest.lstrip(_LABEL_SEPARATORS)
            separator = rest[:len(rest) - len(name)]
            # After a dash, colon or bar any name; after a space or nothing, one that starts as a name does.
            if name[:1].isupper() or (name[:1].isalnum() and any(c in "-\u2013\u2014:|" for c in separator)):
                return text[:len(label)], clean_name(name)
            return None
    return None


def structural(text: str) -> bool:
    """A level heading or a "See N More" link alone: never a definition."""
    return bool(text) and (RE_LEVEL.match(text) is not None or RE_HIDDEN_ALONE.match(text) is not None)


# What a page writes for a value it does not give: no value.
RE_NO_VALUE = re.compile(r"^(?:n/?a|none|null|not (?:specified|available|applicable)|unknown|tbd|[-\u2013\u2014]+)$", re.I)


def field_of_value(value: str) -> str | None:
    """The field whose form a value has (FIELD_FORMS, the first that matches), or None."""
    value = value.strip()
    if RE_NO_VALUE.match(value) or len(value) > 120 or value.endswith((".", "!", "?", ":")):  # a sentence or a heading, not a field's value
        return None
    return next((name for name, form in FIELD_FORMS if form.search(value)), None)


# Lines that are never the value of a label left without one (the page's next part).
NOT_A_VALUE = (RE_SALARY, RE_LIST, RE_SECTION, RE_SUMMARY, RE_SALARY_RANGE, RE_JOB_SUMMARY, RE_RESPONSIBILITIES, RE_LEVEL_REQ, RE_LEVEL, RE_DEFINITION)


def money(text: str) -> float:
    return float(text.replace("$", "").replace(",", "").strip())


def field_label(line: str) -> tuple[str, str] | None:
    """'Job Code' (value on the next line) or 'Job Code: SM15000495' / 'Job Code SM15000495' / 'Job CodeSM15000495'."""
    low = line.lower()
    if low[:3] not in _FIELD_HEADS:  # (most lines: no label starts so)
        return None
    for label, key in FIELD_LABELS.items():
        if low == label:
            return key, ""
        # the value after a separator, or glued on (a label and a value in adjacent elements: "Job CodeSM15000495")
        if low.startswith(label) and len(line) > len(label) and (line[len(label)] in ": \t" or line[len(label)].isupper() or line[len(label)].isdigit()):
            value = line[len(label):].lstrip(": \t")
            if key == "education" and value.lower().startswith("/degree"):
                continue
            return key, value
    return None
