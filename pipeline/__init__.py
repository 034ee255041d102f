"""Competency catalog pipeline: vendor competency documents -> one role / competency / level schema.

Stages: readers/ (extract: bytes -> Document), vendors/ (transform: Document -> rows, one
module per vendor), catalog.py (merge across documents), load.py (Parquet + DuckDB).
The schema is declared once in schema.py.
"""

__version__ = "0.1.0"
