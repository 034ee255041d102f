"""The bad-input corpus: every file is accounted for with its status and code, and none
takes the ingest down. Inputs are made here from real raw/ documents or written as
obviously synthetic bytes."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import duckdb
import pytest
from conftest import RAW, ROOT

from pipeline import parse as parse_module
from pipeline.cli import main
from pipeline.parse import parse_file

SALARY_HTML = (RAW / "salary_com" / "customer_service_manager.html").read_bytes()
KENEXA_HTML = (RAW / "kenexa" / "customer_service_management.html").read_bytes()
CALIPER_PDF = (RAW / "caliper" / "client_service_specialist.pdf").read_bytes()


def _image_only_pdf() -> bytes:
    from fpdf import FPDF
    from PIL import Image

    pdf = FPDF()
    pdf.add_page()
    img = io.BytesIO()
    Image.new("RGB", (300, 200), "white").save(img, format="PNG")
    pdf.image(img, x=10, y=10, w=150)
    return bytes(pdf.output())


def _encrypted_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="CALIPER COMPETENCY LIBRARY Locked Model")
    pdf.set_encryption(owner_password="owner", user_password="user")
    return bytes(pdf.output())


def _long_caliper_pdf(pages: int = 300) -> bytes:
    """A small job model followed by hundreds of appendix pages (synthetic)."""
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="letter")
    pdf.add_page()
    pdf.set_font("helvetica", size=10)
    y = 60
    for line in ["CALIPER COMPETENCY LIBRARY Synthetic Long Model", "SYNTHETIC job model with a long appendix.", "Example positions", "Analyst",
                 "COMPETENCIES", "Decisiveness - They make timely decisions.", "Representative behaviors", "- Decides on time"]:
        pdf.text(60, y, line)
        y += 24
    pdf.add_page()
    pdf.text(60, 60, "JOB MODEL")
    for x, label in ((60, "Leading"), (200, "Decisions"), (340, "Solving"), (340, "Problems")):
        pdf.text(x, 100 if label != "Problems" else 110, label)
    pdf.text(200, 160, "Decisiveness")
    for n in range(pages - 2):
        pdf.add_page()
        pdf.text(60, 60, f"Appendix page {n + 1}: notes on the model.")
    return bytes(pdf.output())


# SYNTHETIC: a page saved as "HTML only" before its scripts drew the profile.
SCRIPT_DRAWN_PAGE = (b"<!DOCTYPE html><html><head><title>Client Service Specialist II Skills and Competencies | Salary.com</title>"
                     b"<script>" + b"window.__DATA__ = {};" * 500 + b"</script></head><body><noscript>You need to enable JavaScript to run this app."
                     b"</noscript><div id='root'></div><script src='/static/js/main.js'></script></body></html>")


def test_a_page_saved_before_its_scripts_drew_it_says_so():
    r = parse_file("profile.html", SCRIPT_DRAWN_PAGE)
    assert (r.status, r.warnings) == ("failed", [("no_page_text", "the saved page holds almost no text (0 characters, titled 'Client Service "
                                                  "Specialist II Skills and Competencies | Salary.com'): its scripts draw the content and had not run when "
                                                  "it was saved; save it once it has loaded in the browser, or print it to PDF")])
    # A file that stops before the page's content: saved before it finished loading.
    r = parse_file("profile.html", SALARY_HTML[:SALARY_HTML.index(b"<body") + 40])
    assert r.warnings[0][0] == "no_page_text" and "before any of its content: it was saved before it finished loading" in r.warnings[0][1]


CORPUS = {
    # path: (bytes, expected status, expected warning code or None)
    "empty.html": (b"", "failed", "empty"),
    "binary.html": (bytes(range(256)) * 64, "failed", "binary"),
    "login.html": (b"<html><head><title>Sign In | Salary.com</title></head><body><h1>Sign in</h1><form><input name=user></form></body></html>", "failed", "not_a_profile"),
    "missing.html": (b"<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>Page not found</h1><p>SYNTHETIC</p></body></html>", "failed", "not_a_profile"),
    "script-drawn page.html": (SCRIPT_DRAWN_PAGE, "failed", "no_page_text"),
    "cp1252 page.html": (SALARY_HTML.decode("utf-8").encode("cp1252"), "ok", "encoding_detected"),
    "utf16.html": (KENEXA_HTML.decode("utf-8").encode("utf-16"), "ok", None),
    "cut mid-word.html": (SALARY_HTML[: SALARY_HTML.index(b"Assists in implementing") + 12], "partial", "truncated_text"),
    "deep nesting.html": (SALARY_HTML.replace(b"</body>", b"<div>" * 3000 + b"SYNTHETIC" + b"</div>" * 3000 + b"</body>"), "ok", None),
    "not a pdf.pdf": (b"SYNTHETIC: this is plain text with a .pdf name\n", "failed", "not_a_pdf"),
    "encrypted.pdf": (_encrypted_pdf(), "failed", "encrypted"),
    "scan.pdf": (_image_only_pdf(), "failed", "no_text_layer"),
    "truncated.pdf": (CALIPER_PDF[: len(CALIPER_PDF) // 2], "failed", "truncated"),
    "long model.pdf": (_long_caliper_pdf(), "ok", None),
    "Bürokauffrau café/Kundendienst – Übersicht.txt": ((RAW / "kenexa" / "service_excellence.txt").read_bytes(), "partial", "truncated"),
}


@pytest.fixture(scope="module")
def corpus_catalog(tmp_path_factory):
    base = tmp_path_factory.mktemp("bad")
    root = base / "inputs"
    for name, (data, _, _) in CORPUS.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    os.symlink(root, root / "loop")  # a directory loop
    outside = base / "outside.html"
    outside.write_bytes(KENEXA_HTML)
    os.symlink(outside, root / "link to outside.html")
    locked = root / "no permission.html"
    locked.write_bytes(KENEXA_HTML)
    locked.chmod(0)
    real_read = parse_module.read_bytes

    def read_bytes(path, *args):  # root can read anything; make the permission real for the test
        if path.endswith("no permission.html"):
            raise PermissionError(13, "Permission denied")
        return real_read(path, *args)

    mp = pytest.MonkeyPatch()
    mp.setattr(parse_module, "read_bytes", read_bytes)
    try:
        code = main(["ingest", str(root), "--out", str(base / "out"), "--quiet"])
    finally:
        mp.undo()
    con = duckdb.connect(str(base / "out" / "catalog.duckdb"), read_only=True)
    rows = con.execute("""SELECT d.path, d.status, list(w.code ORDER BY w.seq) FROM documents d LEFT JOIN parse_warnings w USING (document_id)
                          GROUP BY ALL""").fetchall()
    assert con.execute("SELECT parsed, reused FROM loads").fetchall() == [(len(CORPUS) + 1, 0)]  # the link out of the input is neither
    return code, {os.path.relpath(p, root): (status, [c for c in codes if c]) for p, status, codes in rows}


def test_ingest_survives_and_exits_1(corpus_catalog):
    code, _ = corpus_catalog
    assert code == 1


@pytest.mark.parametrize("name", CORPUS)
def test_each_bad_input_has_its_status_and_code(corpus_catalog, name):
    _, docs = corpus_catalog
    status, codes = docs[name]
    _, want_status, want_code = CORPUS[name]
    assert status == want_status
    if want_code is None:
        assert codes == []
    else:
        assert want_code in codes


def test_symlinks_and_unreadable_files_are_accounted_for(corpus_catalog):
    _, docs = corpus_catalog
    assert docs["link to outside.html"] == ("failed", ["outside_input"])
    assert docs["no permission.html"] == ("failed", ["unreadable_file"])
    assert not any(p.startswith("loop") for p in docs)  # the loop was not followed
    assert len(docs) == len(CORPUS) + 2


def test_huge_html_page_loads_with_bounded_memory(tmp_path):
    """A real profile page carrying a 50 MB inline script."""
    head = SALARY_HTML.index(b"</head>")
    page = tmp_path / "huge.html"
    with open(page, "wb") as fh:  # written in pieces: the test itself never holds 50 MB
        fh.write(SALARY_HTML[:head] + b"<script>window.__DATA__ = [")
        for _ in range(52):
            fh.write(b'{"id": 12345, "name": "tracking pixel"},' * 25600)
        fh.write(b"];</script>" + SALARY_HTML[head:])
    assert page.stat().st_size > 50 * 1024 * 1024
    # VmHWM is the peak resident size of this process image (ru_maxrss would include the parent's).
    code = ("import re, sys; from pipeline.cli import main; rc = main(sys.argv[1:]); "
            "print(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)); sys.exit(rc)")
    proc = subprocess.run([sys.executable, "-c", code, "ingest", str(page), "--out", str(tmp_path / "out"), "--quiet"],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    peak_mib = int(proc.stdout.split()[-1]) / 1024
    assert peak_mib < 400, f"peak memory {peak_mib:.0f} MiB"
    con = duckdb.connect(str(tmp_path / "out" / "catalog.duckdb"), read_only=True)
    assert con.execute("SELECT status FROM documents").fetchall() == [("ok",)]
    assert con.execute("SELECT job_code FROM roles").fetchall() == [("SM15000027",)]


def _ingest_in_a_subprocess(folder, out, *args):
    """The CLI in a process of its own, bounded in time: a file that blocks the read (a FIFO)
    must fail, not hang the run."""
    return subprocess.run([sys.executable, "-m", "pipeline", "ingest", str(folder), "--out", str(out), "--quiet", *args],
                          capture_output=True, text=True, timeout=120, cwd=str(ROOT))


def test_a_fifo_a_link_loop_and_a_huge_sparse_file_are_failed_rows_and_the_rest_loads(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "nih.txt").write_bytes((RAW / "nih" / "federal_budget_process.txt").read_bytes())
    os.mkfifo(folder / "pipe.txt")  # a read would wait forever for a writer
    os.symlink("loop_b.txt", folder / "loop_a.txt")
    os.symlink("loop_a.txt", folder / "loop_b.txt")
    with open(folder / "sparse.txt", "wb") as fh:  # 10 GB that take no disk: read whole, they would exhaust memory
        fh.truncate(10 * 2**30)
    done = _ingest_in_a_subprocess(folder, tmp_path / "out")
    assert done.returncode == 1, done.stderr
    assert done.stderr.splitlines()[-5:] == [  # files failing the same way are grouped, each named
        "  FAILED   2 files: symlink leads back to itself (a loop of links): not followed",
        f"             {folder / 'loop_a.txt'}",
        f"             {folder / 'loop_b.txt'}",
        f"  FAILED   {folder / 'pipe.txt'}: a named pipe (FIFO), not a regular file: not read",
        f"  FAILED   {folder / 'sparse.txt'}: the file is larger than the size cap of 256 MB (--max-file-mb): not read"]
    con = duckdb.connect(str(tmp_path / "out" / "catalog.duckdb"), read_only=True)
    assert con.execute("SELECT path, status FROM documents ORDER BY path").fetchall() == [
        (str(folder / "loop_a.txt"), "failed"), (str(folder / "loop_b.txt"), "failed"), (str(folder / "nih.txt"), "ok"),
        (str(folder / "pipe.txt"), "failed"), (str(folder / "sparse.txt"), "failed")]
    assert con.execute("SELECT code FROM parse_warnings ORDER BY code").fetchall() == [
        ("not_a_regular_file",), ("symlink_loop",), ("symlink_loop",), ("too_large",)]


def test_the_size_cap_is_a_flag(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "nih.txt").write_bytes((RAW / "nih" / "federal_budget_process.txt").read_bytes())
    done = _ingest_in_a_subprocess(folder, tmp_path / "out", "--max-file-mb", "0.0005")  # 524 bytes; the page has 884
    assert done.returncode == 1 and done.stderr.splitlines()[-1] == (
        f"  FAILED   {folder / 'nih.txt'}: the file is larger than the size cap of 524 bytes (--max-file-mb): not read")


def test_the_command_line_default_size_cap_is_the_librarys():
    from pipeline.cli import MAX_FILE_MB
    from pipeline.parse import MAX_FILE_BYTES

    assert MAX_FILE_MB * 2**20 == MAX_FILE_BYTES


def test_a_file_name_that_is_not_utf8_is_stored_with_its_bytes_escaped(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    name = os.fsdecode(b"caf\xe9 budget.txt")  # a Latin-1 name, as an old archive or share gives it
    (folder / name).write_bytes((RAW / "nih" / "federal_budget_process.txt").read_bytes())
    out = tmp_path / "out"
    assert main(["ingest", str(folder), "--out", str(out), "--quiet"]) == 0
    con = duckdb.connect(str(out / "catalog.duckdb"), read_only=True)
    assert con.execute("SELECT path, status FROM documents").fetchall() == [(f"{folder}/caf\\xe9 budget.txt", "ok")]
    assert con.execute("SELECT path FROM document_paths").fetchall() == [(f"{folder}/caf\\xe9 budget.txt",)]


def _cyclic_pdf() -> bytes:
    """SYNTHETIC: a PDF whose page's /Contents are two objects referring to each other (6 0 R ->
    7 0 R -> 6 0 R): pdfplumber follows them forever."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 6 0 R /Resources << >> >>",
               b"<< >>", b"<< >>", b"7 0 R", b"6 0 R"]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode() + b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    return out + f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()


