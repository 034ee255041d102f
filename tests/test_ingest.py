"""The whole pipeline, run for real into DuckDB and checked with SQL."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pyarrow.parquet as pq
import pytest
from conftest import RAW, ROOT, sql

import pipeline.load
import pipeline.views
from pipeline.cli import main
from pipeline.schema import TABLES

STAMPS = {"ingested_at", "load_id"}


def python_output(code: str, *args: str) -> tuple[int, str, str]:
    """Run `code` in a new interpreter (args after it in sys.argv): (exit code, stdout stripped, stderr)."""
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT)
    return proc.returncode, proc.stdout.strip(), proc.stderr


def snapshot(out) -> dict[str, list]:
    """Every table's rows in stored order, without the load stamps."""
    result = {}
    for t in TABLES:
        if t.name == "loads":  # the table of loads is all stamps
            continue
        cols = ", ".join(c for c in t.columns if c not in STAMPS)
        result[t.name] = sql(out, f"SELECT {cols} FROM {t.name}")
    return result


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    out = tmp_path_factory.mktemp("normalized")
    assert main(["ingest", str(RAW), "--out", str(out), "--quiet"]) == 0
    return out


def test_raw_folder_loads_every_vendor(catalog):
    assert sql(catalog, "SELECT vendor, status, count(*) FROM documents GROUP BY ALL ORDER BY ALL") == [
        ("caliper", "ok", 1), ("kenexa", "ok", 1), ("kenexa", "partial", 3), ("nih", "ok", 1), ("salary_com", "ok", 3), ("salary_com", "partial", 3)]
    assert sql(catalog, "SELECT count(*) FROM roles") == [(7,)]
    assert sql(catalog, "SELECT vendor, count(*) FROM competencies GROUP BY ALL ORDER BY ALL") == [("caliper", 10), ("kenexa", 4), ("nih", 1), ("salary_com", 15)]
    assert sql(catalog, "SELECT vendor, level, label FROM scale_levels WHERE level IN (1, 4) ORDER BY ALL") == [
        ("kenexa", 1, "Basic understanding"), ("kenexa", 4, "Subject matter depth and breadth"), ("nih", 1, "Fundamental Awareness"), ("nih", 4, "Advanced"),
        ("salary_com", 1, "General Familiarity"), ("salary_com", 4, "Extensive Experience")]


def test_salary_versus_required_level_query(catalog):
    rows = sql(catalog, """
        SELECT r.title, s.amount, avg(rc.required_level_normalized) AS mean_required
        FROM roles r JOIN salaries s USING (role_id, document_id) JOIN role_competencies rc USING (role_id, document_id)
        JOIN documents d USING (document_id)
        WHERE d.status = 'ok' AND s.kind = 'base' AND rc.required_level IS NOT NULL GROUP BY ALL ORDER BY s.amount""")
    assert rows == [("Client Service Specialist II", 63586.0, 31.25), ("Customer Service Manager", 100228.0, 68.75),
                    ("Top Customer Service Executive", 235880.0, 68.75)]


def test_competency_seen_on_two_pages_is_one_row_with_merged_behaviors(catalog):
    assert sql(catalog, "SELECT count(*), count(definition) FROM competencies WHERE name = 'Products And Services'") == [(1, 1)]
    assert sql(catalog, "SELECT text FROM behaviors WHERE competency_id = 'salary_com:products-and-services' AND level = 1 ORDER BY text") == [
        ("Cites examples of how customers use our business's products and services.",), ("Discusses the primary markets for the P/S.",)]
    # Named only in one page's summary, shown with a definition on another: merged.
    assert sql(catalog, "SELECT definition IS NOT NULL FROM competencies WHERE competency_id = 'salary_com:customer-interaction'") == [(True,)]


