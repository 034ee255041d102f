"""Views in catalog.duckdb: saved queries over the tables, for role-level analysis and
cross-vendor comparison. Declared here with their columns; docs/schema.md lists them and a
test checks each view's columns against its declaration."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class View:
    """A view in catalog.duckdb (not in Parquet): a saved query over the tables."""

    name: str
    description: str
    columns: tuple[tuple[str, str], ...]  # (name, description), in SELECT order
    sql: str
    # Computed once per load and stored as a table (like a dbt "table" model): for views whose
    # aggregation over every role is too slow to repeat on each query of a large catalog.
    materialized: bool = False

    def ddl(self) -> str:
        kind = "TABLE" if self.materialized else "VIEW"
        return f"CREATE OR REPLACE {kind} {self.name} AS\n{self.sql.strip()};"


def create_views(con) -> None:
    """Create every view (and fill every materialized one) in declaration order."""
    for v in VIEWS:
        con.execute(v.ddl())


VIEWS: tuple[View, ...] = (
    View(
        "role_history",
        "Every document that describes a role (two crawls of a page, a copy saved part-way and a whole one: the same role saved twice), "
        "the current one first. The current copy is the most complete, then the newest: a complete document (status ok) before a partial "
        "one, then the latest saved (file_modified_at), then the one listing more competencies, then the smallest document_id.",
        (
            ("role_id", "roles.role_id"), ("title", "job title"), ("document_id", "documents.document_id"), ("path", "the document's path"),
            ("status", "the document's status"), ("file_modified_at", "when the document was saved"),
            ("listed", "competency entries the document lists for the role, placeholders included"),
            ("version", "1 for the current document of the role (the one every role view uses), 2 for the next, ..."),
        ),
        """
WITH listed AS (SELECT role_id, document_id, count(*) AS listed FROM role_competencies GROUP BY ALL)
SELECT r.role_id, r.title, r.document_id, d.path, d.status, d.file_modified_at, coalesce(l.listed, 0) AS listed,
       row_number() OVER (PARTITION BY r.role_id
                          ORDER BY d.status = 'ok' DESC, d.file_modified_at DESC NULLS LAST, coalesce(l.listed, 0) DESC, d.document_id) AS version
FROM roles r JOIN documents d USING (document_id) LEFT JOIN listed l USING (role_id, document_id)
""",
    ),
    View(
        "roles_current",
        "One row per role: its current document's version of it (see role_history: the most complete copy, then the newest). "
        "Role-level analysis should start here; every role view reads it.",
        (
            ("role_id", "roles.role_id"), ("vendor", "vendor"), ("title", "job title"), ("job_code", "vendor's job code"),
            ("job_level", "vendor's job level"), ("document_id", "the current document describing the role"),
            ("status", "that document's status: partial means its competency list is incomplete"),
            ("versions", "how many documents describe the role"),
        ),
        """
SELECT r.role_id, r.vendor, r.title, r.job_code, r.job_level, r.document_id, h.status,
       count(*) OVER (PARTITION BY r.role_id) AS versions
FROM roles r JOIN role_history h USING (role_id, document_id)
QUALIFY h.version = 1
""",
    ),
    View(
        "role_competencies_current",
        "role_competencies of each role's current document only (roles_current): a role saved twice counts once. "
        "Average or count role requirements here, not over role_competencies, which keeps every copy.",
        (
            ("role_id", "roles.role_id"), ("competency_id", "competencies.competency_id; NULL only for locked, unnamed entries"),
            ("competency_name", "competency name"), ("category", "general / soft / hard"), ("rank", "position in the vendor's list"),
            ("required_level", "required level on the vendor's scale"), ("required_level_normalized", "required level, 0-100"),
            ("displayed_level", "the level a placeholder shows"), ("visibility", "shown, named_in_summary, locked or chart_only"),
            ("proficiency_phrase", "the page summary's wording for it"), ("document_id", "the role's current document"),
        ),
        """
SELECT rc.role_id, rc.competency_id, rc.competency_name, rc.category, rc.rank, rc.required_level, rc.required_level_normalized,
       rc.displayed_level, rc.visibility, rc.proficiency_phrase, rc.document_id
