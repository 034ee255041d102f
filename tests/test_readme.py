"""The README's examples run as written (in a scratch folder holding a copy of raw/)."""

from __future__ import annotations

import re
import shlex

from conftest import ROOT

from pipeline.cli import main

README = (ROOT / "README.md").read_text(encoding="utf-8")


def blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README, re.S)


def test_quick_start_is_the_two_make_commands():
    quick = blocks("sh")[0]
    assert [line.split("#")[0].strip() for line in quick.strip().splitlines()] == ["make ingest", "make test"]


MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")
COMMAND = ".venv/bin/compcat "  # where `make ingest` installs it: the README shows it so, to work as printed after `make ingest`


def make_ingest_commands() -> tuple[list[str], str]:
    """The pipeline command `make ingest` runs, and the next command it prints."""
    recipe = re.search(r"^ingest:.*\n((?:\t.*\n)+)", MAKEFILE, re.M).group(1)
    runs = [shlex.split(line.strip())[3:] for line in recipe.splitlines() if "-m pipeline" in line]
    printed = re.search(r'echo "next: (\S+ \S+)', recipe).group(1)
    return runs[0], printed


def test_make_ingest_prints_the_readmes_next_command():
    _, printed = make_ingest_commands()
    first = blocks("sh")[1].splitlines()[0]
    assert first == printed == ".venv/bin/compcat report"
    assert all(line.startswith(COMMAND) for line in blocks("sh")[1].splitlines())


def test_command_line_and_notebook_examples_run(raw_copy, monkeypatch, capsys):
    monkeypatch.chdir(raw_copy.parent)
    monkeypatch.delenv("COMPCAT_CATALOG", raising=False)
    ingest_args, _ = make_ingest_commands()
    assert main(ingest_args + ["--quiet"]) == 0  # `make ingest`
    commands = [line for block in blocks("sh") for line in block.splitlines() if line.startswith(COMMAND)]
    assert len(commands) >= 5
    for line in commands:
        assert main(shlex.split(line)[1:]) == 0, line
    monkeypatch.setenv("COMPCAT_CATALOG", str(raw_copy.parent / "normalized"))  # (this copy's catalog, not the repository's)
    for code in blocks("python"):
        exec(compile(code, "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "Client Service Specialist II" in out and "| caliper  | Service focus            | Interpersonal Dynamics |" in out
    assert (raw_copy.parent / "normalized" / "exports" / "case" / "caliper.json").exists()


def test_the_command_line_from_another_folder_as_printed(raw_copy, monkeypatch, capsys, tmp_path):
    block = next(b for b in blocks("sh") if "COMPCAT_CATALOG" in b)
    repository = raw_copy.parent
    assert main(["ingest", "--catalog", str(repository / "normalized"), str(raw_copy), "--quiet"]) == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    lines = block.replace("/path/to/the/repository", str(repository)).splitlines()
    variable, value = re.fullmatch(r"export (\w+)=(\S+)", lines[0]).groups()
    monkeypatch.setenv(variable, value)
    for line in lines[1:]:
        assert main(shlex.split(line)[1:]) == 0, line
    assert "Catalog load" in capsys.readouterr().out
