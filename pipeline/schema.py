"""The catalog schema, declared once.

Every table the pipeline writes is declared here as metadata. The DuckDB DDL, the
Arrow schemas used to write Parquet and docs/schema.md are all generated from these
declarations (tests/test_schema.py keeps the doc in step), so a column is added in
exactly one place.
"""

from __future__ import annotations

from dataclasses import dataclass

# DuckDB type name -> Arrow type used for Parquet (pyarrow is imported only when writing).
_ARROW_TYPES = {
    "VARCHAR": "string",
    "INTEGER": "int32",
    "BIGINT": "int64",
    "DOUBLE": "float64",
    "BOOLEAN": "bool_",
    "TIMESTAMP": "timestamp_us",
}


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    description: str
    nullable: bool = True
    allowed: tuple[str, ...] | object = ()  # closed vocabulary (or a function giving it), enforced by a CHECK constraint

    @property
    def vocabulary(self) -> tuple[str, ...]:
        return tuple(self.allowed()) if callable(self.allowed) else self.allowed


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    fields: tuple[Field, ...]
    # Columns that order the table's rows, so every ingest writes the same bytes.
    sort_key: tuple[str, ...] = ()

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]


def vendor_names() -> tuple[str, ...]:
    """The vendor vocabulary is the parser registry, read when DDL or docs are made."""
    from .vendors import PARSERS

    return tuple(module.VENDOR for module in PARSERS)
FORMATS = ("html", "mhtml", "webarchive", "pdf", "text")
STATUSES = ("ok", "partial", "failed")
CATEGORIES = ("general", "soft", "hard")
VISIBILITIES = ("shown", "named_in_summary", "locked", "chart_only")

F = Field