FROM role_competencies rc JOIN roles_current c USING (role_id, document_id)
""",
    ),
)

VIEWS += (
    View(
        "role_summary",
        "Per role (current version: the most complete copy, then the newest): salary, competencies by visibility, required proficiency on the 0-100 scale, completeness. "
        "Means are over the competencies the page showed with a level, never over placeholders. Materialized at each load.",
        (
            ("role_id", "roles.role_id"), ("vendor", "vendor"), ("title", "job title"), ("job_level", "vendor's job level"),
            ("document_id", "the document the row describes"),
            ("completeness", "complete, or partial when the page was saved part-way (its competency list is incomplete)"),
            ("base_salary_p50", "base salary, 50th percentile (per year)"), ("total_salary_p50", "total cash compensation, 50th percentile"),
            ("currency", "salary currency"),
            ("shown", "competencies the page shows"), ("named_in_summary", "placeholders named in the page summary"),
            ("locked", "placeholders without a name"), ("chart_only", "competencies only in a Caliper JOB MODEL chart"),
            ("with_required_level", "competencies with a required level"),
            ("mean_required_level_normalized", "mean required level, 0-100"), ("max_required_level_normalized", "highest required level, 0-100"),
            ("declared_skills", "skills the page declares (all categories)"), ("extracted_skills", "skills extracted with a name"),
        ),
        """
WITH rc AS (
    SELECT role_id, document_id,
           count(*) FILTER (WHERE visibility = 'shown') AS shown,
           count(*) FILTER (WHERE visibility = 'named_in_summary') AS named_in_summary,
           count(*) FILTER (WHERE visibility = 'locked') AS locked,
           count(*) FILTER (WHERE visibility = 'chart_only') AS chart_only,
           count(required_level) AS with_required_level,
           avg(required_level_normalized) AS mean_required_level_normalized,
           max(required_level_normalized) AS max_required_level_normalized
    FROM role_competencies GROUP BY ALL
), sal AS (
    SELECT role_id, document_id,
           max(amount) FILTER (WHERE kind = 'base' AND percentile = 50) AS base_salary_p50,
           max(amount) FILTER (WHERE kind = 'total' AND percentile = 50) AS total_salary_p50,
           min(currency) AS currency
    FROM salaries GROUP BY ALL
), counts AS (
    SELECT role_id, document_id, sum(declared)::INTEGER AS declared_skills, sum(extracted)::INTEGER AS extracted_skills
    FROM role_skill_counts GROUP BY ALL
)
SELECT c.role_id, c.vendor, c.title, c.job_level, c.document_id,
       CASE WHEN c.status = 'ok' THEN 'complete' ELSE 'partial' END AS completeness,
       sal.base_salary_p50, sal.total_salary_p50, sal.currency,
       coalesce(rc.shown, 0) AS shown, coalesce(rc.named_in_summary, 0) AS named_in_summary,
       coalesce(rc.locked, 0) AS locked, coalesce(rc.chart_only, 0) AS chart_only,
       coalesce(rc.with_required_level, 0) AS with_required_level,
       rc.mean_required_level_normalized, rc.max_required_level_normalized,
       counts.declared_skills, counts.extracted_skills
FROM roles_current c
LEFT JOIN rc USING (role_id, document_id)
LEFT JOIN sal USING (role_id, document_id)
LEFT JOIN counts USING (role_id, document_id)
ORDER BY c.role_id
""",
        materialized=True,
    ),
    View(
        "competency_crosswalk",
        "The crosswalk as an analyst reads it: every match between two vendors' competencies, with both names.",
        (
            ("left_vendor", "vendor of the left competency (it sorts before the right one's)"), ("left_competency_id", "competencies.competency_id"),
            ("left_name", "the left competency's name"),
            ("relation", "exact, close, related; broad = the right competency is broader, narrow = it is narrower"),
            ("right_vendor", "vendor of the right competency"), ("right_competency_id", "competencies.competency_id"),
            ("right_name", "the right competency's name"), ("score", "match score in [0, 1] (1 for reviewed matches)"),
            ("method", "how the match was made, or 'reviewed'"),
        ),
        """
SELECT l.vendor AS left_vendor, m.left_competency_id, l.name AS left_name, m.relation,
       r.vendor AS right_vendor, m.right_competency_id, r.name AS right_name, m.score, m.method
