"""Readers: the document model they produce from HTML, PDF and text."""

from __future__ import annotations

import pytest
from conftest import RAW, rows_without_ids
from fpdf import FPDF
from markup_variants import blink_mhtml, safari_webarchive

from pipeline.parse import parse_file
from pipeline.readers import read_document


def test_html_blocks_kinds_and_chrome():
    html = b"""<html><head><title>T</title><script>var x = "<p>not text</p>";</script></head><body>
    <nav><a href="/">Home</a></nav><div role="navigation">Menu</div>
    <main><h2>Heading <span>two</span></h2><p>First  line<br>second line</p>
    <ul><li><p>nested item</p></li><li>plain item</li></ul><table><tr><td>cell</td></tr></table>
    <div>outer <div>inner</div> tail</div></main><footer>Footer</footer></body></html>"""
    doc = read_document(html, "x.html")
    assert doc.html_title == "T"
    assert [(b.kind, b.text, b.level) for b in doc.blocks] == [
        ("heading", "Heading two", 2), ("paragraph", "First line", None), ("paragraph", "second line", None),
        ("list_item", "nested item", None), ("list_item", "plain item", None), ("cell", "cell", None),
        ("paragraph", "outer", None), ("paragraph", "inner", None), ("paragraph", "tail", None)]


def test_html_block_kinds_when_blocks_nest_or_close_empty():
    # SYNTHETIC page. A kind is the text's own element's, or waits for a block inside it
    # (<li><p>); an element closed before the text drops a waiting kind (an empty <li>, a
    # heading with no text); the last kind counts (<li><h3>).
    html = ("<html><body><ul><li><div><p>in a paragraph in an item</p></div></li><li><h3>heading in an item</h3></li>"
            "<li>item</li><li></li></ul>after the list<h2><span></span></h2><p>after an empty heading</p>"
            "<h4><div>\u2022 bullet in a heading's block</div></h4><li><b></b>bold-less item</li>tail</body></html>")
    doc = read_document(html.encode(), "x.html")
    assert [(b.kind, b.text, b.level) for b in doc.blocks] == [
        ("list_item", "in a paragraph in an item", None), ("heading", "heading in an item", 3), ("list_item", "item", None),
        ("paragraph", "after the list", None), ("paragraph", "after an empty heading", None),
        ("list_item", "bullet in a heading's block", None), ("list_item", "bold-less item", None), ("paragraph", "tail", None)]


def test_text_bullets_become_list_items():
    doc = read_document("Title\n\n  \u2022 one\n- two\n-three\n".encode(), "x.txt")
    assert [(b.kind, b.text) for b in doc.blocks] == [("line", "Title"), ("list_item", "one"), ("list_item", "two"), ("line", "-three")]
    # A bullet with nothing after it is no text; as the last line it stays, where the page stopped.
    doc = read_document("Title\n  \u2022\n  \u2022 one\n  \u2022 two\n  \u2022\n".encode(), "x.txt")
    assert [(b.kind, b.text) for b in doc.blocks] == [("line", "Title"), ("list_item", "one"), ("list_item", "two"), ("line", "\u2022")]


def _pdf(paragraphs, align):
    pdf = FPDF(unit="pt", format="letter")
    pdf.add_page()
    pdf.set_font("helvetica", size=10)
    for p in paragraphs:
        pdf.set_x(72)
        pdf.multi_cell(300, 13, p, align=align)
        pdf.ln(8)
    return bytes(pdf.output())


def test_pdf_joins_wrapped_lines_justified_and_ragged():
    paragraphs = ["Representative administrative responsibilities encompass extraordinarily comprehensive documentation "
                  "requirements, interdepartmental communication, and organizational accountability measures.",
                  "Short second paragraph."]
    for align in ("J", "L"):
        doc = read_document(_pdf(paragraphs, align), "x.pdf")
        assert [b.text for b in doc.blocks] == paragraphs, align
        assert doc.blocks[0].page == 1 and 72 <= doc.blocks[0].bbox[0] < 76  # x of the text, inside the cell margin