def test_partial_documents_say_what_is_missing(catalog):
    rows = sql(catalog, """SELECT d.path, w.code FROM documents d JOIN parse_warnings w USING (document_id)
                           WHERE d.status = 'partial' ORDER BY d.path, w.seq""")
    assert [(p.split("/raw/")[1], c) for p, c in rows] == [
        ("kenexa/accountability.txt", "missing_section"), ("kenexa/accountability.txt", "truncated"),
        ("kenexa/customer_interaction.txt", "truncated_text"), ("kenexa/customer_interaction.txt", "truncated"),
        ("kenexa/service_excellence.txt", "truncated_text"), ("kenexa/service_excellence.txt", "truncated"),
        ("salary_com/database_administrator_i.txt", "truncated_text"), ("salary_com/database_administrator_i.txt", "truncated"),
        ("salary_com/network_administrator_i.txt", "truncated"),
        ("salary_com/software_engineer_ii.txt", "truncated_text"), ("salary_com/software_engineer_ii.txt", "truncated")]


def test_parquet_files_hold_the_same_tables(catalog):
    for t in TABLES:
        table = pq.read_table(catalog / "parquet" / f"{t.name}.parquet")
        assert table.column_names == t.columns
        assert table.num_rows == sql(catalog, f"SELECT count(*) FROM {t.name}")[0][0]


def test_reingest_gives_identical_tables_and_ids(catalog, tmp_path):
    out = tmp_path / "again"
    assert main(["ingest", str(RAW), "--out", str(out), "--quiet"]) == 0
    assert snapshot(out) == snapshot(catalog)


def test_garbage_file_fails_alone_and_exit_status_is_1(raw_copy, tmp_path, capsys):
    (raw_copy / "garbage.html").write_bytes(bytes(range(256)) * 40)
    out = tmp_path / "out"
    assert main(["ingest", str(raw_copy), "--out", str(out)]) == 1
    assert sql(out, "SELECT status, error FROM documents WHERE path LIKE '%garbage.html'") == [("failed", "file holds binary data, not text, HTML or PDF")]
    assert sql(out, "SELECT count(*) FROM roles") == [(7,)]
    assert "garbage.html: file holds binary data" in capsys.readouterr().err


def test_same_bytes_under_two_names_is_one_document(raw_copy, tmp_path):
    shutil.copy(raw_copy / "kenexa" / "accountability.txt", raw_copy / "accountability copy.txt")
    out = tmp_path / "out"
    main(["ingest", str(raw_copy), "--out", str(out), "--quiet"])
    assert sql(out, "SELECT count(*) FROM documents") == [(12,)]
    (paths,) = sql(out, "SELECT list(path ORDER BY path) FROM document_paths GROUP BY document_id HAVING count(*) > 1")
    assert [p.split("/raw/")[1] for p in paths[0]] == ["accountability copy.txt", "kenexa/accountability.txt"]


def test_failed_load_leaves_previous_catalog_intact(catalog, tmp_path, monkeypatch):
    out = tmp_path / "out"
    shutil.copytree(catalog, out, symlinks=True)
    before = snapshot(out)

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(pipeline.views, "create_views", boom)  # fails after every table was written and inserted
    # --replace: a catalog of raw/ replaced by one of raw/kenexa (without it, the ingest stops before loading)
    assert main(["ingest", str(RAW / "kenexa"), "--out", str(out), "--quiet", "--replace"]) == 1
    assert snapshot(out) == before
    with pytest.raises(RuntimeError, match="disk full"):  # --debug lets the error through
        main(["--debug", "ingest", str(RAW / "kenexa"), "--out", str(out), "--quiet", "--replace"])
    assert snapshot(out) == before


def test_usage_errors_exit_2(tmp_path, capsys):
    assert main(["ingest", str(tmp_path / "missing"), "--out", str(tmp_path / "o")]) == 2
    assert capsys.readouterr().err == f"error: path not found: {tmp_path / 'missing'}\n"
    with pytest.raises(SystemExit) as exc:
        main(["frobnicate"])
    assert exc.value.code == 2


def test_strict_turns_partial_into_failed(tmp_path):
    out = tmp_path / "out"
    assert main(["ingest", str(RAW / "salary_com" / "network_administrator_i.txt"), "--out", str(out), "--strict", "--quiet"]) == 1
    assert sql(out, "SELECT status FROM documents") == [("failed",)]


def test_module_entry_point_runs(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "pipeline", "ingest", str(RAW / "caliper"), "--out", str(tmp_path / "o")],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("ingested 1 document(s) from 1 file(s) into ")
    assert "parsed 1, reused 0" in proc.stdout
    assert proc.stdout.rstrip().endswith("1 ok, 0 partial, 0 failed")


