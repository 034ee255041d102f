"""The embedding cache (pipeline/embeddings.py, EmbeddingCache): what a lookup returns, what it
reads, and what the file on disk survives (damage, pickles, crashes, two ingests at once, the
format of before). Vectors come from a stand-in for the model: nothing is embedded here."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from conftest import ROOT

from pipeline import embeddings
from pipeline.embeddings import DIMENSIONS, EmbeddingCache


def fake_vector(text: str) -> np.ndarray:
    """A unit vector that depends only on the text."""
    v = np.random.default_rng(int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:12], 16)).standard_normal(DIMENSIONS).astype(np.float32)
    return v / np.linalg.norm(v)


@pytest.fixture
def encoded(monkeypatch) -> list[str]:
    """The texts embedded (by the stand-in), in order."""
    seen: list[str] = []

    def encode(texts):
        seen.extend(texts)
        return np.array([fake_vector(t) for t in texts], dtype=np.float32).reshape(len(texts), DIMENSIONS)

    monkeypatch.setattr(embeddings, "encode", encode)
    return seen


def key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def mean_key(texts: list[str]) -> str:
    return "mean:" + hashlib.sha256("\x00".join(texts).encode("utf-8")).hexdigest()[:32]


def expected_mean(texts: list[str]) -> np.ndarray:
    total = np.sum([fake_vector(t) for t in texts], axis=0)
    return (total / np.linalg.norm(total)).astype(np.float32)


def write_old_format(path: Path, vectors: dict[str, np.ndarray]) -> None:
    """As the cache was saved before this format: np.savez of the sorted str keys ('<U..')."""
    keys = sorted(vectors)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, keys=np.array(keys), vectors=np.array([vectors[k] for k in keys], dtype=np.float32))


TEXTS = [f"plans the budget of team {i}" for i in range(40)]
LISTS = [[f"behavior {i} a", f"behavior {i} b"] for i in range(10)] + [[]]


def test_a_lookup_returns_the_stored_vectors_and_embeds_only_texts_not_seen(tmp_path, encoded):
    first = EmbeddingCache(tmp_path)
    got = first.vectors(TEXTS + TEXTS[:3])  # (a text twice: embedded once)
    means = first.mean_vectors(LISTS)
    assert np.array_equal(got, np.array([fake_vector(t) for t in TEXTS + TEXTS[:3]]))
    assert np.allclose(means[:-1], [expected_mean(b) for b in LISTS[:-1]], atol=1e-6) and not means[-1].any()
    assert len(encoded) == 40 + 20 and first.added == 40 + 10
    first.save()
    encoded.clear()
    again = EmbeddingCache(tmp_path)  # another ingest: from the file
    new = ["writes the plan", "reviews the plan"]
    assert np.array_equal(again.vectors(new[:1] + TEXTS[::-1] + new[1:]), np.array([fake_vector(t) for t in new[:1] + TEXTS[::-1] + new[1:]]))
    again_means = again.mean_vectors(LISTS + [["new behavior"]])
    assert np.array_equal(again_means[:-1], means) and np.allclose(again_means[-1], fake_vector("new behavior"), atol=1e-6)
    assert encoded == sorted(new, key=key) + ["new behavior"] and again.added == 3
    assert len(again) == 40 + 10 + 3


def test_save_and_reload_round_trip_merges_in_key_order(tmp_path, encoded):
    one = EmbeddingCache(tmp_path)
    one.vectors(TEXTS[:20])
    one.save()
    assert one.added == 0 and set(os.listdir(tmp_path)) == {one.path.name, one.path.name + ".lock"}  # no temporary file left
    two = EmbeddingCache(tmp_path)
    two.vectors(TEXTS)  # half known, half new: merged among the stored keys
    two.mean_vectors(LISTS)
    two.save()
    stat = two.path.stat()
    two.save()  # nothing added: nothing written
    assert two.path.stat().st_mtime_ns == stat.st_mtime_ns
    with np.load(two.path, allow_pickle=False) as data:  # an ordinary .npz, data only
        keys, vectors = data["keys"], data["vectors"]
    assert keys.dtype == np.dtype("S37") and vectors.dtype == np.float32 and vectors.shape == (50, DIMENSIONS)
    assert (keys[1:] > keys[:-1]).all()
    assert sorted(k.decode() for k in keys) == sorted([key(t) for t in TEXTS] + [mean_key(b) for b in LISTS[:-1]])
    by_key = dict(zip((k.decode() for k in keys), vectors))
    assert all(np.array_equal(by_key[key(t)], fake_vector(t)) for t in TEXTS)
    encoded.clear()
    three = EmbeddingCache(tmp_path)
    assert np.array_equal(three.vectors(TEXTS), np.array([fake_vector(t) for t in TEXTS])) and not encoded


def _big_cache(folder: Path, count: int) -> tuple[Path, list[str]]:
    """A cache file of `count` random vectors for the texts 'text i' (the format this code writes)."""
    texts = [f"text {i}" for i in range(count)]
    keys = np.array([key(t) for t in texts], dtype="S37")
    order = np.argsort(keys)
    vectors = np.random.default_rng(3).standard_normal((count, DIMENSIONS), dtype=np.float32)
    path = EmbeddingCache(folder).path
    folder.mkdir(parents=True, exist_ok=True)
    np.savez(path, keys=keys[order], vectors=vectors[order])
    return path, texts


def _rss(field: str) -> int:
    return next(int(line.split()[1]) * 1024 for line in Path("/proc/self/status").read_text().splitlines() if line.startswith(field + ":"))


def test_a_lookup_reads_only_the_rows_it_needs(tmp_path, encoded):
    _, texts = _big_cache(tmp_path, 40_000)  # 61 MB of vectors
    wanted = texts[::20]  # 2,000 of them, spread over the whole file
    tracemalloc.start()
    got = EmbeddingCache(tmp_path).vectors(wanted)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert not encoded and got.shape == (2000, DIMENSIONS)
    assert peak < 12 * 2**20, peak  # the rows asked for (3 MB) and their keys, not the file
    # Nor mapped into the process: the system maps the pages around each one touched.
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pytest.skip("the peak resident set cannot be reset here")
    before = _rss("VmRSS")
    EmbeddingCache(tmp_path).vectors(wanted)
    assert _rss("VmHWM") - before < 20 * 2**20


def test_the_vectors_read_are_the_stored_ones(tmp_path, encoded):
    path, texts = _big_cache(tmp_path, 3000)
    with np.load(path) as data:
        stored = dict(zip((k.decode() for k in data["keys"]), data["vectors"]))
    wanted = texts[::7] + texts[:5]
    assert np.array_equal(EmbeddingCache(tmp_path).vectors(wanted), np.array([stored[key(t)] for t in wanted])) and not encoded


def _damages(path: Path) -> dict:
    good = path.read_bytes() if path.exists() else b""
    keys = np.array(sorted(key(t) for t in TEXTS[:5]), dtype="S37")
    vectors = np.zeros((5, DIMENSIONS), dtype=np.float32)
    return {
        "truncated": lambda: path.write_bytes(good[: len(good) // 2]),
        "not a zip": lambda: path.write_bytes(b"\x93NUMPY garbage" * 100),
        "empty": lambda: path.write_bytes(b""),
        "float64 vectors": lambda: np.savez(path, keys=keys, vectors=vectors.astype(np.float64)),
        "fewer vectors than keys": lambda: np.savez(path, keys=keys, vectors=vectors[:4]),
        "other dimensions": lambda: np.savez(path, keys=keys, vectors=np.zeros((5, 3), dtype=np.float32)),
        "numbers for keys": lambda: np.savez(path, keys=np.arange(5), vectors=vectors),
        "compressed": lambda: np.savez_compressed(path, keys=keys, vectors=vectors),
        "a member missing": lambda: np.savez(path, keys=keys),
        "keys out of order": lambda: np.savez(path, keys=keys[::-1], vectors=vectors),
    }


@pytest.mark.parametrize("damage", list(_damages(Path("/nonexistent")).keys()))
def test_a_damaged_or_foreign_file_is_ignored_and_rebuilt(tmp_path, encoded, damage):
    cache = EmbeddingCache(tmp_path)
    cache.vectors(TEXTS[:5])
    cache.save()
    _damages(cache.path)[damage]()
    encoded.clear()
    again = EmbeddingCache(tmp_path)
    got = again.vectors(TEXTS[:8])
    assert np.array_equal(got, np.array([fake_vector(t) for t in TEXTS[:8]]))
    if damage != "keys out of order":  # (in order by chance for some keys: found, and right)
        assert sorted(encoded) == sorted(TEXTS[:8])
    again.save()
    with np.load(again.path, allow_pickle=False) as data:
        assert (data["keys"][1:] > data["keys"][:-1]).all() and data["vectors"].shape[1] == DIMENSIONS
    encoded.clear()
    assert np.array_equal(EmbeddingCache(tmp_path).vectors(TEXTS[:8]), got) and not encoded


class _Planted:
    """An object whose unpickling creates a file: it must never be unpickled."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


