"""Deterministic, readable ids: the same input gives the same ids on any machine."""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@functools.lru_cache(maxsize=1 << 16)  # names repeat across thousands of pages; each slug costs a normalization and two passes
def slug(text: str) -> str:
    s = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().replace("&", " and ")
    # An apostrophe joins its word whichever one the page typed: "Customer's" and "Customer’s"
    # are one name (the curly one is dropped by the ASCII step above).
    return _NON_ALNUM.sub("-", s.replace("'", "").replace("`", "")).strip("-")


def competency_id(vendor: str, name: str) -> str:
    return f"{vendor}:{slug(name)}"


def role_id(vendor: str, title: str) -> str:
    return f"{vendor}:{slug(title)}"


def unnamed_competency_id(vendor: str, content: str) -> str:
    """The id of a competency whose page does not give its name (a copy without its name
    line): derived from what the page does give (its definition, else its first behavior, else
    its place), so that the same content gives the same id on any page and in any run."""
    return f"{vendor}:unnamed-{hashlib.sha256(slug(content).encode()).hexdigest()[:12]}"
