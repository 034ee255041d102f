"""Page furniture: lines a saved or copied page carries that are never a document's content
(a skip link, a logo's alt text, "Back to top", "Privacy Policy", a copyright or last-updated
line). The text and PDF readers mark such a block as chrome, like an HTML page's navigation:
a page copied whole keeps its site's header and footer as lines, and a footer after a list
of titles or questions would otherwise read as more of them. (The HTML reader leaves out the
navigation and footer landmarks instead: checking every block of every page costs 1.5% of
the HTML ingest.) Kept as data, matched by text."""

from __future__ import annotations

import re

# Whole lines (lowercase, without trailing punctuation or arrows).
PHRASES = frozenset((
    "unit logo", "logo", "skip to main content", "skip to content", "skip navigation", "menu", "main menu", "search", "toggle navigation",
    "back to top", "return to top", "top of page", "contact us", "privacy policy", "privacy statement", "privacy notice",
    "terms of use", "terms and conditions", "terms of service", "site map", "sitemap", "accessibility statement",
    "cookie settings", "cookie policy", "cookie preferences", "print this page", "share this page", "email this page",
    "accept", "accept all", "accept cookies", "reject all",
    # The banner over every US government site (USWDS), and its button.
    "an official website of the united states government", "here's how you know", "here\u2019s how you know",
))
# Line starts: a copyright notice, the page's last-updated date.
_STARTS = re.compile(r"^(?:\u00a9|\(c\)\s*\d{4}|copyright\s+(?:\u00a9|\(c\)|\d{4})|(?:this\s+)?page\s+last\s+(?:updated|modified|reviewed)"
                     r"|last\s+(?:updated|modified|reviewed)\s*(?::|on\b)"
                     r"|(?:this|our)\s+(?:web\s*)?site\s+uses\s+cookies\b|we\s+use\s+cookies\b)", re.I)
# (furniture is short: longer lines are not checked, but for a cookie notice: a sentence or two)
_LONGEST = 80
_LONGEST_NOTICE = 300


def is_furniture(text: str) -> bool:
    if len(text) > _LONGEST:
        return len(text) <= _LONGEST_NOTICE and _STARTS.match(text) is not None
    return text.lower().rstrip(" .:>\u203a\u00bb\u2191^") in PHRASES or _STARTS.match(text) is not None