def test_pdf_joins_a_ragged_line_broken_before_a_long_word():
    paragraphs = ["Short words come first and then Interdepartmentalizationsprocesses follow it.", "Next paragraph."]
    doc = read_document(_pdf(paragraphs, "L"), "x.pdf")
    assert [b.text for b in doc.blocks] == paragraphs


def _pages(page_lines: list[list[str]]) -> bytes:
    """SYNTHETIC: each page's lines as paragraphs of their own, at the body's size."""
    pdf = FPDF(unit="pt", format="letter")
    pdf.set_auto_page_break(False)
    pdf.set_font("helvetica", size=10)
    for lines in page_lines:
        pdf.add_page()
        for n, line in enumerate(lines):
            pdf.text(72, 100 + 26 * n, line)  # a paragraph gap between lines
    return bytes(pdf.output())


def test_pdf_paragraph_broken_by_a_page_end_is_one_paragraph():
    # A browser's print breaks a long paragraph where the page ends: an interview question
    # was loaded as two questions.
    doc = read_document(_pages([["Intro paragraph.", "Did your organization have defined customer service levels? How were these"],
                                ["established, and what was the impact on customer satisfaction?", "Tell me how issues were tracked."]]), "x.pdf")
    assert [b.text for b in doc.blocks] == [
        "Intro paragraph.", "Did your organization have defined customer service levels? How were these "
        "established, and what was the impact on customer satisfaction?", "Tell me how issues were tracked."]
    assert doc.blocks[1].page == 1


def test_pdf_paragraphs_on_two_pages_stay_apart_when_the_first_is_whole_or_the_second_starts_anew():
    for first, second in (("A whole sentence ends here.", "another begins on the next page."),
                          ("Example positions", "Customer Service Representative, Teller")):
        doc = read_document(_pages([["Intro paragraph.", first], [second]]), "x.pdf")
        assert [b.text for b in doc.blocks] == ["Intro paragraph.", first, second]


def test_html_private_use_characters_in_the_page_do_not_break_blocks():
    # The reader marks blocks with U+E000-U+E002; a page that uses them itself (SYNTHETIC) is read as text.
    page = "<html><body><h2>Head\ue002ing</h2><p>a\ue000b\ue001c</p></body></html>"
    for encoding in ("utf-8", "utf-16"):
        doc = read_document(page.encode(encoding), "x.html")
        assert [(b.kind, b.text) for b in doc.blocks] == [("heading", "Head ing"), ("paragraph", "a b c")], encoding


def test_html_private_use_character_decoded_from_a_legacy_encoding_does_not_break_blocks():
    # GB18030 maps bytes AA A1 to U+E000: no UTF-8 byte EE in the file, a marker in its text
    # (0x81 rules out windows-1252, so the declared charset is used). SYNTHETIC page.
    page = '<html><head><meta charset="gb18030"></head><body><p>a\ue000b \u4e02</p><p>c</p></body></html>'.encode("gb18030")
    doc = read_document(page, "x.html")
    assert [(b.kind, b.text) for b in doc.blocks] == [("paragraph", "a b \u4e02"), ("paragraph", "c")]
    assert doc.warnings == [("encoding_detected", "text is not UTF-8; decoded as gb18030")]


def test_html_declared_charset_is_used_before_windows_1252():
    # SYNTHETIC pages. GB18030 bytes that happen to be valid windows-1252 are read as the page
    # declares; a page labelled ISO-8859-1 is read as windows-1252, as browsers do (curly quotes).
    chinese = '<html><head><meta charset="gb18030"></head><body><p>\u4e2d\u6587 Competency</p></body></html>'.encode("gb18030")
    doc = read_document(chinese, "x.html")
    assert [b.text for b in doc.blocks] == ["\u4e2d\u6587 Competency"]
    assert doc.warnings == [("encoding_detected", "text is not UTF-8; decoded as gb18030")]
    quotes = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1"></head><body><p>\u201cQuoted\u201d caf\u00e9</p></body></html>'
    doc = read_document(quotes.encode("cp1252"), "x.html")
    assert [b.text for b in doc.blocks] == ["\u201cQuoted\u201d caf\u00e9"]
    assert doc.warnings == [("encoding_detected", "text is not UTF-8; decoded as windows-1252")]