TABLES: tuple[Table, ...] = (
    Table(
        "loads",
        "The load that wrote this catalog (load stamps: every column changes from one ingest to the next).",
        (
            F("load_id", "VARCHAR", "id of the load, from its start time", nullable=False),
            F("started_at", "TIMESTAMP", "when the load started (UTC)", nullable=False),
            F("documents", "INTEGER", "distinct documents in the catalog", nullable=False),
            F("ok", "INTEGER", "documents with status ok", nullable=False),
            F("partial", "INTEGER", "documents with status partial", nullable=False),
            F("failed", "INTEGER", "documents with status failed", nullable=False),
            F("parsed", "INTEGER", "files parsed by this load", nullable=False),
            F("reused", "INTEGER", "files whose earlier parse result was reused (unchanged content and code)", nullable=False),
            F("code_fingerprint", "VARCHAR", "hash of the pipeline's code that produced the catalog", nullable=False),
        ),
        ("load_id",),
    ),
    Table(
        "documents",
        "One row per distinct input content (the same bytes under two names are one document).",
        (
            F("document_id", "VARCHAR", "sha256 hex digest of the file's bytes (of 'path:' and the path, for a file that could not be read)", nullable=False),
            F("path", "VARCHAR", "first path (sorted) at which the content was found; all paths are in document_paths", nullable=False),
            F("vendor", "VARCHAR", "vendor whose format was recognized, NULL when none was", allowed=vendor_names),
            F("format", "VARCHAR", "container format detected from the bytes", allowed=FORMATS),
            F("status", "VARCHAR", "ok: fully parsed; partial: loaded what it had, see parse_warnings; failed: nothing loaded, see error", nullable=False, allowed=STATUSES),
            F("error", "VARCHAR", "why the document failed, or a summary of its warnings when partial"),
            F("title", "VARCHAR", "the role or competency name the document is about"),
            F("title_source", "VARCHAR", "where the title was read: heading, html_title or file_name"),
            F("page_count", "INTEGER", "number of PDF pages (NULL for HTML and text)"),
            F("parser_version", "VARCHAR", "version of the parser that read the document"),
            F("file_modified_at", "TIMESTAMP", "latest modification time (UTC) of the document's files: when it was saved, the crawl date"),
            F("ingested_at", "TIMESTAMP", "when this load started (load stamp, UTC)"),
            F("load_id", "VARCHAR", "id of the load that wrote the row (load stamp)"),
        ),
        ("document_id",),
    ),
    Table(
        "document_paths",
        "Every path at which a document's content was found.",
        (
            F("document_id", "VARCHAR", "documents.document_id", nullable=False),
            F("path", "VARCHAR", "file path as given to ingest", nullable=False),
        ),
        ("document_id", "path"),
    ),
    Table(
        "parse_warnings",
        "Everything a parser could not read cleanly, with a stable code.",
        (
            F("document_id", "VARCHAR", "documents.document_id", nullable=False),
            F("code", "VARCHAR", "stable machine-readable code: see Warning codes below", nullable=False),
            F("message", "VARCHAR", "what was wrong, for a person", nullable=False),
            F("seq", "INTEGER", "order of the warning within the document", nullable=False),
        ),
        ("document_id", "seq"),
    ),
    Table(
        "roles",
        "One row per job role per document (a newer crawl of the same role is a second row).",
        (
            F("role_id", "VARCHAR", "deterministic id: vendor and the role's title", nullable=False),
            F("vendor", "VARCHAR", "vendor of the role", nullable=False, allowed=vendor_names),
            F("title", "VARCHAR", "job title as the vendor writes it", nullable=False),
            F("job_code", "VARCHAR", "vendor's job code"),
            F("job_level", "VARCHAR", "vendor's job level (Salary.com: P02, M05, ...)"),
            F("summary", "VARCHAR", "job summary / description paragraph"),
            F("responsibilities", "VARCHAR", "job responsibilities paragraph"),
            F("education", "VARCHAR", "education / degree"),
            F("reports_to", "VARCHAR", "who the role reports to"),
            F("declared_skills_total", "INTEGER", "distinct skills the page says the role has in total ('the list totals 21 distinct skills')"),
            F("document_id", "VARCHAR", "documents.document_id", nullable=False),
        ),
        ("role_id", "document_id"),
    ),
    Table(
        "competencies",
        "One row per (vendor, competency name), however many documents mention it.",
        (
            F("competency_id", "VARCHAR", "deterministic id: vendor and the normalized name", nullable=False),
            F("vendor", "VARCHAR", "vendor of the framework", nullable=False, allowed=vendor_names),
            F("name", "VARCHAR", "competency name", nullable=False),
            F("definition", "VARCHAR", "definition text, NULL when no document gives it"),
            F("category", "VARCHAR", "general / soft / hard where the vendor says so (as first seen; per role in role_competencies.category)", allowed=CATEGORIES),
            F("family", "VARCHAR", "the vendor's own grouping (Caliper family, Kenexa group), as first seen"),
            F("notes", "VARCHAR", "other text a document gives about the competency (a paragraph between its definition and its levels)"),
        ),
        ("competency_id",),
    ),
    Table(
        "competency_aliases",
        "Raw spellings of a competency name that were normalized (case, broken words in a PDF chart).",
        (
            F("competency_id", "VARCHAR", "competencies.competency_id", nullable=False),
            F("raw_name", "VARCHAR", "the name as it appeared in the document", nullable=False),
            F("document_id", "VARCHAR", "documents.document_id", nullable=False),
        ),
        ("competency_id", "raw_name", "document_id"),
    ),
    Table(
        "scale_levels",
        "Each vendor's proficiency scale.",
        (
            F("vendor", "VARCHAR", "vendor", nullable=False, allowed=vendor_names),
            F("level", "INTEGER", "level number", nullable=False),
            F("label", "VARCHAR", "the vendor's label for the level", nullable=False),
        ),
        ("vendor", "level"),
    ),
    Table(
        "competency_levels",
        "The levels a competency's documents describe.",
        (
            F("competency_id", "VARCHAR", "competencies.competency_id", nullable=False),
            F("level", "INTEGER", "level number", nullable=False),
            F("label", "VARCHAR", "level label as the document gives it"),
            F("behaviors_hidden", "INTEGER", "behaviors the page hides behind 'See N More Skill Behaviors', as the link says (NULL when not said); any of them the saved page holds all the same are in behaviors"),
        ),
        ("competency_id", "level"),
    ),
    Table(
        "behaviors",
        "Behavior statements of a competency, merged across documents without duplicates.",
        (
            F("competency_id", "VARCHAR", "competencies.competency_id", nullable=False),
            F("level", "INTEGER", "proficiency level, NULL where the vendor gives none"),
            F("text", "VARCHAR", "the behavior statement", nullable=False),
            F("seq", "INTEGER", "order of the statement on the first page that showed it", nullable=False),
            F("document_id", "VARCHAR", "first document (by path) that showed it", nullable=False),
        ),
        ("competency_id", "level", "document_id", "seq"),
    ),
    Table(
        "role_competencies",
        "The competencies a role lists, including placeholders the page locks.",
        (
            F("role_id", "VARCHAR", "roles.role_id", nullable=False),
            F("competency_id", "VARCHAR", "competencies.competency_id; NULL only for locked, unnamed entries"),
            F("competency_name", "VARCHAR", "competency name; NULL only for locked, unnamed entries"),
            F("category", "VARCHAR", "general / soft / hard", allowed=CATEGORIES),
            F("rank", "INTEGER", "position in the vendor's list", nullable=False),
            F("required_level", "INTEGER", "required proficiency level; NULL for placeholders and vendors without levels"),
            F("required_level_normalized", "DOUBLE", "100 * (level - scale min) / (scale max - scale min), the O*NET convention"),
            F("displayed_level", "INTEGER", "the level a placeholder shows (a teaser equal to its rank); NULL for shown entries"),
            F("visibility", "VARCHAR", "shown; named_in_summary (name recovered from the page summary); locked; chart_only (Caliper chart, not in the list)", nullable=False, allowed=VISIBILITIES),
            F("proficiency_phrase", "VARCHAR", "the page summary's wording for it ('skilled', 'an expert'), when given"),
            F("document_id", "VARCHAR", "documents.document_id", nullable=False),
        ),
        ("role_id", "document_id", "category", "rank"),
    ),
    Table(
        "role_skill_counts",
        "Skills a role page declares per category against those extracted.",
        (
            F("role_id", "VARCHAR", "roles.role_id", nullable=False),
            F("category", "VARCHAR", "general / soft / hard", nullable=False, allowed=CATEGORIES),
            F("declared", "INTEGER", "count the page declares; NULL when the page does not say"),
            F("extracted", "INTEGER", "competencies extracted with a name (shown or named in summary)", nullable=False),
            F("document_id", "VARCHAR", "documents.document_id", nullable=False),
        ),
        ("role_id", "document_id", "category"),
    ),
    Table(
        "salaries",
        "Salary figures of a role.",
        (
            F("role_id", "VARCHAR", "roles.role_id", nullable=False),
            F("kind", "VARCHAR", "base or total", nullable=False, allowed=("base", "total")),
            F("percentile", "INTEGER", "percentile of the market range", nullable=False),
            F("amount", "DOUBLE", "amount per year", nullable=False),
            F("currency", "VARCHAR", "ISO currency code", nullable=False),
            F("document_id", "VARCHAR", "documents.document_id", nullable=False),
        ),
        ("role_id", "document_id", "kind", "percentile"),
    ),
    Table(
        "related_titles",
        "Job titles linked to a role or a competency.",
        (
            F("role_id", "VARCHAR", "roles.role_id (Caliper example positions)"),
            F("competency_id", "VARCHAR", "competencies.competency_id (Kenexa shared titles)"),
            F("title", "VARCHAR", "the related job title", nullable=False),
            F("relation", "VARCHAR", "example_position or shared_competency", nullable=False, allowed=("example_position", "shared_competency")),
            F("seq", "INTEGER", "order on the page", nullable=False),
            F("document_id", "VARCHAR", "documents.document_id", nullable=False),
        ),
        ("document_id", "seq"),
    ),
    Table(
        "interview_questions",
        "Interview questions for a competency.",
        (
            F("competency_id", "VARCHAR", "competencies.competency_id", nullable=False),
            F("text", "VARCHAR", "the question", nullable=False),
            F("seq", "INTEGER", "order on the page", nullable=False),
            F("document_id", "VARCHAR", "documents.document_id", nullable=False),
        ),
        ("document_id", "seq"),
    ),
    Table(
        "role_behaviors",
        "Representative behaviors of a role (Caliper job models), in page order.",
        (
            F("role_id", "VARCHAR", "roles.role_id", nullable=False),
            F("text", "VARCHAR", "the behavior", nullable=False),
            F("seq", "INTEGER", "order on the page", nullable=False),
            F("document_id", "VARCHAR", "documents.document_id", nullable=False),
        ),
        ("role_id", "document_id", "seq"),
    ),
)

