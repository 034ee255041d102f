"""What the catalog site shows, read with SQL: one query per kind of page, each returning one
row per page with its lists (competencies, levels, matches, anchors) already nested by DuckDB.

Every link between pages is computed here, by the `page_of` macro, so that a page's file name
and every link to it agree. Ids are `vendor:slug` with slugs of [a-z0-9-] (pipeline/ids.py):
a page is `<folder>/<vendor>/<slug>.html`, and ESCO concepts are named by their URI's UUID.
"""

from __future__ import annotations

# The first statements define the macros the queries use (temporary: the catalog stays read-only).
MACROS = (
    # A slug too long for a file name, or empty, is named by a hash of the id instead.
    """CREATE OR REPLACE TEMP MACRO page_of(folder, id) AS
       folder || '/' || split_part(id, ':', 1) || '/'
       || CASE WHEN regexp_full_match(split_part(id, ':', 2), '[a-z0-9-]{1,120}') THEN split_part(id, ':', 2) ELSE 'id-' || md5(id)[:16] END
       || '.html'""",
    """CREATE OR REPLACE TEMP MACRO esco_page(uri) AS
       'esco/' || CASE WHEN regexp_full_match(regexp_extract(uri, '[^/]+$'), '[A-Za-z0-9-]{1,120}') THEN regexp_extract(uri, '[^/]+$') ELSE 'id-' || md5(uri)[:16] END
       || '.html'""",
    # A competency its page shows without a name is shown by its id (as the CASE export titles
    # it): no name is made up for it.
    "CREATE OR REPLACE TEMP MACRO shown_name(name, id) AS coalesce(name, id)",
    # A level's position on the O*NET-style 0-100 scale of its vendor (pipeline/schema.py).
    """CREATE OR REPLACE TEMP TABLE site_scales AS
       SELECT vendor, min(level) AS lo, max(level) AS hi FROM scale_levels GROUP BY vendor""",
)

CATEGORY_ORDER = "CASE {0} WHEN 'general' THEN 1 WHEN 'soft' THEN 2 WHEN 'hard' THEN 3 ELSE 4 END"

ROLES = f"""
WITH cur AS (SELECT role_id, document_id, vendor FROM roles_current),
comps AS (
    SELECT rc.role_id, rc.document_id,
           list({{category: rc.category, family: comp.family, rank: rc.rank, name: shown_name(rc.competency_name, rc.competency_id),
                  href: CASE WHEN rc.competency_id IS NOT NULL THEN page_of('competencies', rc.competency_id) END,
                  required_level: rc.required_level, level_label: sl.label, normalized: rc.required_level_normalized,
                  displayed_level: rc.displayed_level, visibility: rc.visibility, phrase: rc.proficiency_phrase}}
                ORDER BY {CATEGORY_ORDER.format('rc.category')}, rc.rank) AS competencies
    FROM role_competencies rc JOIN cur USING (role_id, document_id)
    LEFT JOIN competencies comp ON comp.competency_id = rc.competency_id
    LEFT JOIN scale_levels sl ON sl.vendor = cur.vendor AND sl.level = rc.required_level
    GROUP BY ALL
), sal AS (
    SELECT role_id, document_id, list({{kind: kind, percentile: percentile, amount: amount, currency: currency}} ORDER BY kind, percentile) AS salaries
    FROM salaries JOIN cur USING (role_id, document_id) GROUP BY ALL
), both_ways AS (
    SELECT left_role_id AS role_id, right_role_id AS other, relation, score FROM role_matches
    UNION ALL SELECT right_role_id, left_role_id, relation, score FROM role_matches
), matched AS (
    SELECT b.role_id, list({{title: o.title, vendor: o.vendor, href: page_of('roles', o.role_id), relation: b.relation, score: b.score}}
                           ORDER BY b.score DESC, o.title) AS matched_roles
    FROM both_ways b JOIN roles_current o ON o.role_id = b.other GROUP BY ALL
), positions AS (
    SELECT role_id, document_id, list(title ORDER BY seq) AS example_positions
    FROM related_titles WHERE role_id IS NOT NULL GROUP BY ALL
), role_beh AS (
    SELECT role_id, document_id, list(text ORDER BY seq) AS role_behaviors FROM role_behaviors GROUP BY ALL
), counts AS (
    SELECT role_id, document_id, list({{category: category, declared: declared, extracted: extracted}} ORDER BY {CATEGORY_ORDER.format('category')}) AS skill_counts
    FROM role_skill_counts GROUP BY ALL
), warn AS (
    SELECT document_id, list({{code: code, message: message}} ORDER BY seq) AS warnings FROM parse_warnings GROUP BY ALL
), level_pay AS (
    SELECT vendor, job_level, count(*) AS peers, quantile_cont(base_salary_p50, [0.1, 0.25, 0.5, 0.75, 0.9]) AS q
    FROM role_summary WHERE base_salary_p50 IS NOT NULL AND job_level IS NOT NULL GROUP BY ALL
)
SELECT page_of('roles', r.role_id) AS href, r.role_id, r.vendor, r.title, r.job_code, r.job_level, r.summary, r.responsibilities,
       r.education, r.reports_to, r.declared_skills_total, rs.completeness, rs.base_salary_p50, rs.total_salary_p50, rs.currency,
       rs.mean_required_level_normalized, rs.declared_skills, rs.extracted_skills, c.versions,
       d.path, d.status, d.error, strftime(d.file_modified_at, '%Y-%m-%d') AS saved_on,
       coalesce(comps.competencies, []) AS competencies, coalesce(sal.salaries, []) AS salaries,
       coalesce(matched.matched_roles, []) AS matched_roles, coalesce(positions.example_positions, []) AS example_positions,
       coalesce(role_beh.role_behaviors, []) AS role_behaviors, coalesce(counts.skill_counts, []) AS skill_counts,
       coalesce(warn.warnings, []) AS warnings, level_pay.peers AS level_peers, level_pay.q AS level_pay
FROM roles_current c
JOIN roles r USING (role_id, document_id)
JOIN role_summary rs USING (role_id, document_id)
JOIN documents d USING (document_id)
LEFT JOIN comps USING (role_id, document_id)
LEFT JOIN sal USING (role_id, document_id)
LEFT JOIN matched USING (role_id)
LEFT JOIN positions USING (role_id, document_id)
LEFT JOIN role_beh USING (role_id, document_id)
LEFT JOIN counts USING (role_id, document_id)
LEFT JOIN warn USING (document_id)
LEFT JOIN level_pay ON level_pay.vendor = r.vendor AND level_pay.job_level = r.job_level
ORDER BY r.role_id
"""