def test_html_in_utf8_that_declares_another_charset_is_read_as_utf8():
    # SYNTHETIC pages: valid UTF-8 bytes under a label that says otherwise (a page re-saved by an
    # editor) are read as UTF-8, whether the parser gets the bytes or the decoded text (a tag
    # cut at the end sends the page through the decoded text).
    for label in ('<meta charset="iso-8859-1">', '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'):
        page = f"<html><head>{label}</head><body><p>caf\u00e9 \u2013 na\u00efve</p></body></html>".encode()
        for data in (page, page + b"<p"):
            doc = read_document(data, "x.html")
            assert [b.text for b in doc.blocks] == ["caf\u00e9 \u2013 na\u00efve"], (label, data[-4:])
            assert doc.warnings == []


def test_text_page_furniture_is_chrome():
    doc = read_document(b"Skip to main content\nunit logo\nAccountability\nMenu items are listed below.\n", "x.txt")
    assert [(b.text, b.chrome) for b in doc.blocks] == [("Skip to main content", True), ("unit logo", True),
                                                       ("Accountability", False), ("Menu items are listed below.", False)]
    assert doc.lines == ["Accountability", "Menu items are listed below."]


def test_html_script_tag_inside_text_keeps_its_body():
    # Found by the property test (a mutated <title/title>): in a title, "<script>...</script>" is
    # text, so the script bodies cut before parsing must not change it (SYNTHETIC page).
    html = b"<html><head><title>Role <script>var x = 1;</script></title></head><body><script>var y = 2;</script><p>Body</p></body></html>"
    doc = read_document(html, "x.html")
    assert doc.html_title == "Role <script>var x = 1;</script>"
    assert doc.lines == ["Body"]


def test_html_file_complete_says_whether_the_saved_page_reaches_its_end():
    def complete(html: str):
        return read_document(html.encode("utf-8"), "page.html").file_complete

    assert complete("<html><body><p>Whole.</p></body></html>") is True
    assert complete("<HTML><BODY><p>Whole.</p></BODY>\n<script>var x = 1;</script>") is True
    assert complete("<html><body><p>Saved part-way, before the") is False
    # A closing tag written inside a script is not the page's end.
    assert complete('<html><body><p>Cut</p><script>document.write("</body></html>")</script><p>then') is False
    assert complete("<p>A fragment: no html or body tag to tell.</p>") is None
    assert read_document(b"Whole text extract.", "page.txt").file_complete is None


def test_html_cut_inside_a_tag_does_not_read_the_tag_as_text():
    for cut in ("<", "</u", '<li class="x'):
        doc = read_document(f"<html><body><ul><li>First item</li>{cut}".encode(), "page.html")
        assert doc.lines == ["First item"], cut
    doc = read_document(b"<html><body><p>1 < 2", "page.html")
    assert doc.lines == ["1 < 2"]  # a '<' that starts no tag is text


def test_html_bullet_characters_in_the_text_make_list_items():
    html = "<html><body><p>\u2022 First</p><p>\u2022</p><div>Text<br>\u2022 a<br>&#8226;&nbsp;b</div><ul><li>\u2022 c</li></ul><h3>\u2022 Head</h3><p>* Footnote</p></body></html>"
    doc = read_document(html.encode("utf-8"), "page.html")
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("list_item", "First"), ("paragraph", "Text"), ("list_item", "a"), ("list_item", "b"), ("list_item", "c"), ("heading", "Head"),
        ("paragraph", "* Footnote")]