def test_a_file_that_parses_forever_fails_with_timeout_and_the_rest_loads(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "cyclic.pdf").write_bytes(_cyclic_pdf())
    (folder / "nih.txt").write_bytes((RAW / "nih" / "federal_budget_process.txt").read_bytes())
    done = _ingest_in_a_subprocess(folder, tmp_path / "out", "--file-timeout", "2")
    assert done.returncode == 1 and done.stderr.splitlines()[-1] == (
        f"  FAILED   {folder / 'cyclic.pdf'}: parsing the file took longer than 2 s (--file-timeout): stopped; the file is not loaded")
    con = duckdb.connect(str(tmp_path / "out" / "catalog.duckdb"), read_only=True)
    assert con.execute("SELECT d.status, w.code FROM documents d LEFT JOIN parse_warnings w USING (document_id) ORDER BY d.path").fetchall() == [
        ("failed", "timeout"), ("ok", None)]


def test_the_time_bound_of_the_library(tmp_path):
    import time

    from pipeline.parse import FileLimits, parse_within_limits

    path = tmp_path / "cyclic.pdf"
    path.write_bytes(_cyclic_pdf())
    started = time.monotonic()
    res = parse_within_limits(str(path), FileLimits(seconds=1))
    assert (res.status, res.warnings[0][0]) == ("failed", "timeout") and time.monotonic() - started < 10
    assert parse_within_limits(str(RAW / "nih" / "federal_budget_process.txt"), FileLimits(seconds=1)).status == "ok"