# Roles listed on a competency page: the highest required levels first, up to this many (the
# chart above the list counts them all).
ROLES_LISTED = 40

COMPETENCIES = f"""
WITH beh AS (
    SELECT competency_id, level, list(text ORDER BY seq, text) AS behaviors FROM behaviors GROUP BY ALL
), lv AS (
    SELECT coalesce(l.competency_id, b.competency_id) AS competency_id, coalesce(l.level, b.level) AS level, l.label,
           l.behaviors_hidden AS hidden, coalesce(b.behaviors, []) AS behaviors
    FROM competency_levels l FULL JOIN beh b ON b.competency_id = l.competency_id AND b.level IS NOT DISTINCT FROM l.level
), levels AS (
    SELECT lv.competency_id,
           list({{level: lv.level, label: lv.label, hidden: lv.hidden, behaviors: lv.behaviors,
                  normalized: round(100.0 * (lv.level - s.lo) / nullif(s.hi - s.lo, 0))}} ORDER BY lv.level NULLS LAST) AS levels
    FROM lv JOIN competencies c USING (competency_id) LEFT JOIN site_scales s ON s.vendor = c.vendor
    GROUP BY ALL
), matches AS (
    SELECT l.competency_id,
           list({{name: shown_name(o.name, o.competency_id), vendor: o.vendor, href: page_of('competencies', o.competency_id), relation: l.relation, score: l.score,
                  method: l.method, definition: o.definition, levels: coalesce(ol.levels, [])}}
                ORDER BY l.relation NOT IN ('exact', 'close', 'broad', 'narrow'), l.score DESC, o.name) AS matches
    FROM competency_links l JOIN competencies o ON o.competency_id = l.linked_competency_id
    LEFT JOIN levels ol ON ol.competency_id = l.linked_competency_id
    WHERE l.relation <> 'self' GROUP BY ALL
), anchors AS (
    SELECT a.competency_id, list({{label: e.preferred_label, href: esco_page(a.esco_uri), uri: a.esco_uri, rank: a.rank, relation: a.relation,
                                    score: a.score, reviewed: a.reviewed, transversal: e.transversal}} ORDER BY a.rank) AS anchors
    FROM competency_esco a JOIN esco_concepts e USING (esco_uri) GROUP BY ALL
), req AS (
    SELECT rc.competency_id, r.title, r.role_id, r.job_level, rc.required_level, rc.visibility, rs.base_salary_p50,
           row_number() OVER (PARTITION BY rc.competency_id ORDER BY rc.required_level DESC NULLS LAST, r.title) AS n
    FROM role_competencies rc JOIN roles_current r USING (role_id, document_id)
    LEFT JOIN role_summary rs USING (role_id, document_id)
    WHERE rc.competency_id IS NOT NULL
), req_levels AS (
    SELECT competency_id, list({{level: required_level, roles: roles, median_base: median_base}} ORDER BY required_level NULLS FIRST) AS by_level,
           sum(roles)::INTEGER AS role_count
    FROM (SELECT competency_id, required_level, count(*) AS roles, median(base_salary_p50) AS median_base FROM req GROUP BY ALL)
    GROUP BY ALL
), req_list AS (
    SELECT competency_id, list({{title: title, href: page_of('roles', role_id), job_level: job_level, required_level: required_level,
                                  visibility: visibility, base_salary_p50: base_salary_p50}} ORDER BY n) AS roles
    FROM req WHERE n <= {ROLES_LISTED} GROUP BY ALL
), questions AS (
    SELECT competency_id, list(DISTINCT text) AS questions FROM interview_questions GROUP BY ALL
), shared AS (
    SELECT competency_id, list(DISTINCT title) AS shared_titles FROM related_titles WHERE competency_id IS NOT NULL GROUP BY ALL
)
SELECT page_of('competencies', c.competency_id) AS href, c.competency_id, c.vendor, shown_name(c.name, c.competency_id) AS name, c.definition, c.category, c.family, c.notes,
       coalesce(levels.levels, []) AS levels, coalesce(matches.matches, []) AS matches, coalesce(anchors.anchors, []) AS anchors,
       coalesce(req_levels.by_level, []) AS by_level, coalesce(req_levels.role_count, 0) AS role_count, coalesce(req_list.roles, []) AS roles,
       coalesce(questions.questions, []) AS questions, coalesce(shared.shared_titles, []) AS shared_titles
FROM competencies c
LEFT JOIN levels USING (competency_id)
LEFT JOIN matches USING (competency_id)
LEFT JOIN anchors USING (competency_id)
LEFT JOIN req_levels USING (competency_id)
LEFT JOIN req_list USING (competency_id)
LEFT JOIN questions USING (competency_id)
LEFT JOIN shared USING (competency_id)
ORDER BY c.competency_id
"""