MATCH_RELATIONS = ("exact", "close", "broad", "narrow", "related")

TABLES += (
    Table(
        "competency_matches",
        "Cross-vendor competency crosswalk (SKOS relations), computed from names, definitions and behaviors; reviewed matches win.",
        (
            F("left_competency_id", "VARCHAR", "competencies.competency_id (its vendor sorts before the right one's)", nullable=False),
            F("right_competency_id", "VARCHAR", "competencies.competency_id of another vendor", nullable=False),
            F("relation", "VARCHAR", "exact, close, related; broad = the right competency is broader, narrow = it is narrower", nullable=False, allowed=MATCH_RELATIONS),
            F("score", "DOUBLE", "similarity in [0, 1] (1 for reviewed matches)", nullable=False),
            F("method", "VARCHAR", "how the match was made: the matcher and its version, or 'reviewed' (pipeline/data/reviewed_matches.csv)", nullable=False),
        ),
        ("left_competency_id", "right_competency_id"),
    ),
    Table(
        "role_matches",
        "Roles of different vendors that describe the same job.",
        (
            F("left_role_id", "VARCHAR", "roles.role_id (its vendor sorts before the right one's)", nullable=False),
            F("right_role_id", "VARCHAR", "roles.role_id of another vendor", nullable=False),
            F("relation", "VARCHAR", "exact: same title; close: same title but for a level mark (II, Senior); related: an example position or most title words shared", nullable=False, allowed=MATCH_RELATIONS),
            F("score", "DOUBLE", "similarity in [0, 1]", nullable=False),
            F("method", "VARCHAR", "the matcher and its version", nullable=False),
        ),
        ("left_role_id", "right_role_id"),
    ),
)

