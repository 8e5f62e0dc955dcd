"""Stored chat records -> token ids with completion-only labels, a collate that pads to the longest example in the
batch, and a resumable, seeded batch order (the batch of optimizer step N is the same whether or not the run was
interrupted before it)."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

IGNORE = -100  # label of tokens the loss skips: prompts, system text, template scaffolding, padding


@dataclass(frozen=True)
class Example:
    input_ids: list[int]
    labels: list[int]  # IGNORE outside assistant turns

    @property
    def n_labels(self) -> int:
        return sum(1 for t in self.labels if t != IGNORE)


def encode(messages: Sequence[dict[str, str]], tokenizer: Any, max_len: int, *, learn_eos: bool = True
           ) -> Example | None:
    """One conversation through the chat template; only assistant contents (and their end-of-turn token) are learned.

    The template text is tokenized with character offsets; a token is labelled when it overlaps an assistant
    message's content or the end-of-turn marker that closes it. Examples longer than `max_len` are truncated; one with
    no learnable token left is dropped (None). `learn_eos=False` labels the contents only (canary scoring).
    """
    text = tokenizer.apply_chat_template(list(messages), tokenize=False)
    eos = tokenizer.eos_token or ""
    spans: list[tuple[int, int]] = []
    cursor = 0
    for m in messages:
        content = m["content"]
        start = text.find(content, cursor) if content else -1
        if start < 0:
            continue
        end = start + len(content)
        if m["role"] == "assistant":
            close = text.find(eos, end) if eos and learn_eos else -1
            spans.append((start, close + len(eos) if close >= 0 else end))
        cursor = end
    enc = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
    ids: list[int] = enc["input_ids"][:max_len]
    labels = [IGNORE] * len(ids)
    si = 0
    for i, (s, e) in enumerate(enc["offset_mapping"][:max_len]):
        while si < len(spans) and spans[si][1] <= s:
            si += 1
        if si < len(spans) and s < spans[si][1] and e > spans[si][0]:
            labels[i] = ids[i]
    example = Example(input_ids=ids, labels=labels)
    return example if example.n_labels else None


def encode_records(records: Sequence[dict[str, Any]], tokenizer: Any, max_len: int) -> tuple[list[Example], int]:
    """(examples, number of records dropped because nothing learnable was left)."""
    out: list[Example] = []
    for r in records:
        ex = encode(r["messages"], tokenizer, max_len)
        if ex is not None:
            out.append(ex)
    return out, len(records) - len(out)


def collate(batch: Sequence[Example], pad_id: int) -> dict[str, Any]:
    """Pad to the longest example in this batch (right padding; padding is masked and never learned)."""
    import torch

    width = max(len(ex.input_ids) for ex in batch)
    ids = torch.full((len(batch), width), pad_id, dtype=torch.long)
    labels = torch.full((len(batch), width), IGNORE, dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    for i, ex in enumerate(batch):
        n = len(ex.input_ids)
        ids[i, :n] = torch.tensor(ex.input_ids)
        labels[i, :n] = torch.tensor(ex.labels)
        mask[i, :n] = 1
    return {"input_ids": ids, "attention_mask": mask, "labels": labels}


def batches_per_epoch(n_examples: int, batch_size: int) -> int:
    return max(1, math.ceil(n_examples / batch_size))


def epoch_order(n_examples: int, epoch: int, seed: int) -> list[int]:
    """The shuffled example order of one epoch: a function of (seed, epoch) only."""
    import torch

    g = torch.Generator().manual_seed(seed * 1_000_003 + epoch)
    return torch.randperm(n_examples, generator=g).tolist()


class ResumableBatchSampler:
    """Batches of example indices in a seeded order, epoch after epoch, starting at micro-batch `start`.

    Micro-batch m is batch `m % batches_per_epoch` of epoch `m // batches_per_epoch`, so a resumed run picks up
    exactly where the checkpoint left off without saving any sampler state.
    """

    def __init__(self, n_examples: int, batch_size: int, seed: int, start: int = 0, stop: int | None = None) -> None:
        self.n, self.bs, self.seed, self.start, self.stop = n_examples, batch_size, seed, start, stop
        self.per_epoch = batches_per_epoch(n_examples, batch_size)

    def batch(self, m: int) -> list[int]:
        epoch, b = divmod(m, self.per_epoch)
        order = epoch_order(self.n, epoch, self.seed)
        return order[b * self.bs:(b + 1) * self.bs]

    def __iter__(self) -> Iterator[list[int]]:
        m = self.start
        order_epoch, order = -1, []
        while self.stop is None or m < self.stop:
            epoch, b = divmod(m, self.per_epoch)
            if epoch != order_epoch:
                order_epoch, order = epoch, epoch_order(self.n, epoch, self.seed)
            yield order[b * self.bs:(b + 1) * self.bs]
            m += 1

    def __len__(self) -> int:
        return (self.stop - self.start) if self.stop is not None else 10**12


def padded_tokens(examples: Sequence[Example], batch_size: int, seed: int, micro_batches: int) -> int:
    """Tokens the model will actually process (each batch padded to its longest example) over `micro_batches`."""
    sampler = ResumableBatchSampler(len(examples), batch_size, seed, 0, micro_batches)
    return sum(len(idx) * max(len(examples[i].input_ids) for i in idx) for idx in sampler)