def test_command_line_ingest_does_not_import_pandas_and_leaves_it_usable(tmp_path):
    # pyarrow would import pandas (0.2 s, ~35 MiB) on its first list conversion; the tool's own
    # process lets that look fail once. pandas imported afterwards still works with pyarrow.
    code = ("import runpy, sys\ntry:\n    runpy.run_module('pipeline', run_name='__main__')\nexcept SystemExit as e:\n    rc = e.code\n"
            "loaded = 'pandas' in sys.modules\n"
            "import pandas, pyarrow.parquet as pq\n"
            f"frame = pq.read_table({str(tmp_path / 'o' / 'parquet' / 'roles.parquet')!r}).to_pandas()\n"
            "print(rc, loaded, sorted(frame['title']))")
    rc, out, err = python_output(code, "ingest", str(RAW / "salary_com"), "--out", str(tmp_path / "o"), "--quiet")
    titles = [t for (t,) in sql(tmp_path / "o", "SELECT title FROM roles ORDER BY title")]
    assert "Customer Service Manager" in titles
    assert (rc, out) == (0, f"0 False {titles}"), err


def test_reingest_of_unchanged_files_imports_no_parser_and_no_heavy_library(catalog):
    # The no-op re-ingest is a stat per file and the manifest: what it imports is start-up time
    # paid by every `make ingest` that finds nothing new.
    code = ("import runpy, sys\ntry:\n    runpy.run_module('pipeline', run_name='__main__')\nexcept SystemExit as e:\n    rc = e.code\n"
            "print(rc, sorted(m for m in ('pipeline.vendors', 'pipeline.schema', 'pipeline.rows', 'pipeline.pool', 'pipeline.views',"
            " 'lxml', 'pdfplumber', 'pyarrow', 'pandas', 'duckdb', 'numpy', 'importlib.metadata') if m in sys.modules))")
    rc, out, err = python_output(code, "ingest", str(RAW), "--out", str(catalog), "--quiet")
    assert (rc, out) == (0, "0 []"), err


def test_library_ingest_leaves_pyarrow_pandas_integration_as_it_is(tmp_path):
    # A program calling the library (a notebook) may hand pyarrow pandas objects later: a NaN
    # in a pandas Series is a null to pyarrow only while pyarrow knows pandas.
    code = ("import sys\nfrom pipeline.cli import main\n"
            f"rc = main(['ingest', {str(RAW / 'kenexa')!r}, '--out', {str(tmp_path / 'o')!r}, '--quiet'])\n"
            "import pandas, pyarrow\n"
            "print(rc, pyarrow.array(pandas.Series([1.0, float('nan')])).null_count)")
    rc, out, err = python_output(code)
    assert (rc, out) == (0, "0 1"), err


def test_ingest_pauses_the_cycle_collector_only_while_workers_parse_and_restores_it(tmp_path, monkeypatch):
    import gc

    import pipeline.ingest
    import pipeline.pool

    seen = []
    real_write_catalog = pipeline.load.write_catalog

    def noting_the_collector(*args):
        seen.append(gc.isenabled())
        return real_write_catalog(*args)

    monkeypatch.setattr(pipeline.load, "write_catalog", noting_the_collector)
    monkeypatch.setattr(pipeline.pool, "POOL_FROM_FILES", 2)  # the 4 Kenexa files parsed by workers
    was = gc.isenabled()
    try:
        for enabled in (True, False):
            for workers in (2, 1):
                gc.enable() if enabled else gc.disable()
                pipeline.ingest.ingest([str(RAW / "kenexa")], tmp_path / f"o{enabled}{workers}", workers=workers)
                assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()
    # Paused while the rows were merged and written; on with files parsed in this process (pdfplumber's cycles).
    assert seen == [False, True, False, False]


def test_reingest_writes_byte_identical_parquet_apart_from_stamped_tables(catalog, tmp_path):
    out = tmp_path / "again"
    main(["ingest", str(RAW), "--out", str(out), "--quiet"])
    main(["ingest", str(RAW), "--out", str(out), "--quiet"])  # no-op: nothing changed
    for t in TABLES:
        if t.name in ("loads", "documents"):
            continue
        assert (out / "parquet" / f"{t.name}.parquet").read_bytes() == (catalog / "parquet" / f"{t.name}.parquet").read_bytes(), t.name


