"""Assemble per-document rows into catalog tables (the transform stage's last step).

A competency is one row per (vendor, name) however many documents mention it; behaviors
and levels seen on several pages are merged without duplicates. The first document by
path wins where documents disagree, and the disagreement is reported as a warning.
"""

from __future__ import annotations

from .schema import TABLES


# A competency's category or family can differ from one role page to the next (it is kept
# per role in role_competencies.category); two definitions of one name cannot both be right.
REPORTED_CONFLICTS = ("definition",)


# Tables whose rows go to the catalog as they are: held as Arrow batches while documents
# stream in, so memory holds compact columns, not one Python dict per row.
BATCH_ROWS = 10_000
STREAMED_TABLES = ("role_competencies", "salaries", "role_skill_counts", "interview_questions", "role_behaviors", "competency_aliases")


class CatalogBuilder:
    """Takes each document's rows in path order: merges competencies, levels and behaviors
    across documents, and turns the other large tables into Arrow batches as they fill."""

    def __init__(self, warn, batch_rows: int | None = None):
        self.warn = warn
        self.batch_rows = batch_rows or BATCH_ROWS
        self.rows: dict[str, list[dict]] = {t.name: [] for t in TABLES}
        self.batches: dict[str, list] = {name: [] for name in STREAMED_TABLES}
        self.competencies: dict[str, dict] = {}
        self.levels: dict[tuple, dict] = {}
        self.behavior_keys: set[tuple] = set()

    def add(self, document_id: str, rows: dict[str, list[dict]]) -> None:
        for row in rows.get("competencies", []):
            have = self.competencies.get(row["competency_id"])
            if have is None:
                self.competencies[row["competency_id"]] = dict(row)
                continue
            for col in ("definition", "category", "family", "notes"):
                new = row.get(col)
                if have.get(col) is None:
                    have[col] = new
                elif new is not None and new != have[col] and col in REPORTED_CONFLICTS:
                    self.warn(document_id, "conflicting_value", f"{have['name']}: this document's {col} {new!r} differs from {have[col]!r} given by an earlier document; the earlier one is kept")
        for row in rows.get("competency_levels", []):
            have = self.levels.get((row["competency_id"], row["level"]))
            if have is None:
                self.levels[(row["competency_id"], row["level"])] = dict(row)
            else:
                for col in ("label", "behaviors_hidden"):
                    if have.get(col) is None:
                        have[col] = row.get(col)
        for row in rows.get("behaviors", []):
            key = (row["competency_id"], row["level"], row["text"])
            if key not in self.behavior_keys:
                self.behavior_keys.add(key)
                self.rows["behaviors"].append(row)
        for name, table_rows in rows.items():
            if name in ("competencies", "competency_levels", "behaviors"):
                continue
            self.rows[name].extend(table_rows)
            if name in self.batches and len(self.rows[name]) >= self.batch_rows:
                self._flush(name)

    def _flush(self, name: str) -> None:
        from .load import record_batch

        self.batches[name].append(record_batch(name, self.rows[name]))
        self.rows[name] = []

    def finish(self) -> tuple[dict[str, list[dict]], dict[str, list]]:
        self.rows["competencies"] = list(self.competencies.values())
        self.rows["competency_levels"] = list(self.levels.values())
        for name in STREAMED_TABLES:
            if self.batches[name] and self.rows[name]:
                self._flush(name)
        return self.rows, self.batches