def test_the_command_line_default_time_bound_is_the_librarys():
    from pipeline.cli import FILE_TIMEOUT
    from pipeline.parse import FILE_SECONDS

    assert FILE_TIMEOUT == FILE_SECONDS


def test_the_summary_counts_files_and_names_every_failed_path(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(5):  # the same (empty) bytes under five names: one document, five files
        (folder / f"empty {n}.txt").write_bytes(b"")
    (folder / "nih.txt").write_bytes((RAW / "nih" / "federal_budget_process.txt").read_bytes())
    assert main(["ingest", str(folder), "--out", str(tmp_path / "out")]) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith("ingested 2 document(s) from 6 file(s) into ")
    assert captured.out.splitlines()[0].endswith(": 1 ok, 0 partial, 1 failed")
    assert captured.err.splitlines() == ["  FAILED   5 files: file is empty"] + [f"             {folder / f'empty {n}.txt'}" for n in range(5)]


def test_sockets_devices_and_unreadable_folders_are_reported_not_read(tmp_path, monkeypatch):
    import socket

    import pipeline.discover
    from pipeline.discover import discover

    folder = tmp_path / "in"
    (folder / "locked").mkdir(parents=True)
    (folder / "locked" / "page.txt").write_bytes(b"never listed")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(folder / "socket.html"))  # a socket file among the pages
    real_scandir = pipeline.discover.os.scandir

    def scandir(path):  # root can list anything; make the permission real for the test
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(pipeline.discover.os, "scandir", scandir)
    try:
        found = {f.path: f.problem for f in discover([str(folder), "/dev/null"])}
    finally:
        server.close()
    assert found == {
        "/dev/null": ("not_a_regular_file", "a character device, not a regular file: not read"),
        str(folder / "locked"): ("unreadable_folder", "the folder could not be read: Permission denied; its files were not ingested"),
        str(folder / "socket.html"): ("not_a_regular_file", "a socket, not a regular file: not read"),
    }


