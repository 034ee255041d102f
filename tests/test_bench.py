"""`make bench` keeps working: the benchmark runs end to end on tiny generated corpora of both
markups and reports every figure the performance issue asks for, as medians of paired rounds
(no timing is asserted: speed is read from `make bench` on the full corpora, not from tests)."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT


def test_bench_reports_paired_medians_for_both_corpora(tmp_path):
    out = tmp_path / "bench.json"
    proc = subprocess.run([sys.executable, "tools/bench.py", "--corpora", "site,lines", "--scales", "16", "--rounds", "2", "--pdf", "1",
                           "--one-worker-up-to", "16", "--stage-pages", "20", "--work", str(tmp_path / "work"), "--out", str(out)],
                          capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert proc.returncode == 0, proc.stderr
    r = json.loads(out.read_text(encoding="utf-8"))
    assert set(r["html"]) == {"site", "lines"} and all(set(scales) == {"16"} for scales in r["html"].values())
    for markup, scales in r["html"].items():
        assert scales["16"]["pages"] == 16
        for figure in ("floor_seconds", "ingest_seconds", "ingest_cpu_seconds", "ingest_peak_rss_mib", "ingest_vs_floor", "noop_seconds",
                       "full_vs_noop", "one_changed_seconds", "one_changed_share_of_full"):
            f = scales["16"][figure]
            assert len(f["rounds"]) == 2 and f["min"] <= f["median"] <= f["max"], (markup, figure)
            assert f["min"] == min(f["rounds"]) and f["max"] == max(f["rounds"])
        # Each round's ratio is its own floor and ingest, measured back to back.
        f = scales["16"]
        assert len(f["ingest_1_worker_vs_floor"]["rounds"]) == 2
        assert f["ingest_vs_floor"]["rounds"] == [round(i / fl, 3) for i, fl in zip(f["ingest_seconds"]["rounds"], f["floor_seconds"]["rounds"])]
    assert r["pdf"]["pdfs"] == 1 and len(r["pdf"]["ingest_vs_floor"]["rounds"]) == 2
    names = [t["target"] for t in r["targets"]]
    assert "site 16 pages: one changed file re-ingested in under 1 s or 5% of the full ingest" in names
    assert "lines 16 pages: full ingest, 1 worker <= 2.5x the lxml floor" in names
    assert all(isinstance(t["met"], bool) for t in r["targets"])
    site = r["html"]["site"]["16"]
    median, low, high = site["ingest_vs_floor"]["median"], site["ingest_vs_floor"]["min"], site["ingest_vs_floor"]["max"]
    assert f"  ingest, {r['machine']['cores']} workers             " in proc.stdout
    assert f"{median:.2f}x floor [{low:.2f}, {high:.2f}]" in proc.stdout
    assert "medians of 2 rounds [lowest, highest]" in proc.stdout
    assert set(r["views_ms_100k_roles"]) == {"role_summary", "role_summary (one role)", "coverage", "vendor_coverage",
                                             "competency_requirements (one competency)", "vendor_match_coverage"}
    stages = r["html_stages"]
    assert stages["pages"] == 16  # the sample: the first site corpus's pages
    for s in stages["stages"]:  # what is printed is what bench.json holds
        assert s["ms_per_page"] > 0 and f"{s['stage']:<48} {s['ms_per_page']:7.3f} ms/page {s['x_floor']:6.2f}x floor" in proc.stdout
