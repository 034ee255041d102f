"""Key checks: one SQL query per primary, unique and foreign key the schema declares.

tests/conftest.py runs them on every catalog the tests write (through pipeline.load.write_catalog);
tests/test_keys.py shows they catch a duplicate and a dangling reference.
"""

from __future__ import annotations

from pipeline.schema import TABLES, Table


def _cols(columns: tuple[str, ...]) -> str:
    return ", ".join(columns)


def primary_key_query(t: Table) -> str:
    """Key values held by more than one row (IS NOT DISTINCT FROM: a NULL is a value here)."""
    return f"SELECT {_cols(t.primary_key)}, count(*) AS rows FROM {t.name} GROUP BY ALL HAVING count(*) > 1 LIMIT 5"


def unique_key_query(t: Table, key: tuple[str, ...]) -> str:
    """Values of a unique key held by more than one row, NULLs left out (as SQL's UNIQUE)."""
    not_null = " AND ".join(f"{c} IS NOT NULL" for c in key)
    return f"SELECT {_cols(key)}, count(*) AS rows FROM {t.name} WHERE {not_null} GROUP BY ALL HAVING count(*) > 1 LIMIT 5"


def foreign_key_queries(t: Table) -> list[tuple[str, str]]:
    """(what, query) per foreign key: values, none of them NULL, that the referred table lacks."""
    out = []
    for fk in t.foreign_keys:
        on = " AND ".join(f"t.{c} = r.{rc}" for c, rc in zip(fk.columns, fk.ref_columns))
        not_null = " AND ".join(f"t.{c} IS NOT NULL" for c in fk.columns)
        query = (f"SELECT DISTINCT {', '.join('t.' + c for c in fk.columns)} FROM {t.name} t "
                 f"ANTI JOIN {fk.ref_table} r ON {on} WHERE {not_null} LIMIT 5")
        out.append((f"{t.name} ({_cols(fk.columns)}) -> {fk.ref_table} ({_cols(fk.ref_columns)})", query))
    return out


def key_violations(con) -> list[str]:
    """Every key that does not hold in the catalog open on `con`, with a few offending values."""
    problems = []
    for t in TABLES:
        if rows := con.execute(primary_key_query(t)).fetchall():
            problems.append(f"{t.name}: primary key ({_cols(t.primary_key)}) not unique: {rows}")
        for key in t.unique:
            if rows := con.execute(unique_key_query(t, key)).fetchall():
                problems.append(f"{t.name}: ({_cols(key)}) not unique: {rows}")
        for what, query in foreign_key_queries(t):
            if rows := con.execute(query).fetchall():
                problems.append(f"{what}: no row for {rows}")
    return problems