def test_changed_file_replaces_its_rows_and_removed_file_rows_go_away(raw_copy, tmp_path):
    out = tmp_path / "out"
    main(["ingest", str(raw_copy), "--out", str(out), "--quiet"])
    page = raw_copy / "salary_com" / "customer_service_manager.html"
    page.write_text(page.read_text(encoding="utf-8").replace("$100,228", "$101,000"), encoding="utf-8")
    (raw_copy / "kenexa" / "accountability.txt").unlink()
    main(["ingest", str(raw_copy), "--out", str(out), "--quiet"])
    assert sql(out, "SELECT amount FROM salaries WHERE role_id = 'salary_com:customer-service-manager' AND kind = 'base'") == [(101000.0,)]
    assert sql(out, "SELECT count(*) FROM competencies WHERE competency_id = 'kenexa:unnamed-1856d8dbafc6'") == [(0,)]
    assert sql(out, "SELECT parsed, reused FROM loads") == [(1, 10)]
    assert sql(out, "SELECT count(*) FROM documents") == [(11,)]


def _crosswalk_noting_its_process(*args):
    with open(os.environ["COMPCAT_TEST_CROSSWALK_PID"], "w") as fh:
        fh.write(str(os.getpid()))
    return _real_crosswalk_tables(*args)


_real_crosswalk_tables = None


def test_crosswalk_computed_in_its_own_process_gives_the_same_catalog(catalog, tmp_path, monkeypatch):
    global _real_crosswalk_tables
    import pipeline.crosswalk
    import pipeline.ingest

    _real_crosswalk_tables = pipeline.crosswalk.crosswalk_tables
    pid_file = tmp_path / "crosswalk.pid"
    monkeypatch.setenv("COMPCAT_TEST_CROSSWALK_PID", str(pid_file))
    monkeypatch.setattr(pipeline.crosswalk, "crosswalk_tables", _crosswalk_noting_its_process)
    monkeypatch.setattr(pipeline.ingest, "OFFLOAD_CROSSWALK_FROM", 0)  # offloaded however small the catalog
    out = tmp_path / "out"
    assert main(["ingest", str(RAW), "--out", str(out), "--quiet", "--workers", "2"]) == 0
    assert int(pid_file.read_text()) != os.getpid()  # it ran in another process
    assert sql(out, "SELECT count(*) FROM competency_matches") != [(0,)]
    assert snapshot(out) == snapshot(catalog)
    for name in (*pipeline.ingest.CROSSWALK_INPUTS, *pipeline.ingest.CROSSWALK_OUTPUTS):  # the same Parquet bytes
        assert (out / "parquet" / f"{name}.parquet").read_bytes() == (catalog / "parquet" / f"{name}.parquet").read_bytes(), name


def _crosswalk_out_of_memory(*args):
    raise MemoryError("SYNTHETIC: the crosswalk process ran out of memory")


def test_crosswalk_process_failing_fails_the_load_not_the_catalog(catalog, tmp_path, monkeypatch):
    import pipeline.crosswalk
    import pipeline.ingest

    out = tmp_path / "out"
    shutil.copytree(catalog, out, symlinks=True)
    before = snapshot(out)
    monkeypatch.setattr(pipeline.ingest, "OFFLOAD_CROSSWALK_FROM", 0)
    monkeypatch.setattr(pipeline.crosswalk, "crosswalk_tables", _crosswalk_out_of_memory)  # run in the crosswalk's own process
    with pytest.raises(MemoryError, match="SYNTHETIC"):  # (--replace: a catalog of raw/ replaced by one of raw/kenexa)
        main(["--debug", "ingest", str(RAW / "kenexa"), "--out", str(out), "--quiet", "--workers", "2", "--replace"])
    assert snapshot(out) == before
    assert main(["ingest", str(RAW / "kenexa"), "--out", str(out), "--quiet", "--workers", "2", "--replace"]) == 1
    assert snapshot(out) == before


