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


def test_command_line_and_notebook_examples_run(raw_copy, monkeypatch, capsys):
    monkeypatch.chdir(raw_copy.parent)
    commands = [line for block in blocks("sh") for line in block.splitlines() if line.startswith("compcat ")]
    assert len(commands) >= 4
    for line in commands:
        assert main(shlex.split(line)[1:]) == 0, line
    for code in blocks("python"):
        exec(compile(code, "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "Client Service Specialist II" in out and "| caliper | Service focus | Interpersonal Dynamics |" in out
    assert (raw_copy.parent / "normalized" / "exports" / "case" / "caliper.json").exists()
