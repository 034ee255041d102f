"""What the notebooks share: where the catalog is (one place) and a read-only connection.

The catalog is the one `make ingest` wrote, normalized/catalog.duckdb in the repository;
set COMPCAT_CATALOG to point the notebooks at another one.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CATALOG = Path(os.environ.get("COMPCAT_CATALOG", REPO / "normalized" / "catalog.duckdb"))


def connect():
    import duckdb

    if not CATALOG.exists():
        raise FileNotFoundError(f"no catalog at {CATALOG}: run `make ingest` first")
    return duckdb.connect(str(CATALOG), read_only=True)