def test_unreadable_cache_files_mean_parsing_again_not_losing_documents(raw_copy, tmp_path):
    out = tmp_path / "out"
    main(["ingest", str(raw_copy), "--out", str(out), "--quiet"])
    before = snapshot(out)
    chunks = [f for f in (out / ".cache" / "results").rglob("*") if f.is_file()]
    assert chunks and len({f.parent for f in chunks}) < 12  # results are kept per chunk of files, not per file
    for f in chunks:
        f.write_bytes(b"SYNTHETIC: not parse results")
    for f in raw_copy.rglob("*.*"):
        st = f.stat()  # touched (1 ns), not changed: the content hash says the cached result applies
        os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns + 1))
    main(["ingest", str(raw_copy), "--out", str(out), "--quiet"])
    assert sql(out, "SELECT parsed, reused FROM loads") == [(12, 0)]
    assert snapshot(out) == before
    (raw_copy / "nih" / "new copy.txt").write_bytes(next((raw_copy / "nih").iterdir()).read_bytes() + b"\n")
    main(["ingest", str(raw_copy), "--out", str(out), "--quiet"])
    assert sql(out, "SELECT parsed, reused FROM loads") == [(1, 12)]  # the re-parsed results were kept again


def test_the_cache_holds_data_a_file_placed_there_runs_nothing(raw_copy, tmp_path):
    import pickle

    out = tmp_path / "out"
    main(["ingest", str(raw_copy), "--out", str(out), "--quiet"])
    before = snapshot(out)
    ran = tmp_path / "ran"

    class Payload:  # what a hostile pickle does when loaded: run a command
        def __reduce__(self):
            return (os.system, (f"touch {ran}",))

    chunks = [f for f in (out / ".cache" / "results").rglob("*") if f.is_file()]  # every chunk file, whatever its format
    assert chunks
    for f in chunks:
        f.write_bytes(pickle.dumps(Payload()))
        assert f.read_bytes()[:1] == b"\x80"  # (a real pickle: loading it would run the command)
    for f in raw_copy.rglob("*.*"):
        st = f.stat()
        os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns + 1))
    main(["ingest", str(raw_copy), "--out", str(out), "--quiet"])
    assert not ran.exists()
    assert sql(out, "SELECT parsed, reused FROM loads") == [(12, 0)]
    assert snapshot(out) == before
    assert all(f.read_bytes()[:4] == b"PAR1" for f in (out / ".cache" / "results").rglob("*") if f.is_file())  # rewritten as Parquet


def test_deleted_cache_files_mean_parsing_again(raw_copy, tmp_path):
    out = tmp_path / "out"
    main(["ingest", str(raw_copy), "--out", str(out), "--quiet"])
    before = snapshot(out)
    for f in (out / ".cache" / "results").rglob("*.parquet"):
        f.unlink()
    (raw_copy / "nih" / "new copy.txt").write_bytes(next((raw_copy / "nih").iterdir()).read_bytes() + b"\n")
    main(["ingest", str(raw_copy), "--out", str(out), "--quiet"])
    assert sql(out, "SELECT parsed, reused FROM loads") == [(13, 0)]
    (raw_copy / "nih" / "new copy.txt").unlink()
    main(["ingest", str(raw_copy), "--out", str(out), "--quiet"])
    assert sql(out, "SELECT parsed, reused FROM loads") == [(0, 12)]
    assert snapshot(out) == before


def test_newer_crawl_of_a_role_is_a_second_version(raw_copy, tmp_path):
    import os

    old = raw_copy / "salary_com" / "customer_service_manager.html"
    new = raw_copy / "salary_com" / "customer_service_manager (recrawl).html"
    new.write_text(old.read_text(encoding="utf-8").replace("$100,228", "$104,500"), encoding="utf-8")
    os.utime(old, (1_700_000_000, 1_700_000_000))
    os.utime(new, (1_760_000_000, 1_760_000_000))
    out = tmp_path / "out"
    main(["ingest", str(raw_copy), "--out", str(out), "--quiet"])
    # Both versions are kept, salaries are not merged, the current view takes the newest.
    assert sql(out, """SELECT s.amount FROM salaries s JOIN documents d USING (document_id)
                       WHERE s.role_id = 'salary_com:customer-service-manager' AND s.kind = 'base' ORDER BY d.file_modified_at""") == [(100228.0,), (104500.0,)]
    assert sql(out, "SELECT version, path LIKE '%recrawl%' FROM role_history WHERE role_id = 'salary_com:customer-service-manager' ORDER BY version") == [(1, True), (2, False)]
    (current,) = sql(out, "SELECT document_id, versions FROM roles_current WHERE role_id = 'salary_com:customer-service-manager'")
    assert current[1] == 2
    assert sql(out, f"SELECT amount FROM salaries WHERE document_id = '{current[0]}' AND kind = 'base'") == [(104500.0,)]


