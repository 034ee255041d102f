"""Deterministic, readable ids: the same input gives the same ids on any machine."""

from __future__ import annotations

import functools
import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@functools.lru_cache(maxsize=1 << 16)  # names repeat across thousands of pages; each slug costs a normalization and two passes
def slug(text: str) -> str:
    s = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().replace("&", " and ")
    return _NON_ALNUM.sub("-", s).strip("-")


def competency_id(vendor: str, name: str) -> str:
    return f"{vendor}:{slug(name)}"


def role_id(vendor: str, title: str) -> str:
    return f"{vendor}:{slug(title)}"