ESCO = """
SELECT esco_page(e.esco_uri) AS href, e.esco_uri, e.preferred_label, e.alt_labels, e.description, e.skill_type, e.transversal, e.broader_label,
       list({name: shown_name(p.competency_name, p.competency_id), vendor: p.vendor, href: page_of('competencies', p.competency_id), relation: p.relation, rank: p.rank,
             score: p.score, reviewed: p.reviewed, roles: p.roles, mean_level: p.mean_required_level_normalized,
             median_base: p.median_base_salary_p50} ORDER BY p.rank, p.score DESC, p.vendor, p.competency_name) AS competencies
FROM esco_concepts e JOIN esco_pivot p USING (esco_uri)
GROUP BY ALL
ORDER BY e.preferred_label, e.esco_uri
"""

OVERVIEW = {
    "load": "SELECT load_id, strftime(started_at, '%Y-%m-%d %H:%M UTC') AS started, documents, ok, partial, failed FROM loads",
    "vendors": "SELECT * FROM vendor_coverage ORDER BY vendor",
    "documents": """
        SELECT coalesce(vendor, '(not recognized)') AS vendor, count(*) FILTER (WHERE status = 'ok') AS ok,
               count(*) FILTER (WHERE status = 'partial') AS partial, count(*) FILTER (WHERE status = 'failed') AS failed
        FROM documents GROUP BY ALL ORDER BY vendor""",
    "match_coverage": "SELECT * FROM vendor_match_coverage ORDER BY vendor, other_vendor",
    "warnings": """
        SELECT code, count(*) AS n, count(DISTINCT document_id) AS documents, any_value(message ORDER BY document_id, seq) AS example
        FROM parse_warnings GROUP BY code ORDER BY n DESC, code LIMIT 10""",
    "failed": "SELECT path, error, count(*) OVER () AS total FROM documents WHERE status = 'failed' ORDER BY path LIMIT 50",
    "pay_by_level": """
        SELECT vendor, job_level, count(*) AS roles, quantile_cont(base_salary_p50, [0.25, 0.5, 0.75]) AS q
        FROM role_summary WHERE base_salary_p50 IS NOT NULL AND job_level IS NOT NULL GROUP BY ALL ORDER BY vendor, job_level""",
    "top_competencies": """
        SELECT shown_name(c.name, c.competency_id) AS name, c.vendor, page_of('competencies', c.competency_id) AS href, count(*) AS roles,
               round(avg(rc.required_level_normalized)) AS mean_level
        FROM role_competencies rc JOIN roles_current r USING (role_id, document_id) JOIN competencies c USING (competency_id)
        GROUP BY ALL ORDER BY roles DESC, name LIMIT 15""",
    "esco_count": "SELECT count(*) AS n FROM esco_concepts WHERE esco_uri IN (SELECT esco_uri FROM competency_esco)",
}

# One entry per page for the search page: kind, name, vendor, link, detail (job level, family or
# ESCO skill type) and the words searched besides the name.
SEARCH_INDEX = """
SELECT 'role' AS kind, title AS name, vendor, page_of('roles', role_id) AS href, coalesce(job_level, '') AS detail, coalesce(job_code, '') AS words
FROM roles_current
UNION ALL
SELECT 'competency', shown_name(name, competency_id), vendor, page_of('competencies', competency_id), coalesce(family, category, ''), ''
FROM competencies
UNION ALL
SELECT 'esco', preferred_label, 'esco', esco_page(esco_uri), coalesce(skill_type, ''), replace(coalesce(alt_labels, ''), chr(10), ' ')
FROM esco_concepts WHERE esco_uri IN (SELECT esco_uri FROM competency_esco)
ORDER BY 1, 2, 4
"""