FROM competency_matches m
JOIN competencies l ON l.competency_id = m.left_competency_id
JOIN competencies r ON r.competency_id = m.right_competency_id
ORDER BY left_vendor, right_vendor, m.score DESC, m.left_competency_id, m.right_competency_id
""",
    ),
    View(
        "competency_links",
        "Both directions of every crosswalk match, plus each competency linked to itself: the join table for cross-vendor questions.",
        (
            ("competency_id", "a competency"), ("linked_competency_id", "the same competency, or a match of another vendor"),
            ("relation", "self, or the match relation seen from competency_id (broad: the linked one is broader)"),
            ("score", "match score (1 for self)"), ("method", "how the match was made"),
        ),
        """
SELECT competency_id, competency_id AS linked_competency_id, 'self' AS relation, 1.0::DOUBLE AS score, 'self' AS method FROM competencies
UNION ALL
SELECT left_competency_id, right_competency_id, relation, score, method FROM competency_matches
UNION ALL
SELECT right_competency_id, left_competency_id,
       CASE relation WHEN 'broad' THEN 'narrow' WHEN 'narrow' THEN 'broad' ELSE relation END, score, method
FROM competency_matches
""",
    ),
    View(
        "competency_requirements",
        "Per competency, the roles (current versions) that list it or a matching competency of another vendor, and at which level.",
        (
            ("competency_id", "the competency asked about"), ("vendor", "its vendor"), ("name", "its name"),
            ("linked_competency_id", "the competency the role lists (itself, or a crosswalk match)"), ("linked_vendor", "that competency's vendor"),
            ("linked_name", "that competency's name"), ("relation", "self or the crosswalk relation"), ("score", "match score"),
            ("role_id", "a role listing it"), ("role_title", "the role's title"), ("visibility", "how the page lists it"),
            ("required_level", "required level on the vendor's scale"), ("required_level_normalized", "required level, 0-100"),
        ),
        """
SELECT l.competency_id, c.vendor, c.name, l.linked_competency_id, lc.vendor AS linked_vendor, lc.name AS linked_name,
       l.relation, l.score, rc.role_id, r.title AS role_title, rc.visibility, rc.required_level, rc.required_level_normalized
FROM competency_links l
JOIN competencies c ON c.competency_id = l.competency_id
JOIN competencies lc ON lc.competency_id = l.linked_competency_id
JOIN role_competencies rc ON rc.competency_id = l.linked_competency_id
JOIN roles_current r ON r.role_id = rc.role_id AND r.document_id = rc.document_id
ORDER BY l.competency_id, l.relation <> 'self', l.score DESC, rc.role_id
""",
    ),
    View(
        "vendor_match_coverage",
        "Per pair of vendors, the share of one vendor's competencies that have a crosswalk match in the other's.",
        (
            ("vendor", "the vendor whose competencies are counted"), ("other_vendor", "the vendor matched against"),
            ("competencies", "competencies of vendor"), ("matched", "of those, with at least one match in other_vendor"),
            ("share_matched", "matched / competencies"),
        ),
        """
WITH matched AS (
    SELECT DISTINCT l.competency_id, o.vendor AS other_vendor
    FROM competency_links l JOIN competencies o ON o.competency_id = l.linked_competency_id
    WHERE l.relation <> 'self'
)
SELECT c.vendor, o.vendor AS other_vendor, count(*) AS competencies, count(m.competency_id) AS matched,
       round(count(m.competency_id) / count(*), 4) AS share_matched
FROM competencies c
JOIN (SELECT DISTINCT vendor FROM competencies) o ON o.vendor <> c.vendor
LEFT JOIN matched m ON m.competency_id = c.competency_id AND m.other_vendor = o.vendor
GROUP BY ALL
ORDER BY ALL
""",
    ),
    View(
        "coverage",
        "Per role (current version: the most complete copy, then the newest): how much of what the page declares the catalog holds, so that a few visible competencies are not mistaken for the whole profile.",
        (
            ("role_id", "roles.role_id"), ("vendor", "vendor"), ("title", "job title"), ("completeness", "complete or partial"),
            ("declared_skills", "skills the page declares (NULL when it does not say)"), ("extracted_skills", "skills extracted with a name"),
            ("listed", "entries listed on the page, placeholders included"), ("coverage_share", "extracted / declared"),
        ),
        """
SELECT role_id, vendor, title, completeness, declared_skills, extracted_skills,
       shown + named_in_summary + locked + chart_only AS listed,
       round(extracted_skills / nullif(declared_skills, 0), 4) AS coverage_share