TABLES_BY_NAME = {t.name: t for t in TABLES}


def table(name: str) -> Table:
    return TABLES_BY_NAME[name]


def to_columns(name: str, rows: list[dict]) -> dict[str, list]:
    """Rows of a table as a list of values per declared column (missing keys are NULL)."""
    return {c: [r.get(c) for r in rows] for c in table(name).columns}


def arrow_schema(t: Table):
    import pyarrow as pa

    def arrow_type(name: str):
        return pa.timestamp("us") if name == "timestamp_us" else getattr(pa, name)()

    return pa.schema([pa.field(f.name, arrow_type(_ARROW_TYPES[f.type]), nullable=f.nullable) for f in t.fields])


def _sql_str(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def ddl(t: Table) -> str:
    cols = []
    for f in t.fields:
        col = f"    {f.name} {f.type}"
        if not f.nullable:
            col += " NOT NULL"
        if f.vocabulary:
            col += f" CHECK ({f.name} IN ({', '.join(_sql_str(a) for a in f.vocabulary)}))"
        cols.append(col)
    return f"CREATE TABLE {t.name} (\n" + ",\n".join(cols) + "\n);"


def schema_markdown() -> str:
    """docs/schema.md, generated; `python -m pipeline schema-doc` rewrites it."""
    out = [
        "# Catalog schema",
        "",
        "Generated from `pipeline/schema.py` by `python -m pipeline schema-doc`; do not edit by hand",
        "(a test fails when this file and the code disagree).",
        "",
        "Load stamps: the `loads` table and the columns `documents.ingested_at` and `documents.load_id`",
        "are the only things that change between two ingests of the same inputs.",
        "",
    ]
    for t in TABLES:
        out += [f"## {t.name}", "", t.description, "", "| column | type | description |", "|---|---|---|"]
        for f in t.fields:
            desc = f.description
            if f.vocabulary:
                desc += " (one of: " + ", ".join(f"`{a}`" for a in f.vocabulary) + ")"
            if not f.nullable:
                desc += "; never NULL"
            out.append(f"| `{f.name}` | {f.type} | {desc} |")
        out.append("")
    from .warning_codes import CODES, EFFECTS

    out += ["# Warning codes", "", "`parse_warnings.code` and the failure of a failed document, declared in `pipeline/warning_codes.py`.",
            "A `failed` code leaves the document out (`documents.error` says why), a `partial` one makes it `partial`, a `note` is",
            "worth a look; the message says what, where.", "", "| code | effect | meaning |", "|---|---|---|"]
    out += [f"| `{c.code}` | {c.effect} | {c.meaning} |" for e in EFFECTS for c in CODES if c.effect == e]
    out.append("")
    from .views import VIEWS

    out += ["# Views", "", "Saved queries in catalog.duckdb (not written to Parquet), declared in `pipeline/views.py`.", ""]
    for v in VIEWS:
        out += [f"## {v.name}" + (" (materialized)" if v.materialized else ""), "", v.description, "", "| column | description |", "|---|---|"]
        out += [f"| `{name}` | {desc} |" for name, desc in v.columns]
        out.append("")
    return "\n".join(out)
