"""Token-level negative log-likelihood of labelled tokens: validation loss, perplexity, and the per-sequence
log-probabilities the canary exposure test ranks."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from training.batches import IGNORE, Example, collate


def batch_nll(model: Any, batch: dict[str, Any]) -> tuple[Any, Any]:
    """(sum of NLL per example, labelled tokens per example) for one padded batch (tensors on the model's device)."""
    import torch
    import torch.nn.functional as F

    out = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"])
    logits = out.logits[:, :-1, :].float()
    labels = batch["labels"][:, 1:]
    nll = F.cross_entropy(logits.reshape(-1, logits.size(-1)), labels.reshape(-1).clamp(min=0), reduction="none")
    mask = (labels != IGNORE).float()
    nll = nll.view(labels.shape) * mask
    return nll.sum(dim=1), mask.sum(dim=1).to(torch.long)


def examples_nll(model: Any, examples: Sequence[Example], *, pad_id: int, device: Any, batch_size: int = 8
                 ) -> list[tuple[float, int]]:
    """(sum NLL, tokens) of each example, in order, without gradients. Batches are formed from examples sorted by
    length so little padding is computed."""
    import torch

    order = sorted(range(len(examples)), key=lambda i: len(examples[i].input_ids))
    out: list[tuple[float, int]] = [(0.0, 0)] * len(examples)
    was_training = model.training
    model.eval()
    with torch.no_grad():
        for start in range(0, len(order), batch_size):
            idx = order[start:start + batch_size]
            batch = {k: v.to(device) for k, v in collate([examples[i] for i in idx], pad_id).items()}
            sums, counts = batch_nll(model, batch)
            for j, i in enumerate(idx):
                out[i] = (float(sums[j]), int(counts[j]))
    if was_training:
        model.train()
    return out


def mean_nll(scores: Sequence[tuple[float, int]]) -> float:
    """Token-weighted mean NLL (the loss); its exp is the perplexity."""
    tokens = sum(n for _, n in scores)
    return sum(s for s, _ in scores) / tokens if tokens else float("nan")


def perplexity(scores: Sequence[tuple[float, int]]) -> float:
    value = mean_nll(scores)
    return math.exp(value) if value == value else float("nan")
