"""The catalog schema, declared once (modelled on PUDL's metadata).

Each field is declared once in FIELDS (its type and what it means); a table lists its fields
by name, says which of them are never NULL, its primary key and its foreign keys, and may
say what a field means in that table (FIELDS_BY_TABLE). The DuckDB DDL, the Arrow schemas
used to write Parquet and docs/schema.md are all generated from these declarations
(tests/test_schema.py keeps the doc in step), and tests/test_keys.py checks every key on
every catalog the tests build.

Allowed values are in pipeline/enums.py; the vendor column's are the parser registry's,
given to `ddl` and `schema_markdown` by their callers (the schema imports no parser).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import enums

# DuckDB type name -> Arrow type used for Parquet (pyarrow is imported only when writing).
_ARROW_TYPES = {
    "VARCHAR": "string",
    "INTEGER": "int32",
    "BIGINT": "int64",
    "DOUBLE": "float64",
    "BOOLEAN": "bool_",
    "TIMESTAMP": "timestamp_us",
}

# A field whose allowed values are the registered vendors' names (pipeline.vendors.vendor_names).
VENDORS = ("<registered vendors>",)


@dataclass(frozen=True)
class Field:
    """A column as declared once: its type, what it means and its allowed values, if closed."""

    type: str
    description: str
    allowed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Column:
    """A field as a table has it."""

    name: str
    type: str
    description: str
    nullable: bool
    allowed: tuple[str, ...]

    def vocabulary(self, vendors: tuple[str, ...]) -> tuple[str, ...]:
        return vendors if self.allowed == VENDORS else self.allowed


@dataclass(frozen=True)
class ForeignKey:
    """`columns` of this table refer to `ref_columns` of `ref_table` (rows with a NULL in
    `columns` refer to nothing)."""

    columns: tuple[str, ...]
    ref_table: str
    ref_columns: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    field_names: tuple[str, ...]
    not_null: tuple[str, ...]
    # Unique over the table's rows (a NULL counts as a value: a vendor without categories or
    # levels keys its rows by NULL). Checked, not enforced: see tests/test_keys.py.
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    # Also unique, over the rows where none of their columns is NULL (as SQL's UNIQUE): what
    # the primary key does not say, such as one requirement per (role, competency, document).
    unique: tuple[tuple[str, ...], ...] = ()
    # Columns that order the table's rows, so every ingest writes the same bytes.
    sort_key: tuple[str, ...] = ()
    fields: tuple[Column, ...] = field(init=False)

    def __post_init__(self) -> None:
        unknown = (set(self.not_null) | set(self.primary_key) | set(self.sort_key) | {c for fk in self.foreign_keys for c in fk.columns}
                   | {c for key in self.unique for c in key})
        if unknown - set(self.field_names):
            raise ValueError(f"{self.name}: {sorted(unknown - set(self.field_names))} are not its fields")
        overrides = FIELDS_BY_TABLE.get(self.name, {})
        columns = []
        for name in self.field_names:
            declared = FIELDS[name]
            local = overrides.get(name, {})
            columns.append(Column(name, declared.type, local.get("description", declared.description), name not in self.not_null,
                                  local.get("allowed", declared.allowed)))
        object.__setattr__(self, "fields", tuple(columns))

    @property
    def columns(self) -> list[str]:
        return list(self.field_names)


def FK(columns: str, ref: str, ref_columns: str | None = None) -> ForeignKey:  # noqa: N802 (reads as a declaration)
    """ForeignKey from space-separated column names."""
    return ForeignKey(tuple(columns.split()), ref, tuple((ref_columns or columns).split()))


def _key(names: str) -> tuple[str, ...]:
    return tuple(names.split())


FIELDS: dict[str, Field] = {
    # loads
    "load_id": Field("VARCHAR", "id of the load that wrote the row, from its start time (load stamp)"),
    "started_at": Field("TIMESTAMP", "when the load started (UTC)"),
    "documents": Field("INTEGER", "distinct documents in the catalog"),
    "ok": Field("INTEGER", "documents with status ok"),
    "partial": Field("INTEGER", "documents with status partial"),
    "failed": Field("INTEGER", "documents with status failed"),
    "parsed": Field("INTEGER", "files parsed by this load"),
    "reused": Field("INTEGER", "files whose earlier parse result was reused (unchanged content and code)"),
    "code_fingerprint": Field("VARCHAR", "hash of the pipeline's code that produced the catalog"),
    # documents
    "document_id": Field("VARCHAR", "documents.document_id"),
    "path": Field("VARCHAR", "file path as given to ingest (bytes of a file name that are not UTF-8 written as \\xNN)"),
    "vendor": Field("VARCHAR", "vendor", VENDORS),
    "format": Field("VARCHAR", "container format detected from the bytes", enums.FORMATS),
    "status": Field("VARCHAR", "ok: fully parsed; partial: loaded what it had, see parse_warnings; failed: nothing loaded, see error", enums.STATUSES),
    "error": Field("VARCHAR", "why the document failed, or a summary of its warnings when partial"),
    "title": Field("VARCHAR", "the role or competency name the document is about"),
    "title_source": Field("VARCHAR", "where the title was read: heading, html_title, or section_heading (a page without its header: "
                                         "the title a skill section's heading names); NULL with the title when the document gives none "
                                         "(a competency page without its name line)"),
    "page_count": Field("INTEGER", "number of PDF pages (NULL for HTML and text)"),
    "parser_version": Field("VARCHAR", "version of the parser that read the document"),
    "file_modified_at": Field("TIMESTAMP", "latest modification time (UTC) of the document's files: when it was saved, the crawl date"),
    "ingested_at": Field("TIMESTAMP", "when this load started (load stamp, UTC)"),
    # warnings
    "code": Field("VARCHAR", "stable machine-readable code: see Warning codes below"),
    "message": Field("VARCHAR", "what was wrong, for a person"),
    "seq": Field("INTEGER", "order on the page"),
    # roles
    "role_id": Field("VARCHAR", "roles.role_id"),
    "job_code": Field("VARCHAR", "vendor's job code"),
    "job_level": Field("VARCHAR", "vendor's job level (Salary.com: P02, M05, ...)"),
    "summary": Field("VARCHAR", "job summary / description paragraph"),
    "responsibilities": Field("VARCHAR", "job responsibilities paragraph"),
    "education": Field("VARCHAR", "education / degree"),
    "reports_to": Field("VARCHAR", "who the role reports to"),
    "declared_skills_total": Field("INTEGER", "distinct skills the page says the role has in total ('the list totals 21 distinct skills')"),
    # competencies
    "competency_id": Field("VARCHAR", "competencies.competency_id"),
    "name": Field("VARCHAR", "competency name"),
    "definition": Field("VARCHAR", "definition text, NULL when no document gives it"),
    "category": Field("VARCHAR", "general / soft / hard", enums.CATEGORIES),
    "family": Field("VARCHAR", "the vendor's own grouping (Caliper family, Kenexa group), as first seen"),
    "notes": Field("VARCHAR", "other text a document gives about the competency (a paragraph between its definition and its levels)"),
    "raw_name": Field("VARCHAR", "the name as it appeared in the document"),
    # levels and behaviors
    "level": Field("INTEGER", "level number"),
    "label": Field("VARCHAR", "level label as the document gives it"),
    "behaviors_hidden": Field("INTEGER", "behaviors the page hides behind 'See N More Skill Behaviors', as the link says (NULL when not said); any of them the saved page holds all the same are in behaviors"),
    "text": Field("VARCHAR", "the behavior statement"),
    # role requirements
    "competency_name": Field("VARCHAR", "competency name; NULL for locked entries and for entries the page shows without their name"),
    "rank": Field("INTEGER", "position in the vendor's list"),
    "required_level": Field("INTEGER", "required proficiency level; NULL for placeholders and vendors without levels"),
    "required_level_normalized": Field("DOUBLE", "100 * (level - scale min) / (scale max - scale min), the O*NET convention"),
    "displayed_level": Field("INTEGER", "the level a placeholder shows (a teaser equal to its rank); NULL for shown entries"),
    "visibility": Field("VARCHAR", "shown; named_in_summary (name recovered from the page summary); locked; chart_only (Caliper chart, not in the list)", enums.VISIBILITIES),
    "proficiency_phrase": Field("VARCHAR", "the page summary's wording for it ('skilled', 'an expert'), when given"),
    "declared": Field("INTEGER", "count the page declares; NULL when the page does not say"),
    "extracted": Field("INTEGER", "competencies extracted with a name (shown or named in summary)"),
    # salaries
    "kind": Field("VARCHAR", "base or total", enums.SALARY_KINDS),
    "percentile": Field("INTEGER", "percentile of the market range"),
    "amount": Field("DOUBLE", "amount per year"),
    "currency": Field("VARCHAR", "ISO currency code"),
    # crosswalk
    "relation": Field("VARCHAR", "SKOS mapping relation", enums.MATCH_RELATIONS),
    "score": Field("DOUBLE", "similarity in [0, 1]"),
    "method": Field("VARCHAR", "the matcher and its version"),
    "left_competency_id": Field("VARCHAR", "competencies.competency_id (its vendor sorts before the right one's)"),
    "right_competency_id": Field("VARCHAR", "competencies.competency_id of another vendor"),
    "left_role_id": Field("VARCHAR", "roles.role_id (its vendor sorts before the right one's)"),
    "right_role_id": Field("VARCHAR", "roles.role_id of another vendor"),
    # ESCO
    "esco_uri": Field("VARCHAR", "ESCO skill concept URI (http://data.europa.eu/esco/skill/...)"),
    "description": Field("VARCHAR", "ESCO's description of the concept"),
    "preferred_label": Field("VARCHAR", "ESCO's preferred label of the concept"),
    "alt_labels": Field("VARCHAR", "ESCO's alternative labels, one per line"),
    "skill_type": Field("VARCHAR", "skill/competence, knowledge, language, or attitude or value (from ESCO's hierarchy)"),
    "transversal": Field("BOOLEAN", "whether ESCO files the concept under its transversal skills (useful in any occupation)"),
    "broader_label": Field("VARCHAR", "for a sector's or occupation's variant of a general skill ('manage time in tourism'), the general skill's label"),
    "reviewed": Field("BOOLEAN", "true for an anchor from pipeline/data/reviewed_esco.csv (it replaces the computed ones of its competency)"),
}

# What a field means in one table, where that is more than FIELDS says.
FIELDS_BY_TABLE: dict[str, dict[str, dict]] = {
    "loads": {"load_id": {"description": "id of the load, from its start time"}},
    "documents": {
        "document_id": {"description": "sha256 hex digest of the file's bytes (of 'path:' and the path, for a file that could not be read)"},
        "path": {"description": "first path (sorted) at which the content was found; all paths are in document_paths"},
        "vendor": {"description": "vendor whose format was recognized, NULL when none was"},
    },
    "parse_warnings": {"seq": {"description": "order of the warning within the document"}},
    "roles": {"role_id": {"description": "deterministic id: vendor and the role's title"}, "vendor": {"description": "vendor of the role"},
              "title": {"description": "job title as the vendor writes it"}},
    "competencies": {
        "competency_id": {"description": "deterministic id: vendor and the normalized name; for a competency whose page does not give its "
                                         "name, vendor, 'unnamed-' and a hash of its definition (else its first behavior, else its place)"},
        "vendor": {"description": "vendor of the framework"},
        "name": {"description": "competency name; NULL when the page does not give it (a copy without its name line: its definition, "
                                "levels and behaviors are loaded all the same)"},
        "category": {"description": "general / soft / hard where the vendor says so (as first seen; per role in role_competencies.category)"},
    },
    "scale_levels": {"label": {"description": "the vendor's label for the level"}},
    "behaviors": {
        "level": {"description": "proficiency level, NULL where the vendor gives none"},
        "seq": {"description": "order of the statement on the first page that showed it"},
        "document_id": {"description": "first document (by path) that showed it"},
    },
    "role_competencies": {"competency_id": {"description": "competencies.competency_id; NULL only for locked, unnamed entries"},
                          "category": {"description": "general / soft / hard where the vendor says so; NULL where it does not (Caliper) and for "
                                                      "the entries of a Salary.com section of a kind not known (an `unknown_section` warning names it)"}},
    "related_titles": {
        "role_id": {"description": "roles.role_id (Caliper example positions)"},
        "competency_id": {"description": "competencies.competency_id (Kenexa shared titles)"},
        "title": {"description": "the related job title"},
        "relation": {"description": "example_position or shared_competency", "allowed": enums.RELATED_TITLE_RELATIONS},
    },
    "interview_questions": {"text": {"description": "the question"}},
    "role_behaviors": {"text": {"description": "the behavior"}},
    "competency_matches": {
        "relation": {"description": "exact, close, related; broad = the right competency is broader, narrow = it is narrower"},
        "score": {"description": "similarity in [0, 1] (1 for reviewed matches)"},
        "method": {"description": "how the match was made: the matcher and its version, or 'reviewed' (pipeline/data/reviewed_matches.csv)"},
    },
    "competency_esco": {
        "rank": {"description": "1 for the best anchor, then 2, 3"},
        "relation": {"description": "from the competency to the concept: exact, close, broad (the concept is broader), narrow (it is narrower), related"},
        "score": {"description": "similarity in [0, 1] (1 for reviewed anchors)"},
        "method": {"description": "the anchoring method and its version, or 'reviewed'"},
    },
    "role_matches": {
        "relation": {"description": "exact: same title; close: same title but for a level mark (II, Senior); related: an example position or most title words shared"},
    },
}

_DOCUMENT = FK("document_id", "documents")
_ROLE = FK("role_id document_id", "roles")
_COMPETENCY = FK("competency_id", "competencies")

TABLES: tuple[Table, ...] = (
    Table("loads", "The load that wrote this catalog (load stamps: every column changes from one ingest to the next).",
          _key("load_id started_at documents ok partial failed parsed reused code_fingerprint"),
          not_null=_key("load_id started_at documents ok partial failed parsed reused code_fingerprint"),
          primary_key=_key("load_id"), sort_key=_key("load_id")),
    Table("documents", "One row per distinct input content (the same bytes under two names are one document).",
          _key("document_id path vendor format status error title title_source page_count parser_version file_modified_at ingested_at load_id"),
          not_null=_key("document_id path status"), primary_key=_key("document_id"), sort_key=_key("document_id")),
    Table("document_paths", "Every path at which a document's content was found.", _key("document_id path"),
          not_null=_key("document_id path"), primary_key=_key("path"), foreign_keys=(_DOCUMENT,), sort_key=_key("document_id path")),
    Table("parse_warnings", "Everything a parser could not read cleanly, with a stable code.", _key("document_id code message seq"),
          not_null=_key("document_id code message seq"), primary_key=_key("document_id seq"), foreign_keys=(_DOCUMENT,),
          sort_key=_key("document_id seq")),
    Table("roles", "One row per job role per document (a newer crawl of the same role is a second row).",
          _key("role_id vendor title job_code job_level summary responsibilities education reports_to declared_skills_total document_id"),
          not_null=_key("role_id vendor title document_id"), primary_key=_key("role_id document_id"), foreign_keys=(_DOCUMENT,),
          sort_key=_key("role_id document_id")),
    Table("competencies", "One row per (vendor, competency name), however many documents mention it.",
          _key("competency_id vendor name definition category family notes"),
          not_null=_key("competency_id vendor"), primary_key=_key("competency_id"), sort_key=_key("competency_id")),
    Table("competency_aliases", "Raw spellings of a competency name that were normalized (case, broken words in a PDF chart).",
          _key("competency_id raw_name document_id"), not_null=_key("competency_id raw_name document_id"),
          primary_key=_key("competency_id raw_name document_id"), foreign_keys=(_COMPETENCY, _DOCUMENT),
          sort_key=_key("competency_id raw_name document_id")),
    Table("scale_levels", "Each vendor's proficiency scale.", _key("vendor level label"), not_null=_key("vendor level label"),
          primary_key=_key("vendor level"), sort_key=_key("vendor level")),
    Table("competency_levels", "The levels a competency's documents describe.", _key("competency_id level label behaviors_hidden"),
          not_null=_key("competency_id level"), primary_key=_key("competency_id level"), foreign_keys=(_COMPETENCY,),
          sort_key=_key("competency_id level")),
    Table("behaviors", "Behavior statements of a competency, merged across documents without duplicates.",
          _key("competency_id level text seq document_id"), not_null=_key("competency_id text seq document_id"),
          primary_key=_key("competency_id level text"), foreign_keys=(_COMPETENCY, _DOCUMENT, FK("competency_id level", "competency_levels")),
          sort_key=_key("competency_id level document_id seq")),
    Table("role_competencies", "The competencies a role lists, including placeholders the page locks.",
          _key("role_id competency_id competency_name category rank required_level required_level_normalized displayed_level visibility "
               "proficiency_phrase document_id"),
          not_null=_key("role_id rank visibility document_id"), primary_key=_key("role_id document_id category rank"),
          foreign_keys=(_ROLE, _COMPETENCY, _DOCUMENT), unique=(_key("role_id competency_id document_id"),),
          sort_key=_key("role_id document_id category rank")),
    Table("role_skill_counts", "Skills a role page declares per category against those extracted.",
          _key("role_id category declared extracted document_id"), not_null=_key("role_id category extracted document_id"),
          primary_key=_key("role_id document_id category"), foreign_keys=(_ROLE,), sort_key=_key("role_id document_id category")),
    Table("salaries", "Salary figures of a role.", _key("role_id kind percentile amount currency document_id"),
          not_null=_key("role_id kind percentile amount currency document_id"), primary_key=_key("role_id document_id kind percentile"),
          foreign_keys=(_ROLE,), sort_key=_key("role_id document_id kind percentile")),
    Table("related_titles", "Job titles linked to a role or a competency.", _key("role_id competency_id title relation seq document_id"),
          not_null=_key("title relation seq document_id"), primary_key=_key("document_id role_id competency_id seq"),
          foreign_keys=(_ROLE, _COMPETENCY, _DOCUMENT), sort_key=_key("document_id seq")),
    Table("interview_questions", "Interview questions for a competency.", _key("competency_id text seq document_id"),
          not_null=_key("competency_id text seq document_id"), primary_key=_key("competency_id document_id seq"),
          foreign_keys=(_COMPETENCY, _DOCUMENT), sort_key=_key("document_id seq")),
    Table("role_behaviors", "Representative behaviors of a role (Caliper job models), in page order.", _key("role_id text seq document_id"),
          not_null=_key("role_id text seq document_id"), primary_key=_key("role_id document_id seq"), foreign_keys=(_ROLE,),
          sort_key=_key("role_id document_id seq")),
    Table("competency_matches",
          "Cross-vendor competency crosswalk (SKOS relations), computed from names, definitions and behaviors; reviewed matches win.",
          _key("left_competency_id right_competency_id relation score method"),
          not_null=_key("left_competency_id right_competency_id relation score method"), primary_key=_key("left_competency_id right_competency_id"),
          foreign_keys=(FK("left_competency_id", "competencies", "competency_id"), FK("right_competency_id", "competencies", "competency_id")),
          sort_key=_key("left_competency_id right_competency_id")),
    Table("role_matches", "Roles of different vendors that describe the same job.", _key("left_role_id right_role_id relation score method"),
          not_null=_key("left_role_id right_role_id relation score method"), primary_key=_key("left_role_id right_role_id"),
          foreign_keys=(FK("left_role_id", "roles", "role_id"), FK("right_role_id", "roles", "role_id")),
          sort_key=_key("left_role_id right_role_id")),
)

TABLES += (
    Table("esco_concepts", "The ESCO skills some competency is anchored to (ESCO, the European Commission's skills taxonomy: see pipeline/data/esco/NOTICE.md).",
          _key("esco_uri preferred_label alt_labels description skill_type transversal broader_label"),
          not_null=_key("esco_uri preferred_label transversal"), primary_key=_key("esco_uri"), sort_key=_key("esco_uri")),
    Table("competency_esco", "Each competency's best ESCO anchors (up to 3), computed from its name, definition and behaviors; reviewed anchors win.",
          _key("competency_id rank esco_uri score relation method reviewed"),
          not_null=_key("competency_id rank esco_uri score relation method reviewed"), primary_key=_key("competency_id rank"),
          foreign_keys=(_COMPETENCY, FK("esco_uri", "esco_concepts")), sort_key=_key("competency_id rank")),
)

TABLES_BY_NAME = {t.name: t for t in TABLES}


def table(name: str) -> Table:
    return TABLES_BY_NAME[name]


def arrow_schema(t: Table):
    import pyarrow as pa

    def arrow_type(name: str):
        return pa.timestamp("us") if name == "timestamp_us" else getattr(pa, name)()

    return pa.schema([pa.field(f.name, arrow_type(_ARROW_TYPES[f.type]), nullable=f.nullable) for f in t.fields])


def _names(columns: tuple[str, ...]) -> str:
    return ", ".join(f"`{c}`" for c in columns)


def _sql_str(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def ddl(t: Table, vendors: tuple[str, ...]) -> str:
    """CREATE TABLE for `t`; `vendors`: the vendor column's allowed values (the registry's)."""
    cols = []
    for f in t.fields:
        col = f"    {f.name} {f.type}"
        if not f.nullable:
            col += " NOT NULL"
        if allowed := f.vocabulary(vendors):
            col += f" CHECK ({f.name} IN ({', '.join(_sql_str(a) for a in allowed)}))"
        cols.append(col)
    return f"CREATE TABLE {t.name} (\n" + ",\n".join(cols) + "\n);"


def schema_markdown(vendors: tuple[str, ...]) -> str:
    """docs/schema.md, generated; `python -m pipeline schema-doc` rewrites it."""
    out = [
        "# Catalog schema",
        "",
        "Generated from `pipeline/schema.py` by `python -m pipeline schema-doc`; do not edit by hand",
        "(a test fails when this file and the code disagree).",
        "",
        "A primary key is unique over its table's rows (a NULL counts as a value there); a unique key, over the rows where",
        "none of its columns is NULL; a foreign key's",
        "values, where not NULL, are found in the table it refers to. Both are checked by tests on every",
        "catalog the tests build (tests/test_keys.py), not enforced by the database.",
        "",
        "Load stamps: the `loads` table and the columns `documents.ingested_at` and `documents.load_id`",
        "are the only things that change between two ingests of the same inputs.",
        "",
    ]
    for t in TABLES:
        out += [f"## {t.name}", "", t.description, "", f"Primary key: {_names(t.primary_key)}."]
        out += [f"Foreign key: {_names(fk.columns)} -> `{fk.ref_table}` ({_names(fk.ref_columns)})." for fk in t.foreign_keys]
        out += [f"Unique where not NULL: {_names(key)}." for key in t.unique]
        out += ["", "| column | type | description |", "|---|---|---|"]
        for f in t.fields:
            desc = f.description
            if allowed := f.vocabulary(vendors):
                desc += " (one of: " + ", ".join(f"`{a}`" for a in allowed) + ")"
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
