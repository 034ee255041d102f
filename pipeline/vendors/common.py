"""What every vendor parser shares: the result record and checks for pages cut off part-way."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..document import MARKUP_FORMATS
from ..warning_codes import PARTIAL_CODES

# A line ends like a whole one on sentence punctuation, a colon, a bracket, a closing double
# quote, a percent sign, or a single quote after sentence punctuation (a single quote after a
# letter is more often a contraction or possessive cut short: "the group'" of "the group's
# goals"; a semicolon, a clause of a longer sentence).
_COMPLETE_END = re.compile(r"(?:[.!?:)\]\"\u201d%]|[.!?][\'\u2019])$")


@dataclass
class ParseResult:
    vendor: str
    parser_version: str
    title: str | None = None
    title_source: str | None = None
    rows: dict[str, list[dict]] = field(default_factory=dict)  # table name -> rows, document_id added by ingest
    warnings: list[tuple[str, str]] = field(default_factory=list)

    @property
    def partial(self) -> bool:
        """Part of the document could not be loaded: a warning whose code says so (the one source of truth)."""
        return any(code in PARTIAL_CODES for code, _ in self.warnings)

    def add(self, table: str, **row) -> None:
        rows = self.rows.get(table)  # (setdefault would build an empty list on every call)
        if rows is None:
            rows = self.rows[table] = []
        rows.append(row)

    def warn(self, code: str, message: str) -> None:
        self.warnings.append((code, message))


def drop_cut_last_line(lines: list[str], result: ParseResult, whole: tuple[re.Pattern, ...] = ()) -> list[str]:
    """On a page that stops part-way, the last line is cut mid-text unless it ends like a
    sentence, or is one of the vendor's fixed lines (`whole`: patterns a cut line cannot match).

    A cut line is not loaded (it would be a behavior or question that was never written);
    the warning quotes it so nothing is dropped silently.
    """
    if lines and any(p.match(lines[-1]) for p in whole):
        return lines
    if lines and (not _COMPLETE_END.search(lines[-1]) or lines[-1].count("(") > lines[-1].count(")")  # "(i.e." of "(i.e. co-workers)"
                  or _ends_mid_abbreviation(lines[-1])):
        result.warn("truncated_text", f"the page stops mid-text; its last line {lines[-1]!r} is cut off and was not loaded")
        return lines[:-1]
    return lines


# Abbreviations that end with a period without ending the sentence ("Uses tools, e.g. Excel"),
# lowercased; and an initial ("J. Smith").
ABBREVIATIONS = frozenset(("e.g.", "i.e.", "etc.", "inc.", "u.s.", "u.k.", "e.u.", "vs.", "v.", "dr.", "mr.", "mrs.", "ms.", "jr.", "sr.", "st.",
                           "no.", "co.", "corp.", "ltd.", "dept.", "approx.", "a.m.", "p.m.", "ph.d.", "cf.", "al.", "govt.", "misc."))
_SENTENCE_GAP = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_INITIAL = re.compile(r"^[A-Z]\.$")


# Abbreviations no sentence ends with; a lone lowercase letter and a period is a cut one ("e." of "e.g.").
_NEVER_LAST = frozenset(("e.g.", "i.e.", "vs.", "cf.", "dr.", "mr.", "mrs.", "ms."))
_LETTER_AND_PERIOD = re.compile(r"^[a-z]\.$")


def _ends_mid_abbreviation(line: str) -> bool:
    """A line that ends on an abbreviation no sentence ends with, or in the middle of one
    ("Monitors developments in writing, e." of a page cut inside "e.g."): its period ends nothing."""
    words = line.split()
    last = words[-1].lstrip("(\"'\u201c") if words else ""
    return last.lower() in _NEVER_LAST or _LETTER_AND_PERIOD.match(last) is not None


def split_sentences(text: str) -> list[str]:
    """The sentences of a paragraph: it is split after sentence punctuation before a capital,
    but not after an abbreviation or an initial."""
    pieces, start = [], 0
    for m in _SENTENCE_GAP.finditer(text):
        last_word = text[start:m.start()].rsplit(None, 1)[-1].lstrip("(\"'\u201c")
        if last_word.lower() in ABBREVIATIONS or _INITIAL.match(last_word):
            continue
        pieces.append(text[start:m.start()])
        start = m.end()
    pieces.append(text[start:])
    return [p.strip() for p in pieces if p.strip()]


def clean_name(name: str) -> str:
    return " ".join(name.split()).strip(" \t-\u2013\u2014:*")  # whitespace runs -> one space


def report_missing(result: ParseResult, complete: bool, missing: list[str], missing_if_cut: Sequence[str] = ()) -> None:
    """Mark the result partial and say why: the page was cut off before its closing section
    (`truncated`), or a complete page lacks sections (`missing_section`)."""
    if not complete:
        result.warn("truncated", f"page stops part-way (saved before it finished loading); missing: {', '.join([*missing, *missing_if_cut])}")
    elif missing:
        result.warn("missing_section", f"page has no {', '.join(missing)}")


def until_last_list_item(blocks: list) -> tuple[list, list]:
    """A section's blocks up to its last list item, and the blocks after it. Where a section's
    items are bulleted, its list ends at the last one: what follows that is not a list item (the
    site's footer in a page copied whole: its name, address, phone number; a note) is no item of
    it. Without list items every block is an item."""
    last = max((i for i, b in enumerate(blocks) if b.kind == "list_item"), default=len(blocks) - 1)
    return blocks[:last + 1], blocks[last + 1:]


def warn_after_list(result: ParseResult, heading: str, what: str, after: list, likely: str = "the site's footer") -> None:
    """Report the blocks found after a bulleted list (until_last_list_item), not loaded."""
    sample = "; ".join(repr(b.text[:60]) for b in after[:3])
    result.warn("unrecognized_text", f"{len(after)} line(s) after the last item of the {heading} list are not list items "
                                     f"({likely}?) and were not loaded as {what}: {sample}")


# -- one-competency pages (Kenexa, NIH): the name and the definition -------------------------

# A site's name after the page's own in an HTML title ("Accountability – Teams & Titles").
RE_HTML_TITLE_SUFFIX = re.compile(r"\s+(?:[|\u2013\u2014]|-)\s+.*$")


# A label some sites put before the definition ("Definition: Knowledge of ..."), or on a line of its own.
RE_DEFINITION_LABEL = re.compile(r"^(?:Definition|Description)\s*(?:[:\u2013\u2014-]\s*|$)", re.I)


def without_definition_label(text: str) -> str:
    return RE_DEFINITION_LABEL.sub("", text, count=1)


def title_name(html_title: str | None) -> str | None:
    """The page's own name in its HTML title, without the site's."""
    return clean_name(RE_HTML_TITLE_SUFFIX.sub("", html_title)) or None if html_title else None


def looks_like_name(text: str) -> bool:
    """A short title-case line without sentence punctuation: "Customer Service Management"."""
    words = text.rstrip("*").split()
    if not words or len(words) > 8 or len(text) > 80 or text.endswith((".", "?", "!", ":")):
        return False
    return all(w[0].isupper() or not w[0].isalpha() or len(w) <= 3 for w in words)


_FUNCTION_WORDS = frozenset(("a", "an", "and", "or", "of", "the", "for", "to", "in", "on", "with", "by", "at", "as"))
_HEADING_WORD = re.compile(r"^(?:&|[A-Z][A-Za-z&'/-]*)$")


def looks_like_heading(text: str, known: tuple[str, ...] = ()) -> bool:
    """A plain line (a text extract's, or a paragraph) that reads as a heading: two to six
    words of letters, each capitalized but function words ("Related Training Courses"; not
    "Strives to co", a sentence broken off), not ending on a function word ("Hires and"), with
    no digit or punctuation ("$45,000", "Proficiency Level - 4"), and no start of one of the
    format's `known` headings (lowercase) cut short ("Interview Ques"). A single word may be a
    heading too, but in a text extract it is more often a line broken after its first word:
    it is not taken for one."""
    words = text.split()
    if not 2 <= len(words) <= 6 or words[-1].lower() in _FUNCTION_WORDS:
        return False
    low = " ".join(words).lower()
    return all(_HEADING_WORD.match(w) or w in _FUNCTION_WORDS for w in words) and not any(k.startswith(low) for k in known)


def is_name(block, headed: bool = False) -> bool:
    """A competency's name: a heading, or a name-like line that is no bullet. On a page whose
    markup marks its headings (`headed`: marks_headings), only a heading: a name-like paragraph
    there is the site's (its name in the header, a breadcrumb), never the competency's."""
    return block.kind == "heading" or (not headed and block.kind != "list_item" and looks_like_name(block.text))


def marks_headings(doc) -> bool:
    """Whether the page's markup says which lines are headings (an HTML page with any); a text
    extract's lines, and a PDF's lines told by their fonts, do not say it reliably. A page saved
    whole as an archive (MHTML, webarchive) is HTML too."""
    return doc.format in MARKUP_FORMATS and any(b.kind == "heading" for b in doc.content)


def is_sentence(block) -> bool:
    return block.kind != "heading" and not looks_like_name(block.text) and len(block.text.split()) >= 5


def name_definition_pairs(blocks: list, start: int = 0, stop: int | None = None, headed: bool = False) -> list[int]:
    """Where, from `start` to before `stop`, a name stands with a definition right after it."""
    stop = len(blocks) - 1 if stop is None else min(stop, len(blocks) - 1)
    return [i for i in range(max(start, 0), stop) if is_name(blocks[i], headed) and is_sentence(blocks[i + 1])]


def name_and_definition(blocks: list, page_title: str | None, headed: bool = False) -> tuple[int | None, int | None]:
    """Where a one-competency page's name and definition are among its blocks before the first
    section: the name is a heading or name-like line with the definition right after it (the one
    the HTML title names if there are several; the last otherwise: a saved page's skip link,
    banner, cookie notice and breadcrumb come before it); the definition is the first sentence
    after the name. Without such a pair, the first sentence is the definition and the nearest
    heading or name-like line above it the name."""
    pairs = name_definition_pairs(blocks, headed=headed)
    titled = [i for i in pairs if page_title and clean_name(blocks[i].text).lower() == page_title.lower()]
    if titled or pairs:
        paired = (titled or pairs)[-1]
        return paired, paired + 1
    definition = next((i for i, b in enumerate(blocks) if is_sentence(b)), None)
    above = range(definition if definition is not None else len(blocks))
    name = next((i for i in reversed(above) if is_name(blocks[i], headed)), None)
    return name, definition


def parse_each(vendor: str, parser_version: str, starts: list[int], total: int, parse_part, what: str) -> ParseResult:
    """A file holding several documents (competencies, job profiles...: `what`) that begin at
    `starts` (all but the first; positions among `total` blocks). `parse_part(a, b, first,
    bounded)` reads blocks a..b, `bounded` when another document follows (so it is whole). The
    result: their rows together, each one's warnings carrying its name, the first one's title,
    and a note naming them all. A document the file gives again under the same name is loaded
    once (see _without_repeats)."""
    bounds = [0, *starts, total]
    parts = [parse_part(a, b, n == 0, b < total) for n, (a, b) in enumerate(zip(bounds, bounds[1:]))]
    parts, repeats = _without_repeats(parts)
    if len(parts) == 1:
        result = parts[0]
    else:
        result = ParseResult(vendor, parser_version, title=parts[0].title, title_source=parts[0].title_source)
        for part in parts:
            for table, rows in part.rows.items():
                result.rows.setdefault(table, []).extend(rows)
            result.warnings.extend((code, f"{part.title}: {message}") for code, message in part.warnings)
        result.warn(f"several_{what.replace(' ', '_')}", f"the file holds {len(parts)} {what}, each loaded: {', '.join(str(p.title) for p in parts)}")
    for message in repeats:
        result.warn("repeated_content", message)
    return result


def _without_repeats(parts: list[ParseResult]) -> tuple[list[ParseResult], list[str]]:
    """The parts less those that give a document again under the same name: a page carrying
    its content twice (a copy for another screen size or for print) would load every row twice.
    The same rows twice are loaded once; of copies that differ, the whole one is loaded (of two
    whole or two partial ones, the one with more rows; the first if as many), the other's rows
    are not. Returns the parts kept and a message for each one left out."""
    kept: list[ParseResult] = []
    messages = []
    for part in parts:
        at = next((i for i, k in enumerate(kept) if part.title is not None and k.title == part.title), None)
        if at is None:
            kept.append(part)
            continue
        earlier = kept[at]
        if part.rows == earlier.rows:
            messages.append(f"the file gives {part.title!r} again, the same rows (its content repeated, as for another screen size or for print): loaded once")
            continue
        rank = [(not p.partial, sum(map(len, p.rows.values()))) for p in (earlier, part)]
        if rank[1] > rank[0]:
            kept[at] = part
        which = "later" if rank[1] > rank[0] else "first"
        why = "the whole one" if earlier.partial != part.partial else "the one with more rows" if rank[0][1] != rank[1][1] else "as long as the other"
        messages.append(f"the file gives {part.title!r} again with other content: the {which} copy ({why}) was loaded, the other was not")
    return kept, messages