def test_tables_streamed_in_chunks_of_one_file_are_the_same(catalog, tmp_path, monkeypatch):
    import pipeline.pool

    monkeypatch.setattr(pipeline.pool, "CHUNK_FILES", 1)  # every document its own chunk, Arrow batch and span
    out = tmp_path / "batched"
    assert main(["ingest", str(RAW), "--out", str(out), "--quiet"]) == 0
    assert snapshot(out) == snapshot(catalog)
    for t in TABLES:
        if t.name not in ("loads", "documents"):
            assert (out / "parquet" / f"{t.name}.parquet").read_bytes() == (catalog / "parquet" / f"{t.name}.parquet").read_bytes(), t.name


def test_parsing_a_chunk_imports_neither_pyarrow_nor_pandas():
    # Parsing needs neither: a worker writes its chunk's Parquet files with the pyarrow the
    # ingest process imported before forking it (pandas never: pipeline.rows).
    code = ("import sys; from pathlib import Path; from pipeline.pool import parse_chunk; "
            f"files = sorted(str(p) for p in Path({str(RAW)!r}).rglob('*.*') if p.suffix != '.md'); "
            "results = parse_chunk(None, files); assert all(r.status != 'failed' for r in results); "
            "print(sorted(m for m in ('pyarrow', 'pandas', 'duckdb') if m in sys.modules))")
    rc, out, err = python_output(code)
    assert (rc, out) == (0, "[]"), err


def test_page_saved_as_mhtml_is_ingested(raw_copy, tmp_path):
    from markup_variants import blink_mhtml

    html = (raw_copy / "salary_com" / "top_customer_service_executive.html").read_bytes()
    (raw_copy / "salary_com" / "top_customer_service_executive.mhtml").write_bytes(blink_mhtml(html))
    out = tmp_path / "out"
    assert main(["ingest", str(raw_copy), "--out", str(out), "--quiet"]) == 0
    assert sql(out, "SELECT format, status, vendor, title FROM documents WHERE path LIKE '%.mhtml'") == [
        ("mhtml", "ok", "salary_com", "Top Customer Service Executive")]


def test_a_second_ingest_into_the_same_folder_fails_at_once_or_waits(tmp_path, capsys):
    """One writer per --out: while another process holds the folder's lock, an ingest says who
    does and changes nothing; with --wait it runs once the lock is free. The lock of a process
    that died is free (the operating system releases it)."""
    import subprocess
    import sys
    import time

    out = tmp_path / "out"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from pathlib import Path; from pipeline.lock import writer_lock\n"
        f"with writer_lock(Path({str(out)!r})):\n    print('locked', flush=True); time.sleep(3)\n")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "locked\n"
        assert main(["ingest", str(RAW / "nih"), "--out", str(out), "--quiet"]) == 1
        assert capsys.readouterr().err == f"error: another ingest (pid {holder.pid}) is writing {out}; wait for it, or run with --wait\n"
        assert not (out / "catalog.duckdb").exists()
        started = time.monotonic()
        assert main(["ingest", str(RAW / "nih"), "--out", str(out), "--quiet", "--wait"]) == 0
        assert time.monotonic() - started > 1  # it waited for the holder to finish
    finally:
        holder.kill()
        holder.wait()
    assert sql(out, "SELECT count(*) FROM documents") == [(1,)]