FROM role_summary
ORDER BY vendor, role_id
""",
    ),
    View(
        "vendor_coverage",
        "Per vendor: documents by status, roles, competencies, and extracted / declared skills over its roles.",
        (
            ("vendor", "vendor"), ("documents", "documents recognized as this vendor's"), ("ok", "documents ok"), ("partial", "documents partial"),
            ("failed", "documents failed"), ("roles", "roles (current versions)"), ("competencies", "distinct competencies"),
            ("declared_skills", "skills its role pages declare"), ("extracted_skills", "skills extracted with a name"),
            ("coverage_share", "extracted / declared"),
        ),
        """
WITH docs AS (
    SELECT vendor, count(*) AS documents, count(*) FILTER (WHERE status = 'ok') AS ok,
           count(*) FILTER (WHERE status = 'partial') AS partial, count(*) FILTER (WHERE status = 'failed') AS failed
    FROM documents WHERE vendor IS NOT NULL GROUP BY ALL
), cov AS (
    SELECT vendor, count(*) AS roles, sum(declared_skills)::INTEGER AS declared_skills, sum(extracted_skills)::INTEGER AS extracted_skills
    FROM coverage GROUP BY ALL
), comp AS (SELECT vendor, count(*) AS competencies FROM competencies GROUP BY ALL)
SELECT d.vendor, d.documents, d.ok, d.partial, d.failed, coalesce(cov.roles, 0) AS roles, coalesce(comp.competencies, 0) AS competencies,
       cov.declared_skills, cov.extracted_skills, round(cov.extracted_skills / nullif(cov.declared_skills, 0), 4) AS coverage_share
FROM docs d LEFT JOIN cov USING (vendor) LEFT JOIN comp USING (vendor)
ORDER BY d.vendor
""",
    ),
    View(
        "esco_pivot",
        "Per ESCO concept, every vendor's competency anchored to it, with the roles (current versions) that require that competency: "
        "how many, at which level on average (0-100) and what their median base salary is. Start here to compare one skill across vendors.",
        (
            ("esco_uri", "the ESCO concept"), ("esco_label", "its preferred label"), ("transversal", "whether ESCO files it as transversal"),
            ("vendor", "the competency's vendor"), ("competency_id", "competencies.competency_id"), ("competency_name", "the competency's name"),
            ("relation", "from the competency to the concept: exact, close, broad, narrow, related"), ("rank", "1 for the competency's best anchor"),
            ("score", "anchor score"), ("reviewed", "a reviewed anchor"),
            ("roles", "roles (current versions) listing the competency"), ("roles_with_level", "of those, with a required level"),
            ("mean_required_level_normalized", "their mean required level, 0-100"),
            ("min_required_level", "lowest required level on the vendor's scale"), ("max_required_level", "highest required level on the vendor's scale"),
            ("median_base_salary_p50", "median of those roles' base salary (50th percentile, per year)"),
        ),
        """
WITH req AS (
    SELECT rc.competency_id, count(DISTINCT rc.role_id) AS roles, count(rc.required_level) AS roles_with_level,
           avg(rc.required_level_normalized) AS mean_required_level_normalized,
           min(rc.required_level) AS min_required_level, max(rc.required_level) AS max_required_level,
           median(rs.base_salary_p50) AS median_base_salary_p50
    FROM role_competencies rc
    JOIN roles_current r ON r.role_id = rc.role_id AND r.document_id = rc.document_id
    LEFT JOIN role_summary rs ON rs.role_id = rc.role_id AND rs.document_id = rc.document_id
    WHERE rc.competency_id IS NOT NULL
    GROUP BY rc.competency_id
)
SELECT a.esco_uri, e.preferred_label AS esco_label, e.transversal, c.vendor, a.competency_id, c.name AS competency_name,
       a.relation, a.rank, a.score, a.reviewed,
       coalesce(req.roles, 0) AS roles, coalesce(req.roles_with_level, 0) AS roles_with_level, req.mean_required_level_normalized,
       req.min_required_level, req.max_required_level, req.median_base_salary_p50
FROM competency_esco a
JOIN esco_concepts e USING (esco_uri)
JOIN competencies c USING (competency_id)
LEFT JOIN req USING (competency_id)
ORDER BY e.preferred_label, a.esco_uri, c.vendor, a.rank, a.competency_id
""",
    ),
)