@pytest.mark.parametrize("member", ["keys", "vectors"])
@pytest.mark.parametrize("which", ["path", "old_path"])
def test_a_file_in_the_cache_folder_cannot_run_code(tmp_path, encoded, member, which):
    marker = tmp_path / "ran"
    planted = np.array([_Planted(marker)], dtype=object)
    arrays = {"keys": np.array([key(TEXTS[0])]), "vectors": np.zeros((1, DIMENSIONS), dtype=np.float32), member: planted}
    cache = EmbeddingCache(tmp_path / "cache")
    target = getattr(cache, which)
    target.parent.mkdir(parents=True)
    np.savez(target, **arrays)  # (numpy pickles object arrays)
    with np.load(target, allow_pickle=True) as data:  # the file is armed: unpickled, it runs
        data[member]
    assert marker.exists()
    marker.unlink()
    assert np.array_equal(cache.vectors(TEXTS[:1]), fake_vector(TEXTS[0])[None]) and encoded == TEXTS[:1]
    cache.save()
    assert not marker.exists()


def test_the_old_format_is_converted_once_and_left_for_older_versions(tmp_path, encoded):
    old = {key(t): fake_vector(t) for t in TEXTS[:20]} | {mean_key(b): expected_mean(b) for b in LISTS[:3]}
    cache = EmbeddingCache(tmp_path)
    write_old_format(cache.old_path, old)
    old_bytes = cache.old_path.read_bytes()
    assert np.array_equal(cache.vectors(TEXTS[:20]), np.array([fake_vector(t) for t in TEXTS[:20]]))
    assert np.allclose(cache.mean_vectors(LISTS[:3]), [expected_mean(b) for b in LISTS[:3]], atol=1e-6)
    assert not encoded and cache.added == 0 and cache.path.exists() and len(cache) == 23
    converted = cache.path.stat()
    EmbeddingCache(tmp_path).vectors(TEXTS[:20])  # once: the next ingest uses the converted file
    assert cache.path.stat().st_mtime_ns == converted.st_mtime_ns and cache.path.stat().st_ino == converted.st_ino
    assert cache.old_path.read_bytes() == old_bytes


