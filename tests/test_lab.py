"""`make lab`: JupyterLab in the project's environment, with a kernel named after the project.
The kernel spec is installed for real (into a scratch prefix); the server is not started."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import ROOT


def _make(*args: str, **env: str) -> subprocess.CompletedProcess:
    # -o: the environment's install stamp counts as up to date (a test never bootstraps .venv).
    return subprocess.run(["make", "--no-print-directory", "-o", ".venv/.installed", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=120)


def test_lab_kernel_installs_a_compcat_kernel_running_this_python(tmp_path):
    done = _make("lab-kernel", f"PY={sys.executable}", f"KERNEL_PREFIX={tmp_path}")
    assert done.returncode == 0, done.stderr
    spec = json.loads((tmp_path / "share" / "jupyter" / "kernels" / "compcat" / "kernel.json").read_text(encoding="utf-8"))
    assert spec["display_name"] == "compcat" and spec["language"] == "python"
    assert spec["argv"][0] == sys.executable and spec["argv"][-4:] == ["-m", "ipykernel_launcher", "-f", "{connection_file}"]
    listed = subprocess.run([sys.executable, "-m", "jupyter", "kernelspec", "list", "--json"], capture_output=True, text=True,
                            env={**os.environ, "JUPYTER_PATH": str(tmp_path / "share" / "jupyter")}, check=True)
    assert "compcat" in json.loads(listed.stdout)["kernelspecs"]


def test_make_lab_opens_jupyterlab_on_the_notebooks_after_the_kernel():
    planned = _make("-n", "lab").stdout.splitlines()
    assert planned[0].endswith("-m ipykernel install --prefix .venv --name compcat --display-name \"compcat\"")
    assert planned[-1] == ".venv/bin/jupyter lab --ServerApp.root_dir=notebooks" + (" --allow-root" if os.getuid() == 0 else "")
    assert "test -e normalized/catalog.duckdb || make ingest" in planned
