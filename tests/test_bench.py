"""`make bench` keeps working: the benchmark runs end to end on a tiny generated corpus and
reports every figure the performance issue asks for (no timing is asserted: speed is read
from `make bench` on the full corpus, not from tests)."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT


def test_bench_reports_every_figure_on_a_tiny_corpus(tmp_path):
    out = tmp_path / "bench.json"
    proc = subprocess.run([sys.executable, "tools/bench.py", "--html", "20", "--pdf", "1", "--repeat", "1", "--work", str(tmp_path / "work"),
                           "--out", str(out)], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    r = json.loads(out.read_text(encoding="utf-8"))
    assert r["corpus"] == {"html_pages": 20, "html_mib": r["corpus"]["html_mib"], "pdfs": 1}
    assert isinstance(r["html_floor"]["read_bytes_seconds"], float)  # 20 small files: may round to 0.000 s
    for figure, keys in {"html_floor": ("lxml_seconds",), "pdf_floor": ("pdfplumber_words_seconds",),
                         "html_ingest_1": ("seconds", "peak_rss_mib"), "html_ingest_all": ("seconds", "peak_rss_mib"),
                         "html_noop": ("seconds",), "html_add_one": ("seconds",), "html_ingest_quarter": ("seconds", "peak_rss_mib"),
                         "pdf_ingest_1": ("seconds", "peak_rss_mib"), "pdf_ingest_all": ("seconds", "peak_rss_mib")}.items():
        assert all(r[figure][k] > 0 for k in keys), figure
    assert set(r["ratios"]) == {"html_ingest_1_worker_vs_lxml_floor", "html_ingest_all_cores_vs_lxml_floor", "pdf_ingest_1_worker_vs_pdfplumber_floor",
                                "pdf_ingest_all_cores_vs_pdfplumber_floor", "html_parallel_speedup", "pdf_parallel_speedup",
                                "full_vs_noop_reingest", "full_vs_one_page_added", "peak_memory_full_vs_quarter"}
    per_round = r["ratios_per_round"]  # one round: its ratios are the headline ones
    assert per_round == {k: [r["ratios"][k]] for k in ("html_ingest_1_worker_vs_lxml_floor", "html_ingest_all_cores_vs_lxml_floor",
                                                    "pdf_ingest_1_worker_vs_pdfplumber_floor")}
    assert f"html_ingest_all_cores_vs_lxml_floor in each round: {per_round['html_ingest_all_cores_vs_lxml_floor'][0]:.2f}x" in proc.stdout
    assert len(r["targets"]) == 8 and all(isinstance(met, bool) for met in r["targets"].values())
    assert "peak memory < 1 GiB in every ingest (HTML and PDF, 1 worker and all)" in r["targets"]
    assert set(r["views_ms_100k_roles"]) == {"role_summary", "role_summary (one role)", "coverage", "vendor_coverage",
                                             "competency_requirements (one competency)", "vendor_match_coverage"}
    stages = r["html_stages"]
    assert stages["pages"] == 20  # the sample: all 16 Salary.com and 4 Kenexa pages
    assert [s["stage"] for s in stages["stages"]] == [
        "lxml floor (tree + text)", "reader: tree (scripts cut, decoded, parsed)", "+ markup pass (libxslt)", "+ blocks (read_html)",
        "+ vendor parser, row checks, hash (parse_file)", "+ chunk columns, cache file (parse_chunk)"]
    for s in stages["stages"]:  # what is printed is what bench.json holds
        assert s["ms_per_page"] > 0 and f"{s['stage']:<48} {s['ms_per_page']:7.3f} ms/page {s['x_floor']:6.2f}x floor" in proc.stdout
    for line in ("lxml floor (1 process)", "ingest, 1 worker", "no-op re-ingest", "one page added", "pdfplumber floor", "parallel speedup (HTML)",
                 "where the time goes, 20 pages in one process", "+ vendor parser, row checks, hash (parse_file)"):
        assert line in proc.stdout