def test_an_old_file_that_cannot_be_converted_is_read_in_place(tmp_path, encoded, monkeypatch):
    cache = EmbeddingCache(tmp_path)
    write_old_format(cache.old_path, {key(t): fake_vector(t) for t in TEXTS})

    def refused(*args, **kwargs):
        raise PermissionError("read-only folder")

    monkeypatch.setattr(embeddings, "_write_merged", refused)
    assert np.array_equal(cache.vectors(TEXTS), np.array([fake_vector(t) for t in TEXTS])) and not encoded
    assert not cache.path.exists()


def test_an_old_file_of_text_keys_only_is_converted(tmp_path, encoded):
    cache = EmbeddingCache(tmp_path)
    write_old_format(cache.old_path, {key(t): fake_vector(t) for t in TEXTS})  # '<U32': no list's mean yet
    assert np.allclose(cache.mean_vectors(LISTS[:2]), [expected_mean(b) for b in LISTS[:2]], atol=1e-6)
    assert np.array_equal(cache.vectors(TEXTS), np.array([fake_vector(t) for t in TEXTS]))
    assert sorted(encoded) == sorted(t for b in LISTS[:2] for t in b)
    cache.save()
    assert len(EmbeddingCache(tmp_path)) == 42


def test_a_save_that_fails_midway_leaves_the_cache_as_it_was(tmp_path, encoded, monkeypatch):
    cache = EmbeddingCache(tmp_path)
    cache.vectors(TEXTS[:10])
    cache.save()
    before = cache.path.read_bytes()
    more = EmbeddingCache(tmp_path)
    more.vectors(TEXTS)

    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(embeddings._Stored, "read", fail)  # once the new file has begun
    with pytest.raises(OSError):
        more.save()
    assert cache.path.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == sorted([cache.path.name, cache.path.name + ".lock"])


WRITER = """
import sys, numpy as np
sys.path[:0] = [{root!r}, {tests!r}]
from test_embeddings import fake_vector
from pipeline import embeddings
embeddings.encode = lambda texts: np.array([fake_vector(t) for t in texts], dtype=np.float32).reshape(len(texts), embeddings.DIMENSIONS)
name = sys.argv[1]
for round in range(6):
    cache = embeddings.EmbeddingCache(__import__('pathlib').Path(sys.argv[2]))
    cache.vectors([f"{{name}} text {{round}} {{i}}" for i in range(150)])
    cache.save()
"""

READER = """
import sys, time
sys.path[:0] = [{root!r}]
from pathlib import Path
from pipeline import embeddings
path = embeddings.EmbeddingCache(Path(sys.argv[1])).path
opened = 0
deadline = time.time() + 60
while not Path(sys.argv[1], "done").exists() and time.time() < deadline:
    if path.exists():
        assert embeddings._Stored.open(path) is not None, "a cache that could not be read"
        opened += 1
print(opened)
"""


def test_ingests_saving_the_same_cache_at_once_leave_it_readable_with_every_vector(tmp_path):
    folder = tmp_path / "cache"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    reader = subprocess.Popen([sys.executable, "-c", READER.format(root=str(ROOT)), str(folder)], stdout=subprocess.PIPE, text=True, env=env)
    writers = [subprocess.Popen([sys.executable, "-c", WRITER.format(root=str(ROOT), tests=str(ROOT / "tests")), name, str(folder)], env=env)
               for name in ("one", "two", "three")]
    assert all(w.wait(timeout=120) == 0 for w in writers)
    (folder / "done").touch()
    out, _ = reader.communicate(timeout=120)
    assert reader.returncode == 0 and int(out) > 0
    texts = [f"{name} text {r} {i}" for name in ("one", "two", "three") for r in range(6) for i in range(150)]
    cache = EmbeddingCache(folder)
    assert len(cache) == len(texts)  # every writer's vectors kept: saves merge in turn
    assert np.array_equal(cache.vectors(texts), np.array([fake_vector(t) for t in texts])) and cache.added == 0
    assert not [p for p in os.listdir(folder) if p.endswith(".tmp")]
