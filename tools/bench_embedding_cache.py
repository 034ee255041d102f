"""The embedding cache's lookup and save, the code before (the file read whole into a dict) against
this one (the arrays mapped, only the needed rows read), on a synthetic cache of random vectors.

    python tools/bench_embedding_cache.py [--vectors 113000] [--lookup 1000] [--rounds 5] [--old-rev REV]

The cache holds `--vectors` vectors (written in the old format, then converted: both files are
there, each version reads its own), a quarter of them means of behavior lists as in a real one
(three texts and one list per competency). A lookup asks for `--lookup` competencies' vectors:
their names, definitions and texts with behaviors (`vectors`) and their behavior lists
(`mean_vectors`), all in the cache, as a warm re-ingest does. A save adds as many new texts'
vectors (random: nothing is embedded) and writes the cache. Each run is a fresh process; the
old and the new code run back to back in each round (the file in the page cache for both);
the figures are medians over the rounds with [min, max], and the median of each round's ratio. Memory: the process's peak resident
set (VmHWM, reset after the imports) above its size then, which counts the pages of a mapped
file it touched, and the peak of Python's allocations (tracemalloc, a second pass).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OLD_REV = "b3f276f"  # the last commit whose cache was read whole


def _competency_texts(i: int) -> tuple[list[str], list[str]]:
    return [f"name {i}", f"definition of competency {i}", f"competency {i} with its behaviors"], [f"behavior {i} a", f"behavior {i} b"]


def _keys(i: int) -> list[str]:
    texts, behaviors = _competency_texts(i)
    return [hashlib.sha256(t.encode("utf-8")).hexdigest()[:32] for t in texts] + ["mean:" + hashlib.sha256("\x00".join(behaviors).encode("utf-8")).hexdigest()[:32]]


def build(folder: Path, vectors: int, name: str) -> None:
    """The cache as the code before wrote it: np.savez of the sorted keys ('<U37') and vectors."""
    keys = [k for i in range(vectors // 4) for k in _keys(i)]
    order = np.argsort(np.array(keys))
    rng = np.random.default_rng(23)
    data = rng.standard_normal((len(keys), 384), dtype=np.float32)
    data /= np.linalg.norm(data, axis=1, keepdims=True)
    folder.mkdir(parents=True, exist_ok=True)
    np.savez(folder / name, keys=np.array(keys)[order], vectors=data[order])


def _module(which: str, old_rev: str, work: Path):
    if which == "new":
        from pipeline import embeddings

        return embeddings
    source = work / "old_embeddings.py"
    if not source.exists():
        source.write_text(subprocess.run(["git", "-C", str(ROOT), "show", f"{old_rev}:pipeline/embeddings.py"], check=True, capture_output=True, text=True).stdout)
    spec = importlib.util.spec_from_file_location("old_embeddings", source)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    from pipeline import embeddings

    module.TOKENIZER = embeddings.TOKENIZER  # for model_id: the same file name
    return module


def _status(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise KeyError(field)


def one(which: str, action: str, folder: Path, lookup: int, total: int, old_rev: str, work: Path) -> dict:
    """One measurement in this (fresh) process."""
    module = _module(which, old_rev, work)
    rng = np.random.default_rng()
    chosen = rng.choice(total // 4, size=lookup, replace=False)
    texts = [_competency_texts(int(i)) for i in chosen]
    if action == "save":
        counter = iter(range(10**9))
        module.encode = lambda batch: np.random.default_rng(next(counter)).standard_normal((len(batch), 384), dtype=np.float32)
        texts = [([f"new text {i} {j}" for j in range(3)], b) for i, (_, b) in enumerate(texts)]

    def run():
        cache = module.EmbeddingCache(folder)
        for column in range(3):
            cache.vectors([t[column] for t, _ in texts])
        cache.mean_vectors([b for _, b in texts])
        assert (cache.added == 0) == (action == "lookup"), cache.added
        if action == "save":
            cache.save()

    Path("/proc/self/clear_refs").write_text("5")  # VmHWM from here
    base = _status("VmRSS")
    started = time.perf_counter()
    run()
    seconds = time.perf_counter() - started
    peak = _status("VmHWM") - base
    if action == "save":
        return {"seconds": seconds, "hwm": peak}
    tracemalloc.start()
    run()
    traced = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"seconds": seconds, "hwm": peak, "traced": traced}


def _summary(values: list[float], scale: float, unit: str) -> str:
    return f"{statistics.median(values) * scale:.3f} {unit} [{min(values) * scale:.3f}, {max(values) * scale:.3f}]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vectors", type=int, default=113_000)
    parser.add_argument("--lookup", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--old-rev", default=OLD_REV)
    parser.add_argument("--one", nargs=3, metavar=("WHICH", "ACTION", "FOLDER"), help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one[0], args.one[1], Path(args.one[2]), args.lookup, args.vectors, args.old_rev, args.work)))
        return
    from pipeline.embeddings import EmbeddingCache

    work = Path(tempfile.mkdtemp(prefix="bench-embedding-cache-"))
    try:
        names = {"new": EmbeddingCache(work / "x").path.name, "old": EmbeddingCache(work / "x").old_path.name}
        build(work / "cache", args.vectors, names["old"])
        started = time.perf_counter()
        len(EmbeddingCache(work / "cache"))  # converted to the new format
        sizes = {which: (work / "cache" / name).stat().st_size / 2**20 for which, name in names.items()}
        print(f"cache: {args.vectors:,} vectors, {sizes['old']:.0f} MiB in the old format, {sizes['new']:.0f} MiB in the new (converted in {time.perf_counter() - started:.2f} s); "
              f"lookup and save of {args.lookup:,} competencies ({4 * args.lookup:,} keys)")
        results: dict[tuple[str, str], list[dict]] = {}

        def measure(which: str, action: str) -> dict:
            folder = work / "cache"
            if action == "save":  # a fresh copy of the cache to add to
                folder = work / f"save-{which}"
                shutil.rmtree(folder, ignore_errors=True)
                folder.mkdir()
                shutil.copy(work / "cache" / names[which], folder)
            out = subprocess.run([sys.executable, __file__, "--one", which, action, str(folder), "--work", str(work), "--lookup", str(args.lookup),
                                  "--vectors", str(args.vectors), "--old-rev", args.old_rev], check=True, capture_output=True, text=True).stdout
            return json.loads(out)

        measure("old", "lookup")  # the file into the page cache
        for _ in range(args.rounds):
            for action in ("lookup", "save"):
                for which in ("old", "new"):
                    results.setdefault((which, action), []).append(measure(which, action))
        for (which, action), runs in results.items():
            line = f"{action:6} {which}: {_summary([r['seconds'] for r in runs], 1000, 'ms')}, peak RSS +{_summary([r['hwm'] for r in runs], 2**-20, 'MiB')}"
            if "traced" in runs[0]:
                line += f", Python allocations {_summary([r['traced'] for r in runs], 2**-20, 'MiB')}"
            print(line)
        for action in ("lookup", "save"):
            ratios = [o["seconds"] / n["seconds"] for o, n in zip(results[("old", action)], results[("new", action)])]
            print(f"{action}: old / new in the same round {_summary(ratios, 1, 'x')}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
