"""Every code a document's warning or failure can carry (`parse_warnings.code`), with what it
does to the document and what it means. docs/schema.md lists them; a test checks that the
code emits no other (tests/test_warning_codes.py).

Effects: `failed` (the document is not loaded; `documents.error` says why), `partial` (what
could be read is loaded; the document is `partial`), `note` (loaded; worth a look).
"""

from __future__ import annotations

from typing import NamedTuple


class WarningCode(NamedTuple):
    code: str
    effect: str  # failed | partial | note
    meaning: str


CODES: tuple[WarningCode, ...] = (
    # The file itself
    WarningCode("empty", "failed", "the file is empty"),
    WarningCode("binary", "failed", "the file holds binary data, not text, HTML or PDF"),
    WarningCode("not_a_pdf", "failed", "named .pdf but not a PDF"),
    WarningCode("encrypted", "failed", "an encrypted PDF"),
    WarningCode("no_text_layer", "failed", "a PDF without text (a scan: OCR it first)"),
    WarningCode("unreadable_pdf", "failed", "the PDF could not be opened"),
    WarningCode("unreadable_html", "failed", "the HTML could not be parsed"),
    WarningCode("unreadable_archive", "failed", "an MHTML or web archive without a readable HTML page"),
    WarningCode("bad_encoding", "failed", "a byte order mark the bytes do not follow"),
    WarningCode("unreadable_file", "failed", "the file could not be read (permissions, I/O)"),
    WarningCode("outside_input", "failed", "a symlink out of the folders given to ingest: not followed"),
    WarningCode("broken_symlink", "failed", "a symlink to nothing"),
    WarningCode("symlink_loop", "failed", "a symlink that leads back to itself"),
    WarningCode("not_a_regular_file", "failed", "a named pipe, socket or device found among the files: never read (it could block or never end)"),
    WarningCode("unreadable_folder", "failed", "a folder that could not be listed: its files were not ingested"),
    WarningCode("timeout", "failed", "parsing the file ran past the time limit (--file-timeout): stopped, not loaded"),
    WarningCode("worker_crashed", "failed", "the process parsing the file died on it twice (a crash in a library, or out of memory): not loaded"),
    WarningCode("too_large", "failed", "a file larger than the size cap (--max-file-mb): not read"),
    WarningCode("unreadable", "failed", "the reader failed on this file (a bug to report)"),
    WarningCode("no_page_text", "failed", "a saved page without text of its own: saved before its scripts drew it, or cut before its content"),
    WarningCode("not_a_profile", "failed", "a login, error or redirect page, or a vendor page with no role or competency"),
    WarningCode("unknown_vendor", "failed", "no vendor's page structure found"),
    WarningCode("parser_error", "failed", "the vendor parser failed on this document (a bug to report)"),
    WarningCode("invalid_rows", "failed", "the parser produced rows that break the schema (a bug to report)"),
    WarningCode("strict", "failed", "--strict: the document had warnings"),
    # What could not be read
    WarningCode("truncated", "partial", "the page stops part-way (saved before it finished loading); the message says what is missing. A PDF cut so that it cannot be opened fails with it"),
    WarningCode("truncated_text", "partial", "the last line is cut mid-text and was not loaded"),
    WarningCode("missing_section", "partial", "a whole page lacks a section or a name, or a section none of whose entries could be read"),
    WarningCode("unreadable_page", "partial", "a PDF page could not be read; the others were"),
    WarningCode("chart_unreadable", "partial", "the Caliper JOB MODEL chart could not be read: no families"),
    WarningCode("hard_wrapped_text", "partial", "a hard-wrapped text extract: a paragraph broken across lines reads as several, so rows may hold pieces of one behavior or definition"),
    # Loaded, worth a look
    WarningCode("invalid_value", "note", "a field's label whose value is missing or not in the field's form (a job code, job level, education, salary, person or role): left NULL, the next line never taken as its value"),
    WarningCode("missing_field", "note", "a field the page usually gives is not there (left NULL)"),
    WarningCode("salary_not_yearly", "note", "a salary given per hour, week or month (or too small to be yearly): not loaded, the catalog's salaries are per year"),
    WarningCode("unrecognized_text", "note", "text the parser does not know where to put; not loaded"),
    WarningCode("unknown_section", "note", "a heading the format does not have (the message names it): its content is not loaded, or (a Salary.com skill section) its entries are loaded apart with category NULL; never filed under the section before it"),
    WarningCode("unknown_label", "note", "a Salary.com entry with a label not known; its name read after it"),
    WarningCode("unreadable_entry", "note", "a Salary.com entry at the section's next rank in no known form: kept as locked, its name not read"),
    WarningCode("extra_text", "note", "paragraphs between a Kenexa definition and its statements, kept as notes"),
    WarningCode("category_mismatch", "note", "a Salary.com entry labelled for another section than the one it is in"),
    WarningCode("count_mismatch", "note", "a Salary.com section and the page's summary declare different counts"),
    WarningCode("summary_mismatch", "note", "the Salary.com summary names other skills than the list: locked names not recovered"),
    WarningCode("title_mismatch", "note", "a Salary.com section names another title than the page"),
    WarningCode("scale_label_mismatch", "note", "a level labelled otherwise than the vendor's scale"),
    WarningCode("out_of_scale", "note", "a level or required level outside the vendor's scale: not loaded"),
    WarningCode("repeated_level", "note", "a Kenexa level appears a second time; its statements added to the first"),
    WarningCode("not_in_chart", "note", "a Caliper competency listed but not found in the chart (family unknown)"),
    WarningCode("name_from_title", "note", "the competency name taken from the HTML page title"),
    WarningCode("repeated_competency", "note", "a competency a role lists a second time in one document: loaded once (its first listing)"),
    WarningCode("conflicting_value", "note", "two documents give a competency different definitions; the first by path is kept"),
    WarningCode("encoding_detected", "note", "not UTF-8; decoded with the encoding named"),
    WarningCode("invalid_utf8", "note", "a UTF-8 page with a few bytes that are not UTF-8: read as UTF-8, those bytes replaced with U+FFFD (the message counts them)"),
    WarningCode("encoding_replaced", "note", "bytes that did not decode were replaced with U+FFFD"),
    WarningCode("several_job_profiles", "note", "the file holds several Salary.com profiles, each loaded"),
    WarningCode("several_job_models", "note", "the file holds several Caliper job models, each loaded"),
    WarningCode("several_competencies", "note", "the file holds several Kenexa or NIH competencies, each loaded"),
    WarningCode("repeated_content", "note", "the file gives a document again under the same name (its content repeated): loaded once"),
)

EFFECTS = ("failed", "partial", "note")
PARTIAL_CODES = frozenset(c.code for c in CODES if c.effect == "partial")
