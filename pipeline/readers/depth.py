"""Markup nested deeper than libxml2 builds a tree (it stops at 2048 levels, even with
huge_tree, and drops the rest of the page) is flattened before it is parsed, as browsers do:
Blink, for one, stops nesting at 512 levels and adds deeper elements as siblings, keeping
their text. Here an element opened deeper than MAX_DEPTH loses its tags: a block element's
start and end become a line break, so its text stays a block of its own; an inline one's
simply go. Only pages that reached the limit are rewritten; the scan is a loop over tags,
no recursion, so no nesting is too deep for it.
"""

from __future__ import annotations

import re

MAX_DEPTH = 512

# A tag (attribute values may hold ">"), or a comment, whose content is no markup.
_TAG = re.compile(r"<!--.*?(?:-->|\Z)|<(/?)([a-zA-Z][\w:.-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.S)
_VOID = frozenset(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr", "keygen"])
# Elements a start tag of the same kind closes (<p>..<p>, <li>..<li>): they are siblings, not nested.
_SELF_CLOSING_SIBLINGS = frozenset(["p", "li", "dt", "dd", "tr", "td", "th", "option"])


def flatten_deep_markup(text: str, block_tags: frozenset[str], kinded_tags: frozenset[str]) -> str:
    """`text` with every element opened deeper than MAX_DEPTH unwrapped (its text kept).
    Elements that give their text a kind (`kinded_tags`: headings, list items, cells) keep
    their tags down to twice that depth, their ancestors being unwrapped."""
    out: list[str] = []
    open_elements = _OpenElements(kinded_tags)
    pos = 0
    for m in _TAG.finditer(text):
        closing, name = m.group(1), (m.group(2) or "").lower()
        if not name:
            continue  # a comment
        if open_elements.unwraps(name, bool(closing), m.group(3).rstrip().endswith("/")):
            out.append(text[pos:m.start()])
            out.append("<br>" if name in block_tags else "")
            pos = m.end()
    out.append(text[pos:])
    return "".join(out)


class _OpenElements:
    """The elements open at a point of the markup, each kept or unwrapped."""

    def __init__(self, kinded_tags: frozenset[str]) -> None:
        self.stack: list[tuple[str, bool]] = []  # (tag, unwrapped)
        self.kept = 0  # the depth the parser will see
        self.kinded = kinded_tags

    def unwraps(self, name: str, closing: bool, self_closed: bool) -> bool:
        """Track the open elements; True when this tag belongs to an element unwrapped."""
        stack = self.stack
        if closing:
            for i in range(len(stack) - 1, -1, -1):
                if stack[i][0] == name:
                    unwrapped = stack[i][1]
                    self._close_from(i)
                    return unwrapped
            return False  # an end tag with no start: the parser ignores it
        if name in _VOID or self_closed:
            return False
        if name in _SELF_CLOSING_SIBLINGS and stack and stack[-1][0] == name:
            self._close_from(len(stack) - 1)
        limit = 2 * MAX_DEPTH if name in self.kinded else MAX_DEPTH
        unwrapped = self.kept >= limit
        stack.append((name, unwrapped))
        self.kept += not unwrapped
        return unwrapped

    def _close_from(self, i: int) -> None:
        self.kept -= sum(not unwrapped for _, unwrapped in self.stack[i:])
        del self.stack[i:]
