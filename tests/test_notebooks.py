"""Both notebooks run top to bottom against a catalog built from raw/, and their plots are labelled."""

from __future__ import annotations

import nbformat
import pandas as pd
import pytest
from conftest import RAW, ROOT
from nbclient import NotebookClient

from pipeline.cli import main

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    out = tmp_path_factory.mktemp("nb")
    main(["ingest", str(RAW), "--out", str(out), "--quiet"])
    return out / "catalog.duckdb"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_and_draws(path, catalog, monkeypatch):
    monkeypatch.setenv("COMPCAT_CATALOG", str(catalog))
    nb = nbformat.read(path, as_version=4)
    assert all(c.get("outputs", []) == [] for c in nb.cells if c.cell_type == "code"), "commit notebooks without outputs"
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    images = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if "image/png" in o.get("data", {})]
    assert images, "the notebook drew no plot"


def test_plots_have_titles_axis_labels_and_units(catalog, monkeypatch):
    import duckdb

    from pipeline import plots

    con = duckdb.connect(str(catalog), read_only=True)
    roles = con.sql("SELECT * FROM role_summary WHERE vendor = 'salary_com'").df()
    ax = plots.salary_vs_proficiency(roles).axes[0]
    assert "thousand USD" in ax.get_ylabel() and "0-100" in ax.get_xlabel() and ax.get_title()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["complete page (3 roles)", "partial page (2 roles): few competencies shown"]
    cov = con.sql("SELECT * FROM vendor_match_coverage").df()
    ax = plots.vendor_coverage_bars(cov).axes[0]
    assert "(%)" in ax.get_ylabel() and ax.get_xlabel() and ax.get_title()
    matrix = pd.DataFrame([[0.5]], index=pd.Index(["A"], name="rows"), columns=pd.Index(["B"], name="cols"))
    fig = plots.crosswalk_heatmap(matrix, "t")
    assert fig.axes[0].get_xlabel() == "cols" and fig.axes[1].get_ylabel() == "match score (0-1)"
