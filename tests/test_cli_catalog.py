"""The command line from any folder (--catalog, $COMPCAT_CATALOG), an ingest that never drops
documents silently, and its progress on a terminal."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import RAW, ROOT

from pipeline.cli import IngestProgress, main
from pipeline.ingest import ingest


def snapshot(out) -> dict[str, str]:
    """Every file and link of a catalog folder (but the lock file, which holds the last writer's pid)."""
    found = {}
    for folder, dirs, files in os.walk(out):
        for name in dirs + files:
            path = os.path.join(folder, name)
            if name == ".lock":
                continue
            if os.path.islink(path):
                found[path] = "-> " + os.readlink(path)
            elif os.path.isfile(path):
                found[path] = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return found


def paths_in(out) -> list[str]:
    with duckdb.connect(str(out / "catalog.duckdb"), read_only=True) as con:
        return [p for (p,) in con.execute("SELECT path FROM document_paths ORDER BY path").fetchall()]


def test_every_command_works_from_another_folder(tmp_path, monkeypatch, capsys):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    catalog = tmp_path / "catalog"
    monkeypatch.setenv("COMPCAT_CATALOG", str(catalog))
    assert main(["ingest", str(RAW / "nih"), "--quiet"]) == 0  # written where the variable says
    assert (catalog / "catalog.duckdb").exists() and os.listdir(elsewhere) == []
    assert main(["report"]) == 0
    assert "Catalog load" in capsys.readouterr().out
    assert main(["query", "SELECT count(*) AS n FROM documents", "--format", "csv"]) == 0
    assert capsys.readouterr().out == "n\n1\n"
    assert main(["export", "--format", "csv", "--out", "exports"]) == 0
    assert (elsewhere / "exports" / "documents.csv").exists()
    monkeypatch.setenv("COMPCAT_CATALOG", str(tmp_path / "nothing here"))
    assert main(["query", "SELECT 1", "--catalog", str(catalog)]) == 0  # --catalog wins over the variable
    monkeypatch.delenv("COMPCAT_CATALOG")
    assert main(["report", "--catalog", str(catalog / "catalog.duckdb")]) == 0  # the file itself, as before


def test_the_installed_command_runs_from_another_folder(tmp_path):
    out = tmp_path / "catalog"
    env = {**os.environ, "COMPCAT_CATALOG": str(out), "PYTHONPATH": str(ROOT)}
    run = [sys.executable, "-m", "pipeline"]
    done = subprocess.run(run + ["ingest", str(RAW / "nih"), "--quiet"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (out / "catalog.duckdb").exists() and not (tmp_path / "normalized").exists()  # where the variable says, not here
    done = subprocess.run(run + ["query", "SELECT vendor FROM documents", "--format", "csv"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (0, "vendor\nnih\n", "")


def test_ingesting_other_paths_stops_and_keeps_the_catalog(raw_copy, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["ingest", str(raw_copy), "--out", str(out), "--quiet"]) == 0
    before = snapshot(out)
    # What replaced a 12-document catalog with a 1-document one, exit 0, without a word.
    assert main(["ingest", str(raw_copy / "nih" / "federal_budget_process.txt"), "--out", str(out)]) == 2
    assert capsys.readouterr().err == (f"error: the catalog at {out} holds 11 document(s) from paths not given "
                                       f"(e.g. {raw_copy}/caliper/client_service_specialist.pdf); add them to the command, or pass --replace to drop them\n")
    assert snapshot(out) == before
    assert main(["ingest", str(raw_copy / "nih"), str(raw_copy / "kenexa"), "--out", str(out), "--quiet"]) == 2
    assert "holds 7 document(s) from paths not given" in capsys.readouterr().err
    assert snapshot(out) == before
    assert main(["ingest", str(raw_copy), str(tmp_path / "more"), "--out", str(out), "--quiet"]) == 2  # (a path not found: as before)
    assert capsys.readouterr().err == f"error: path not found: {tmp_path / 'more'}\n"
    (tmp_path / "more").mkdir()
    shutil.copy(RAW / "nih" / "federal_budget_process.txt", tmp_path / "more" / "budget copy.txt")
    assert main(["ingest", str(raw_copy), str(tmp_path / "more"), "--out", str(out), "--quiet"]) == 0  # adding: the old paths with the new
    assert len(paths_in(out)) == 13
    assert main(["ingest", str(raw_copy / "nih"), "--out", str(out), "--replace", "--quiet"]) == 0
    assert paths_in(out) == [str(raw_copy / "nih" / "federal_budget_process.txt")]


def test_a_file_deleted_from_a_folder_given_just_goes(raw_copy, tmp_path):
    out = tmp_path / "out"
    assert main(["ingest", str(raw_copy), "--out", str(out), "--quiet"]) == 0
    (raw_copy / "nih" / "federal_budget_process.txt").unlink()
    assert main(["ingest", str(raw_copy), "--out", str(out), "--quiet"]) == 0
    assert len(paths_in(out)) == 11 and not any("nih" in p for p in paths_in(out))


def test_the_same_files_named_from_another_folder_are_not_other_paths(raw_copy, tmp_path, monkeypatch):
    out = tmp_path / "out"
    monkeypatch.chdir(raw_copy.parent)
    assert main(["ingest", "raw", "--out", str(out), "--quiet"]) == 0  # relative paths
    monkeypatch.chdir(tmp_path / "out")
    assert main(["ingest", str(raw_copy), "--out", str(out), "--quiet"]) == 0  # the same files, absolute
    assert main(["ingest", "../raw/nih", "--out", str(out), "--quiet"]) == 2  # relative to this folder: a part of them
    (tmp_path / "link").symlink_to(raw_copy)
    assert main(["ingest", str(tmp_path / "link"), "--out", str(out), "--quiet"]) == 0  # the same folder through a link


def test_an_empty_input_is_a_usage_error_and_keeps_the_catalog(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["ingest", str(RAW / "nih"), "--out", str(out), "--quiet"]) == 0
    before = snapshot(out)
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.docx").write_bytes(b"SYNTHETIC")
    for extra in ([], ["--replace"]):
        assert main(["ingest", str(empty), "--out", str(out), *extra]) == 2
        assert capsys.readouterr().err == (f"error: nothing to ingest: no .html, .htm, .mhtml, .mht, .webarchive, .pdf or .txt file in {empty} "
                                           f"(1 file(s) of other types, e.g. {empty}/notes.docx); the catalog in {out} was not changed\n")
        assert snapshot(out) == before


def test_the_library_reports_each_stage_then_the_files_parsed(tmp_path):
    calls = []
    ingest([str(RAW / "kenexa")], tmp_path / "out", workers=1, progress=lambda *call: calls.append(call))
    assert [c[0] for c in calls if c[1] == 0] == ["discover", "parse", "crosswalk", "write"]
    assert [c for c in calls if c[0] == "parse"] == [("parse", 0, 4), ("parse", 1, 4), ("parse", 2, 4), ("parse", 3, 4), ("parse", 4, 4)]


def test_progress_on_a_terminal_shows_stages_and_time_left():
    from rich.console import Console

    screen = io.StringIO()
    progress = IngestProgress(Console(file=screen, force_terminal=True, width=120, color_system=None))
    for stage, done, total in [("parse", 0, 4), ("parse", 2, 4), ("crosswalk", 0, None), ("write", 0, None)]:
        progress(stage, done, total)
    progress.close()
    last_picture = screen.getvalue().rsplit("\x1b[2K", 1)[-1].replace("\x1b[?25h", "")  # (after the last "erase line"; without "show the cursor")
    final = last_picture.replace("\r", "").splitlines()
    assert [line.split()[:2] for line in final[-4:]] == [["✓", "discover"], ["✓", "parse"], ["✓", "crosswalk"], ["✓", "write"]]
    parse = final[-3]
    assert "4/4 100% ETA 0:00:00 elapsed" in parse
    assert "ETA" not in final[-2] and "elapsed" in final[-2]


@pytest.mark.parametrize("quiet", [[], ["--quiet"]])
def test_no_progress_when_standard_error_is_no_terminal(tmp_path, capsys, quiet):
    assert main(["ingest", str(RAW / "nih"), "--out", str(tmp_path / "out"), *quiet]) == 0
    assert capsys.readouterr().err == ""


def test_the_same_folder_written_another_way_reuses_every_result(tmp_path, monkeypatch, capsys):
    """`./raw` and `raw/` are `raw`: the files keep their paths and nothing is parsed again."""
    shutil.copytree(RAW / "nih", tmp_path / "raw")
    monkeypatch.chdir(tmp_path)
    assert main(["ingest", "raw", "--catalog", "out", "--quiet"]) == 0
    for spelled in ("./raw", "raw/", "./raw/"):
        capsys.readouterr()
        assert main(["ingest", spelled, "--catalog", "out"]) == 0
        assert "nothing changed" in capsys.readouterr().out, spelled
    con = duckdb.connect("out/catalog.duckdb", read_only=True)
    assert [p for (p,) in con.execute("SELECT path FROM document_paths").fetchall()] == ["raw/federal_budget_process.txt"]


def test_the_notebooks_take_the_catalog_as_the_command_line_does(tmp_path):
    """COMPCAT_CATALOG set to the folder, as the README shows for the command line, works for the notebooks too."""
    from pipeline.notebook import _catalog

    assert _catalog(str(tmp_path)) == tmp_path / "catalog.duckdb"
    assert _catalog(str(tmp_path / "other.duckdb")) == tmp_path / "other.duckdb"
    assert _catalog(None) == ROOT / "normalized" / "catalog.duckdb"


def test_the_site_goes_beside_the_catalog_it_shows(tmp_path, monkeypatch, capsys):
    """From any folder, `compcat site` with the catalog from COMPCAT_CATALOG writes its site into
    that catalog folder, not into the current one."""
    assert main(["ingest", str(RAW / "nih"), "--catalog", str(tmp_path / "catalog"), "--quiet"]) == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.setenv("COMPCAT_CATALOG", str(tmp_path / "catalog"))
    assert main(["site"]) == 0
    assert (tmp_path / "catalog" / "site" / "index.html").exists() and not any(elsewhere.iterdir())
