"""Embed every ESCO skill once per ESCO data version and model: pipeline/data/esco/vectors.npz.

    python tools/build_esco_vectors.py      (part of `make esco-data`)

Each skill's label with the start of its description (esco.describe) is embedded with the
pipeline's sentence model (pipeline/embeddings.py) and stored as int8 (a unit vector times
127: cosines keep two decimals, a quarter of float32's size, 3.7 MB), with the URIs in the
same order and the model and data they came from, so the pipeline never embeds ESCO at run
time.
"""

from __future__ import annotations

import hashlib
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline import embeddings, esco  # noqa: E402


def _int8(vectors: np.ndarray) -> np.ndarray:
    return np.clip(np.round(vectors * 127), -127, 127).astype(np.int8)


def main() -> int:
    started = time.perf_counter()
    skills = esco.load_skills()
    described = embeddings.encode([esco.describe(s) for s in skills])
    np.savez_compressed(esco.VECTORS, uris=np.array([s.uri for s in skills]), described=_int8(described),
                        model=np.array(embeddings.model_id()), data=np.array(hashlib.sha256(esco.SKILLS.read_bytes()).hexdigest()))
    print(f"{len(skills)} ESCO labels embedded in {time.perf_counter() - started:.0f} s -> {esco.VECTORS} ({esco.VECTORS.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