def test_mhtml_page_is_read_as_the_html_it_archives():
    html = (RAW / "salary_com" / "customer_service_manager.html").read_bytes()
    as_html, as_mhtml = parse_file("page.html", html), parse_file("page.mhtml", blink_mhtml(html))
    assert (as_mhtml.format, as_mhtml.vendor, as_mhtml.status, as_mhtml.warnings) == ("mhtml", "salary_com", "ok", [])


    assert rows_without_ids(as_mhtml) == rows_without_ids(as_html)
    assert as_mhtml.rows["role_competencies"][0]["competency_name"] == "Call Center Management"  # "–" came as =E2=80=93
    # Cut short: the archive's HTML stops before its closing tags, so the page is partial.
    mhtml = blink_mhtml(html)
    cut = parse_file("cut.mhtml", mhtml[: mhtml.index(b"Forecasts call")])
    assert (cut.format, cut.status) == ("mhtml", "partial")
    assert cut.warnings == [("truncated", "page stops part-way (saved before it finished loading); missing: Summary of skills and competencies")]


def test_mhtml_part_charset_is_used():
    doc = read_document(blink_mhtml("<html><body><p>Caf\u00e9 \u2013 r\u00e9sum\u00e9</p></body></html>".encode("cp1252"), "windows-1252"), "page.mhtml")
    assert doc.lines == ["Caf\u00e9 \u2013 r\u00e9sum\u00e9"] and doc.warnings == []


def test_mhtml_without_an_html_part_is_an_error():
    import pytest

    from pipeline.errors import DocumentError

    data = blink_mhtml(b"<html><body><p>x</p></body></html>").replace(b"Content-Type: text/html\r\n", b"Content-Type: text/css\r\n")
    with pytest.raises(DocumentError) as err:
        read_document(data, "page.mhtml")
    assert (err.value.code, err.value.message) == ("unreadable_archive", "the MHTML file holds no HTML page (no text/html part)")


def test_safari_web_archive_is_read_as_the_html_it_archives():
    html = (RAW / "kenexa" / "customer_service_management.html").read_bytes()
    as_html, archived = parse_file("page.html", html), parse_file("page.webarchive", safari_webarchive(html))
    assert (archived.format, archived.vendor, archived.status, archived.warnings) == ("webarchive", "kenexa", "ok", [])


    assert rows_without_ids(archived) == rows_without_ids(as_html)
    doc = read_document(safari_webarchive("<html><body><p>Caf\u00e9 \u2013 x</p></body></html>".encode("cp1252"), "windows-1252"), "p.webarchive")
    assert doc.lines == ["Caf\u00e9 \u2013 x"]
    # A web archive cut short cannot be read (its index is at the end): a clear failure.
    cut = parse_file("cut.webarchive", safari_webarchive(html)[:3000])
    assert cut.status == "failed" and cut.warnings[0][0] == "unreadable_archive"
    assert cut.error.startswith("the web archive could not be read: ")


def test_invisible_format_characters_are_not_text():
    # A soft hyphen, zero-width space and word joiner inside words, as pages and pasted texts carry them.
    html = "<html><head><title>Cus\u00adtomer Focus</title></head><body><h1>Cus&shy;tomer\u200b Fo\u2060cus</h1><p>Builds\u200d rapport.</p></body></html>"
    doc = read_document(html.encode("utf-8"), "page.html")
    assert (doc.html_title, doc.lines) == ("Customer Focus", ["Customer Focus", "Builds rapport."])
    doc = read_document("Cus\u00adtomer Focus\n\u200bBuilds rapport.\n".encode("utf-8"), "page.txt")
    assert doc.lines == ["Customer Focus", "Builds rapport."]


def test_a_hard_wrapped_text_extract_is_reported():
    # pdftotext or a mail client breaks every long line at one width: a behavior read as two
    # lines, a definition cut short. Joining the lines back was tried and not kept (which line
    # goes on in the next cannot be told safely): the reader says so instead.
    import textwrap

    text = (RAW / "nih" / "federal_budget_process.txt").read_text(encoding="utf-8")
    wrapped = "\n".join("\n".join(textwrap.wrap(line, 60)) if len(line) > 60 else line for line in text.splitlines())
    doc = read_document(wrapped.encode("utf-8"), "extract.txt")
    assert doc.warnings == [("hard_wrapped_text", "the text is hard-wrapped at 60 characters (as pdftotext or a mail client writes it): a paragraph "
                                                  "broken across lines reads as several lines; ingest the PDF or web page it came from if you have it")]
    # Its rows may be pieces of one behavior or definition: the document is not 'ok'.
    res = parse_file("extract.txt", wrapped.encode("utf-8"))
    assert (res.status, res.error) == ("partial", doc.warnings[0][1])
    # Texts that keep each paragraph on one line, with lines of all lengths, are not.
    for path in [*RAW.glob("*/*.txt"), *(RAW.parent / "tests" / "fixtures").glob("**/*.txt")]:
        assert read_document(path.read_bytes(), path.name).warnings == [], path


