"""Competency catalog pipeline: vendor competency documents -> one role / competency / level schema.

Stages: readers/ (extract: bytes -> Document), vendors/ (transform: Document -> rows, one
module per vendor), chunks.py (each chunk's rows on disk), merge.py (merge across documents,
in DuckDB), load.py (Parquet + DuckDB).
The schema is declared once in schema.py.
"""

__version__ = "0.1.0"

# Set by the command-line tool (cli.console) in its own process: pyarrow's one look for pandas
# there finds none (pipeline.rows.pyarrow_module says why). Kept here, not in pipeline.rows, so
# that setting it imports nothing (a re-ingest that finds nothing changed never loads the schema).
ARROW_WITHOUT_PANDAS = False
