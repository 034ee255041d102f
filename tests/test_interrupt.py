"""A load killed at any moment leaves the previous catalog readable and unchanged."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import duckdb
import pytest
from conftest import RAW, ROOT

from pipeline.cli import main

HTML = sorted((RAW / "salary_com").glob("*.html")) + [RAW / "kenexa" / "customer_service_management.html"]


@pytest.fixture(scope="module")
def big_corpus(tmp_path_factory):
    """Real pages made distinct by a trailing comment, enough for a load of a few seconds."""
    root = tmp_path_factory.mktemp("corpus")
    for n in range(60):
        for page in HTML:
            (root / f"{page.stem}_{n}.html").write_bytes(page.read_bytes() + f"<!-- copy {n} -->".encode())
    pdf = (RAW / "caliper" / "client_service_specialist.pdf").read_bytes()
    for n in range(8):
        (root / f"model_{n}.pdf").write_bytes(pdf + f"\n% copy {n}\n".encode())
    return root


def snapshot(out):
    con = duckdb.connect(str(out / "catalog.duckdb"), read_only=True)
    try:
        return con.execute("SELECT document_id, status FROM documents ORDER BY ALL").fetchall(), con.execute("SELECT count(*) FROM behaviors").fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("delay, sig", [(0.3, signal.SIGKILL), (0.9, signal.SIGKILL), (1.6, signal.SIGKILL), (0.6, signal.SIGINT)])
def test_killed_ingest_leaves_previous_catalog(big_corpus, tmp_path, delay, sig):
    out = tmp_path / "normalized"
    assert main(["ingest", str(RAW / "kenexa"), "--out", str(out), "--quiet"]) == 0
    before = snapshot(out)
    log = tmp_path / "stderr.txt"
    with open(log, "w") as err_file:
        # Its own session, like a terminal job: Ctrl-C (SIGINT) reaches the whole group;
        # SIGKILL hits the ingest process alone and its workers must not outlive it.
        # --replace: the catalog of raw/kenexa replaced by one of the corpus (without it, the ingest stops at once)
        proc = subprocess.Popen([sys.executable, "-m", "pipeline", "ingest", str(big_corpus), "--out", str(out), "--quiet", "--replace"],
                                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err_file, start_new_session=True)
        time.sleep(delay)
        if sig == signal.SIGINT:
            os.killpg(proc.pid, sig)
        else:
            proc.send_signal(sig)
        proc.wait(timeout=60)
    err = log.read_text()
    after = snapshot(out)  # readable whatever the moment of the kill
    if after != before:  # the kill came after the atomic switch: the new catalog is whole
        assert len(after[0]) == len(HTML) * 60 + 8
    if sig == signal.SIGINT:  # Ctrl-C: either it stopped cleanly with nothing written, or it had already finished
        # Exit 130, or death by SIGINT once its message is out (a shell shows both as 130: on a
        # loaded machine the process can end by the signal itself after saying so).
        interrupted = proc.returncode in (130, -signal.SIGINT)
        assert ((interrupted and after == before and "interrupted: nothing was written" in err)
                or (interrupted and after != before and "interrupted after the new catalog was switched in" in err)
                or (proc.returncode == 0 and after != before)), (proc.returncode, err)
        assert "Traceback" not in err  # workers leave Ctrl-C to the ingest process
    else:
        assert proc.returncode in (-signal.SIGKILL, 0)
    # The next ingest cleans up whatever the killed one left behind and succeeds.
    assert main(["ingest", str(RAW / "kenexa"), "--out", str(out), "--quiet", "--replace"]) == 0
    assert [p.name for p in (out / ".loads").iterdir()] == [(out / "current").readlink().name]


def test_ctrl_c_during_the_duckdb_load_is_an_interrupt_not_an_error(tmp_path, monkeypatch, capsys):
    import pipeline.load

    out = tmp_path / "normalized"
    assert main(["ingest", str(RAW / "kenexa"), "--out", str(out), "--quiet"]) == 0
    before = snapshot(out)

    def interrupted(con, folder, which):  # what DuckDB raises when Ctrl-C arrives during a query
        raise RuntimeError("Query interrupted")

    monkeypatch.setattr(pipeline.load, "_write_parquet", interrupted)
    assert main(["ingest", str(RAW), "--out", str(out), "--quiet"]) == 130
    assert capsys.readouterr().err == f"interrupted: nothing was written; {out}/catalog.duckdb is unchanged\n"
    assert snapshot(out) == before


def test_ctrl_c_after_the_switch_says_the_new_catalog_is_complete(tmp_path, monkeypatch, capsys):
    import pipeline.cache

    out = tmp_path / "normalized"
    assert main(["ingest", str(RAW / "kenexa"), "--out", str(out), "--quiet"]) == 0
    before = snapshot(out)

    def interrupted(self, files, documents, chunks):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline.cache.Cache, "save", interrupted)  # the manifest is saved after the switch
    assert main(["ingest", str(RAW), "--out", str(out), "--quiet"]) == 130
    assert capsys.readouterr().err == (f"interrupted after the new catalog was switched in: {out}/catalog.duckdb is complete; "
                                       "the next ingest parses again what this one could not record\n")
    after = snapshot(out)
    assert after != before and len(after[0]) == 12
