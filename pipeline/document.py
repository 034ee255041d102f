"""The document model every vendor parser reads.

Readers (pipeline/readers) turn saved HTML, PDF and plain-text extracts into the same
thing: an ordered list of text blocks with their kind and provenance. Vendor parsers
match text and structure on these blocks, never CSS classes or tag nesting, so the same
parser serves a page whether it was saved as HTML, printed to PDF or copied as text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ costs twice as much, and pages have hundreds of blocks
class Block:
    kind: str  # heading | paragraph | list_item | cell | line
    text: str
    page: int | None = None  # 1-based PDF page number
    bbox: tuple[float, float, float, float] | None = None  # x0, top, x1, bottom in PDF points
    level: int | None = None  # heading level (h1 = 1)
    chrome: bool = False  # page furniture, not the document: a PDF print's running header/footer, a text extract's logo or skip link (HTML navigation is left out by the reader)


@dataclass(frozen=True, slots=True)
class Word:
    """A PDF word with its position, for parsers that read a layout (charts, columns)."""

    text: str
    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    size: float


@dataclass(frozen=True, slots=True)
class Rule:
    """A drawn PDF line or rectangle edge; charts use them as column and cell borders."""

    page: int
    x0: float
    top: float
    x1: float
    bottom: float


# Formats whose text comes from HTML markup (a page, or one saved whole as an archive): their
# blocks carry the markup's kinds (headings, list items), and the page may be saved part-way.
MARKUP_FORMATS = ("html", "mhtml", "webarchive")


@dataclass
class Document:
    path: str
    format: str  # one of MARKUP_FORMATS, pdf or text
    blocks: list[Block]
    html_title: str | None = None
    page_count: int | None = None
    words: list[Word] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    page_sizes: dict[int, tuple[float, float]] = field(default_factory=dict)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (code, message) from the reader
    # Whether the file itself shows it reaches its end: True for HTML that gets to its closing
    # </body> or </html>, False for HTML that opens them and stops before (saved part-way),
    # None where the format cannot tell (text extracts, PDFs, fragments). False proves a cut;
    # True proves nothing about the content (a browser saving a page that is still loading
    # writes the closing tags of the DOM it has).
    file_complete: bool | None = None

    @cached_property
    def content(self) -> list[Block]:
        """Blocks outside navigation and footers, in reading order."""
        return [b for b in self.blocks if not b.chrome]

    @cached_property
    def lines(self) -> list[str]:
        return [b.text for b in self.blocks if not b.chrome]
