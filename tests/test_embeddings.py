"""Tests for tools.embeddings: shape, normalization, semantic sanity, offline loading, one shared model."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import numpy as np
import pytest

from tools.embeddings import EMBEDDING_DIM, embed, embed_one, get_model, model_name

REPO = Path(__file__).resolve().parents[1]


def test_batch_shape_dtype_and_unit_norm() -> None:
    texts = ["How many progressive lenses did we sell in March?", "hello", "x" * 5000, "   "]
    vectors = embed(texts)
    assert vectors.shape == (4, EMBEDDING_DIM) == (4, 384)
    assert vectors.dtype == np.float32
    assert np.all(np.isfinite(vectors))
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_empty_list_and_string_argument() -> None:
    assert embed([]).shape == (0, EMBEDDING_DIM)
    with pytest.raises(TypeError):
        embed("a single string is a mistake")  # type: ignore[arg-type]


def test_embed_one_matches_batch() -> None:
    text = "What is our remake policy for varifocals?"
    one = embed_one(text)
    assert isinstance(one, list) and len(one) == EMBEDDING_DIM and all(isinstance(x, float) for x in one)
    batch = embed(["something else entirely", text])[1]
    np.testing.assert_allclose(np.asarray(one, dtype=np.float32), batch, atol=1e-5)


def test_similar_sentences_are_closer_than_unrelated_ones() -> None:
    anchor, para, other_topic, unrelated = embed(
        [
            "How many progressive lenses did we sell last month?",
            "Number of varifocal lenses sold in the previous month",
            "What does the employee handbook say about parental leave?",
            "The recipe needs two cups of flour and an egg.",
        ]
    )
    assert anchor @ para > anchor @ other_topic
    assert anchor @ para > anchor @ unrelated
    assert anchor @ para > 0.5
    assert anchor @ unrelated < 0.3


def test_model_is_loaded_once_across_threads() -> None:
    models: list[object] = []
    results: list[np.ndarray] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            models.append(get_model())
            results.append(embed(["warranty on anti-reflective coatings"] * 3))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert all(m is models[0] for m in models)
    for r in results[1:]:
        np.testing.assert_allclose(r, results[0], atol=1e-5)


def test_model_name_is_stable() -> None:
    name = model_name()
    assert name == model_name()
    assert "all-MiniLM-L6-v2" in name


def test_loads_offline_without_any_network() -> None:
    """A fresh process with HF_HUB_OFFLINE=1, the hub pointed at a closed port and a dead proxy still embeds."""
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "HF_ENDPOINT": "http://127.0.0.1:9",
        "HTTP_PROXY": "http://127.0.0.1:9",
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "NO_PROXY": "",
        "HF_HOME": str(REPO / ".pytest_cache" / "empty-hf-home"),
    }
    code = textwrap.dedent(
        """
        import os
        from tools.embeddings import embed
        v = embed(["offline check"])
        assert os.environ["HF_HUB_OFFLINE"] == "1"
        print(v.shape[1], round(float((v * v).sum()), 3))
        """
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split()[-2:] == ["384", "1.0"]


def test_importing_sets_offline_defaults() -> None:
    """`import config` (done by tools.embeddings) must have switched the hub libraries offline."""
    assert os.environ.get("HF_HUB_OFFLINE") == "1"
    assert os.environ.get("TRANSFORMERS_OFFLINE") == "1"