def test_the_lock_of_a_killed_ingest_does_not_block_the_next(tmp_path):
    import subprocess
    import sys

    out = tmp_path / "out"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import time; from pathlib import Path; from pipeline.lock import writer_lock\n"
        f"with writer_lock(Path({str(out)!r})):\n    print('locked', flush=True); time.sleep(60)\n")], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline() == "locked\n"
    holder.kill()  # kill -9: no clean-up ran, the lock file is still there
    holder.wait()
    assert (out / ".lock").read_text() == f"{holder.pid}\n"
    assert main(["ingest", str(RAW / "nih"), "--out", str(out), "--quiet"]) == 0


def test_a_load_that_fails_leaves_no_staging_folder_and_the_catalog_as_it_was(raw_copy, tmp_path, monkeypatch):
    import pipeline.load

    out = tmp_path / "out"
    main(["ingest", str(raw_copy), "--out", str(out), "--quiet"])
    before = snapshot(out)
    (raw_copy / "nih" / "new copy.txt").write_bytes(next((raw_copy / "nih").iterdir()).read_bytes() + b"\n")

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pipeline.load, "write_duckdb", disk_full)
    assert main(["ingest", str(raw_copy), "--out", str(out), "--quiet"]) == 1
    assert [p.name for p in (out / ".loads").iterdir() if p.name.endswith(".partial")] == []
    assert snapshot(out) == before


OTHER_DEFINITION = "Knowledge of and ability to apply SYNTHETIC practices with a customer."


def test_pages_that_disagree_keep_the_first_by_path_and_warn_on_the_later(tmp_path):
    # SYNTHETIC variants of the REAL page raw/kenexa/customer_interaction.txt: the first by path
    # has no definition line (a later page fills it), the last gives another definition (kept
    # out, with a warning on that page, numbered after its own warnings).
    page = (RAW / "kenexa" / "customer_interaction.txt").read_text(encoding="utf-8")
    definition = "Knowledge of and ability to utilize practices, tools, and techniques for communicating with a customer."
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a_no_definition.txt").write_text(page.replace(definition + "\n", ""), encoding="utf-8")
    (folder / "b_as_published.txt").write_text(page, encoding="utf-8")
    (folder / "c_other_definition.txt").write_text(page.replace(definition, OTHER_DEFINITION), encoding="utf-8")
    out = tmp_path / "out"
    main(["ingest", str(folder), "--out", str(out), "--quiet"])
    assert sql(out, "SELECT name, definition FROM competencies") == [("Customer Interaction", definition)]
    assert sql(out, """SELECT d.path, w.code, w.message, w.seq = (SELECT max(seq) FROM parse_warnings x WHERE x.document_id = w.document_id)
                       FROM parse_warnings w JOIN documents d USING (document_id) WHERE w.code = 'conflicting_value'""") == [
        (str(folder / "c_other_definition.txt"), "conflicting_value",
         f"Customer Interaction: this document's definition {OTHER_DEFINITION!r} differs from {definition!r} given by an earlier "
         "document; the earlier one is kept", True)]
    # the behaviors of the three pages are one set, each kept once with the first page that gave it
    assert sql(out, "SELECT count(*), count(DISTINCT text), min(d.path) FROM behaviors b JOIN documents d USING (document_id)") == [
        (sql(out, "SELECT count(DISTINCT (level, text)) FROM behaviors")[0][0],) * 2 + (str(folder / "a_no_definition.txt"),)]


def test_a_chunk_written_again_under_other_limits_replaces_the_earlier_one(tmp_path):
    # A file that timed out has the same id and chunk name under any --file-timeout, not the
    # same message: the chunk of the later run is the one kept (nothing left of the first).
    from pipeline.chunks import RESULTS, write_chunk
    from pipeline.parse import FileLimits, timed_out

    path = str(tmp_path / "slow.html")
    first = write_chunk(tmp_path / "results", [timed_out(path, FileLimits(seconds=5))])
    second = write_chunk(tmp_path / "results", [timed_out(path, FileLimits(seconds=90))])
    assert first.name == second.name and first.documents == second.documents
    assert pq.read_table(tmp_path / "results" / second.name / f"{RESULTS}.parquet").column("error").to_pylist() == [
        "parsing the file took longer than 90 s (--file-timeout): stopped; the file is not loaded"]
    assert [p.name for p in (tmp_path / "results").iterdir()] == [second.name]
