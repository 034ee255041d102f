"""A vendor's proficiency scale and the checks every parser makes against it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    """The levels a vendor rates proficiency on, lowest first, with the vendor's labels.
    Empty for a vendor that gives no levels (Caliper)."""

    vendor_name: str  # as the vendor writes itself in messages ("Salary.com")
    levels: tuple[tuple[int, str], ...] = ()

    def __iter__(self) -> Iterator[tuple[int, str]]:
        return iter(self.levels)

    def __len__(self) -> int:
        return len(self.levels)

    @property
    def numbers(self) -> tuple[int, ...]:
        return tuple(n for n, _ in self.levels)

    @property
    def range_text(self) -> str:
        """'1-5', as messages write the scale."""
        return f"{self.levels[0][0]}-{self.levels[-1][0]}"

    def contains(self, level: int) -> bool:
        return bool(self.levels) and self.levels[0][0] <= level <= self.levels[-1][0]

    def label(self, level: int) -> str | None:
        return next((label for n, label in self.levels if n == level), None)

    def has_label(self, level: int, label: str) -> bool:
        """Whether `label` is the scale's own label of `level` (case aside)."""
        return label.lower() == (self.label(level) or "").lower()

    def label_in(self, text: str) -> str | None:
        """`text` as one of the scale's labels ("- Mastery", "Basic understanding"), or None.
        Pages that draw a label's parentheses or dash with CSS, or put it in an element of its
        own, give it bare; only the scale's own words are taken for one then."""
        label = text.strip().lstrip("-\u2013\u2014:").strip()
        return label if any(label.lower() == known.lower() for _, known in self.levels) else None

    def normalized(self, level: int) -> float:
        """100 * (level - min) / (max - min): O*NET's 0-100 convention."""
        low, high = self.levels[0][0], self.levels[-1][0]
        return 100.0 * (level - low) / (high - low)

    def out_of_scale(self, what: str, level: int) -> str:
        """The message of an out_of_scale warning."""
        return f"{what} is outside the {self.vendor_name} scale ({self.range_text})"

    def label_mismatch(self, level: int, label: str | None) -> str | None:
        """The message of a scale_label_mismatch warning when a page labels `level` otherwise
        than the scale does; None when it agrees or gives no label."""
        if not label or self.has_label(level, label):
            return None
        return f"level {level} is labelled {label!r}, the {self.vendor_name} scale says {self.label(level)!r}"