def test_typeset_ligatures_read_as_their_letters():
    # A typeset PDF, or text extracted from one, writes "fl", "fi" as one character: the
    # competency "Conﬂict management" must be the web page's "Conflict management".
    text = (RAW.parent / "tests" / "fixtures" / "text" / "caliper_client_service_specialist.txt").read_text(encoding="utf-8")
    typeset = text.replace("Conflict", "Con\ufb02ict").replace("fi", "\ufb01").replace("ff", "\ufb00")
    assert "\ufb02" in typeset and "\ufb01" in typeset
    plain, ligatures = parse_file("plain.txt", text.encode("utf-8")), parse_file("typeset.txt", typeset.encode("utf-8"))
    assert rows_without_ids(ligatures) == rows_without_ids(plain)



def test_pdf_words_with_typeset_ligatures_or_soft_hyphens_read_as_the_page_shows_them(monkeypatch):
    # fpdf2 has no font with these glyphs: the words pdfplumber gives are typeset here instead.
    import pdfplumber.page

    pdf = (RAW / "caliper" / "client_service_specialist.pdf").read_bytes()
    plain = read_document(pdf, "plain.pdf")
    extract = pdfplumber.page.Page.extract_words

    def typeset(page, **kwargs):
        words = extract(page, **kwargs)
        for w in words:
            w["text"] = w["text"].replace("fl", "\ufb02").replace("fi", "\ufb01").replace("ion", "io\u00adn")  # and a soft hyphen
        return words

    monkeypatch.setattr(pdfplumber.page.Page, "extract_words", typeset)
    ligatures = read_document(pdf, "typeset.pdf")
    assert any("fl" in w.text for w in plain.words)
    assert [w.text for w in ligatures.words] == [w.text for w in plain.words]
    assert [b.text for b in ligatures.blocks] == [b.text for b in plain.blocks]


def test_page_furniture_in_a_text_extract_is_not_content():
    # A Kenexa page copied whole: its titles list is empty, and the site's footer links and
    # copyright line come after the heading. (Synthetic lines after the seed page's text.)
    text = (RAW.parent / "tests" / "fixtures" / "text" / "kenexa_customer_service_management.txt").read_text(encoding="utf-8")
    footer = "\nBack to top \u2191\nContact Us\nPrivacy Policy\nCopyright \u00a9 2024 University of Florida. All rights reserved.\nPage last updated: January 2, 2024\n"
    r = parse_file("page.txt", (text + footer).encode("utf-8"))
    seed = parse_file("page.txt", text.encode("utf-8"))
    assert rows_without_ids(r) == rows_without_ids(seed) and "related_titles" not in r.rows
    assert r.warnings == seed.warnings == []


@pytest.mark.parametrize("line, furniture", [
    ("Skip to main content", True), ("unit logo", True), ("Back to top", True), ("Back to Top >", True), ("Contact Us", True),
    ("Terms of Use", True), ("\u00a9 2021 Caliper Corporation. All rights reserved.", True), ("(c) 2024 Example University", True),
    ("This page last reviewed on March 5, 2024", True), ("Last updated: 01/02/2024", True),
    ("Contact Center Manager", False), ("Accessibility Coordinator", False), ("Copyright Law", False), ("Top Customer Service Executive", False),
    ("Searches for root causes of customer complaints.", False), ("Last updated the service level agreement with each client.", False),
])
def test_furniture_lines(line, furniture):
    from pipeline.readers.furniture import is_furniture

    assert is_furniture(line) is furniture