def _real_pages(folder, copies: int) -> list[str]:
    """`copies` real raw/ pages under distinct names and bytes (blank lines added to repeats),
    enough for the ingest to parse them in worker processes."""
    sources = sorted(p for p in RAW.rglob("*.txt"))
    names = []
    for i in range(copies):
        source = sources[i % len(sources)]
        (folder / f"{i:02d}_{source.name}").write_bytes(source.read_bytes() + b"\n\n" * (i // len(sources)))
        names.append(f"{i:02d}_{source.name}")
    return names


def _parse_path_that(behaves):
    """parse_path, but for a file named stuck.txt or dies.txt: `behaves()` (in the worker)."""
    real = parse_module.parse_path

    def parse_path(path, *args):
        if os.path.basename(path) in ("stuck.txt", "dies.txt"):
            behaves()
        return real(path, *args)

    return parse_path


def _stuck_in_c_code():
    """A parse the worker's own timer cannot stop: a signal handler never runs while C code
    holds the thread (simulated by holding the timer's signal back)."""
    import signal
    import time

    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
    time.sleep(60)


def _killed_by_the_system():
    import signal

    os.kill(os.getpid(), signal.SIGKILL)


def _ingest_watched(tmp_path, monkeypatch, name, behaves):
    from pipeline.ingest import ingest

    folder = tmp_path / "in"
    folder.mkdir()
    pages = _real_pages(folder, 24)
    (folder / name).write_bytes((RAW / "nih" / "federal_budget_process.txt").read_bytes() + b"\n(the odd one)\n")
    monkeypatch.setattr(parse_module, "parse_path", _parse_path_that(behaves))
    import time

    started = time.monotonic()
    report = ingest([str(folder)], tmp_path / "out", workers=2, file_seconds=1)
    con = duckdb.connect(str(tmp_path / "out" / "catalog.duckdb"), read_only=True)
    statuses = dict(con.execute("SELECT regexp_extract(p.path, '[^/]+$'), d.status FROM document_paths p JOIN documents d USING (document_id)").fetchall())
    codes = dict(con.execute("SELECT regexp_extract(d.path, '[^/]+$'), w.code FROM documents d JOIN parse_warnings w USING (document_id) WHERE d.status = 'failed'").fetchall())
    return report, time.monotonic() - started, pages, statuses, codes


def test_a_parse_stuck_where_its_timer_cannot_reach_is_killed_with_its_worker_and_the_rest_loads(tmp_path, monkeypatch):
    report, seconds, pages, statuses, codes = _ingest_watched(tmp_path, monkeypatch, "stuck.txt", _stuck_in_c_code)
    assert codes == {"stuck.txt": "timeout"}
    assert statuses["stuck.txt"] == "failed" and all(statuses[p] in ("ok", "partial") for p in pages)
    assert seconds < 20, f"{seconds:.1f} s: the stuck worker was not replaced in time"
    assert [d["status"] for d in report.documents].count("failed") == 1


def test_a_worker_killed_by_the_system_costs_only_the_file_it_was_reading(tmp_path, monkeypatch):
    report, _, pages, statuses, codes = _ingest_watched(tmp_path, monkeypatch, "dies.txt", _killed_by_the_system)
    assert codes == {"dies.txt": "worker_crashed"}
    assert statuses["dies.txt"] == "failed" and all(statuses[p] in ("ok", "partial") for p in pages)
    failed = [d for d in report.documents if d["status"] == "failed"]
    assert [d["error"] for d in failed] == [
        "the process parsing this file died twice while reading it (a crash in a library, or out of memory): not loaded"]


def test_stopping_early_kills_a_worker_stuck_where_its_timer_cannot_reach(tmp_path, monkeypatch):
    """Ctrl-C, an error or a consumer that stops ends the run at once, not when a stuck file
    ends (workers ignore Ctrl-C, and a file stuck in C code ends only with a kill)."""
    import multiprocessing
    import time

    from pipeline.parse import FileLimits
    from pipeline.pool import parse_all

    folder = tmp_path / "in"
    folder.mkdir()
    pages = [str(folder / name) for name in _real_pages(folder, 24)]
    (folder / "stuck.txt").write_bytes(b"(never read)")
    marker = tmp_path / "stuck-started"

    def stuck():
        marker.touch()
        _stuck_in_c_code()

    monkeypatch.setattr(parse_module, "parse_path", _parse_path_that(stuck))
    results = parse_all([*pages, str(folder / "stuck.txt")], workers=2, results_dir=str(tmp_path / "results"), limits=FileLimits(seconds=60))
    next(results)
    deadline = time.monotonic() + 30
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert marker.exists()
    started = time.monotonic()
    results.close()
    while multiprocessing.active_children() and time.monotonic() - started < 20:
        time.sleep(0.05)
    assert time.monotonic() - started < 5 and not multiprocessing.active_children()
