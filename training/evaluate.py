"""`sightline eval JOB`: the tuned model against its base on the held-out split (perplexity, ROUGE-L, side-by-side
answers), on a regression set of general questions (must not get worse than a perplexity ratio threshold) and on the
factual check (training/factual.py: optical questions whose right answers must state listed key facts and must not
make listed false claims), written as `report.md` + `report.json` (with the loss curve) in `<job dir>/eval/`, and
recorded in the model registry.

The gate passes when held-out perplexity improves, the regression ratio stays under its threshold, at least
`FACTUAL_MIN_ACCURACY` of the factual answers are right, and no factual answer states a false claim. Perplexity and
ROUGE say nothing about whether an answer is true; the factual check does."""

from __future__ import annotations

import json
import math
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from config.errors import UserError
from training import factual, jobs, registry
from training.base_model import load_for_eval
from training.batches import encode_records
from training.datasets import get_dataset, load_split
from training.formats import parse_file
from training.presets import TrainConfig
from training.scoring import examples_nll, mean_nll

REGRESSION_FILE = Path(__file__).parent / "data" / "regression.jsonl"
REGRESSION_MAX_RATIO = 1.15  # tuned / base perplexity on the general questions
GEN_KW = {"do_sample": False, "repetition_penalty": 1.1}  # what the local chat model uses (greedy)
FACTUAL_MIN_ACCURACY = 0.9  # share of factual-check answers that state every key fact and no false claim
FACTUAL_MAX_FALSE = 0  # answers stating a false claim


class EvalError(UserError, ValueError):
    """The job cannot be evaluated (not finished, adapter missing)."""


@dataclass(frozen=True)
class EvalResult:
    version: str
    passed: bool
    report_md: Path
    report_json: Path
    metrics: dict[str, Any]


def regression_records() -> list[dict[str, Any]]:
    parsed = parse_file(REGRESSION_FILE)
    return [r.to_json() for r in parsed.records]


def _prompt_and_reference(record: dict[str, Any]) -> tuple[list[dict[str, str]], str] | None:
    msgs = record["messages"]
    last = max((i for i, m in enumerate(msgs) if m["role"] == "assistant"), default=None)
    if last is None or last == 0:
        return None
    return msgs[:last], msgs[last]["content"]


def generate(model: Any, tokenizer: Any, prompts: list[list[dict[str, str]]], *, device: Any,
             max_new_tokens: int, batch_size: int = 8) -> list[str]:
    """Greedy answers to chat prompts, batched with left padding."""
    import torch

    side = tokenizer.padding_side
    tokenizer.padding_side = "left"
    out: list[str] = []
    try:
        for i in range(0, len(prompts), batch_size):
            texts = [tokenizer.apply_chat_template(p, tokenize=False, add_generation_prompt=True)
                     for p in prompts[i:i + batch_size]]
            enc = tokenizer(texts, return_tensors="pt", padding=True, add_special_tokens=False).to(device)
            with torch.no_grad():
                ids = model.generate(**enc, max_new_tokens=max_new_tokens, pad_token_id=tokenizer.pad_token_id,
                                     **GEN_KW)
            out += [t.strip() for t in tokenizer.batch_decode(ids[:, enc["input_ids"].shape[1]:],
                                                              skip_special_tokens=True)]
    finally:
        tokenizer.padding_side = side
    return out


def _rouge_l(predictions: list[str], references: list[str]) -> float:
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rougeL"], use_stemmer=True)
    if not predictions:
        return float("nan")
    return sum(scorer.score(r, p)["rougeL"].fmeasure for p, r in zip(predictions, references, strict=True)) / len(
        predictions)


def _ppl(x: float) -> float:
    return math.exp(x) if x == x else float("nan")


def factual_answers(model: Any, tokenizer: Any, cases: list[factual.CheckCase], *, device: Any,
                    max_new_tokens: int) -> dict[str, str]:
    """Greedy answers to the factual-check questions, by case id."""
    prompts = [[{"role": "user", "content": c.question}] for c in cases]
    answers = generate(model, tokenizer, prompts, device=device, max_new_tokens=max_new_tokens)
    return {c.id: a for c, a in zip(cases, answers, strict=True)}


def _factual_metrics(report: factual.FactualReport) -> dict[str, Any]:
    return {"cases": report.cases, "right": report.right, "accuracy": round(report.accuracy, 4),
            "false_answers": report.false_answers}


def evaluate_job(job_ref: str, *, max_examples: int = 20, max_new_tokens: int = 96, show: int = 3,
                 threshold: float = REGRESSION_MAX_RATIO, factual_examples: int | None = None,
                 progress: Any = None) -> EvalResult:
    """Score the job's adapter against its base and write the report; the registry version becomes `evaluated`.

    Passing means: held-out perplexity below the base's, regression perplexity ratio <= `threshold`, factual
    accuracy >= FACTUAL_MIN_ACCURACY and no answer stating a false claim (on the first `factual_examples` cases of
    the factual check, all when None).
    """
    say = progress or (lambda _msg: None)
    job = jobs.get_job(job_ref)
    if job.status != "succeeded":
        raise EvalError(f"job {job.id} is {job.status}; only a succeeded job can be evaluated")
    version = registry.version_for_job(job.id)
    adapter = version.adapter_path if (version.adapter_path / "adapter_config.json").is_file() else \
        job.job_dir / "adapter"
    if not (adapter / "adapter_config.json").is_file():
        raise EvalError(f"job {job.id}: no adapter at {adapter}")
    cfg = TrainConfig.from_json(job.config)
    t0 = time.perf_counter()
    model, tokenizer, device = load_for_eval(Path(job.base_model), adapter)
    pad = tokenizer.pad_token_id

    def both(fn: Any) -> tuple[Any, Any]:
        with model.disable_adapter():
            base = fn()
        return base, fn()

    # ---- held-out split (test; val when the dataset has no test split)
    dataset = get_dataset(job.dataset_name, job.dataset_version)
    split = "test" if dataset.version.counts.get("test") else "val"
    held = load_split(dataset, split)
    held_examples, _ = encode_records(held, tokenizer, cfg.max_len)
    say(f"perplexity on {len(held_examples)} held-out ({split}) examples")
    base_nll, tuned_nll = both(lambda: mean_nll(examples_nll(model, held_examples, pad_id=pad, device=device)))
    pairs = [p for p in (_prompt_and_reference(r) for r in held) if p is not None][:max_examples]
    say(f"generating {len(pairs)} answers with the base and the tuned model")
    base_gen, tuned_gen = both(lambda: generate(model, tokenizer, [p for p, _ in pairs], device=device,
                                                 max_new_tokens=max_new_tokens))
    refs = [r for _, r in pairs]

    # ---- regression set: general questions the industry data never covers
    reg = regression_records()
    reg_examples, _ = encode_records(reg, tokenizer, cfg.max_len)
    say(f"regression perplexity on {len(reg_examples)} general questions")
    reg_base, reg_tuned = both(lambda: mean_nll(examples_nll(model, reg_examples, pad_id=pad, device=device)))
    reg_pairs = [p for p in (_prompt_and_reference(r) for r in reg) if p is not None][:show]
    reg_base_gen, reg_tuned_gen = both(lambda: generate(model, tokenizer, [p for p, _ in reg_pairs], device=device,
                                                         max_new_tokens=max_new_tokens))

    # ---- factual check: key facts stated, false claims not made
    fcases = [c for c in factual.load_cases() if c.expect == "answer"][:factual_examples]
    say(f"factual check: {len(fcases)} optical questions with key facts and false claims")
    fact_base_answers, fact_tuned_answers = both(lambda: factual_answers(model, tokenizer, fcases, device=device,
                                                                         max_new_tokens=max_new_tokens))
    fact_base = factual.check(fact_base_answers, fcases)
    fact_tuned = factual.check(fact_tuned_answers, fcases)

    ratio = _ppl(reg_tuned) / _ppl(reg_base)
    failed = []
    if not fact_tuned.accuracy >= FACTUAL_MIN_ACCURACY:
        failed.append(f"factual accuracy {fact_tuned.right}/{fact_tuned.cases} < {FACTUAL_MIN_ACCURACY:.0%}")
    if fact_tuned.false_answers > FACTUAL_MAX_FALSE:
        failed.append(f"{fact_tuned.false_answers} factual answer(s) state a false claim")
    if not _ppl(tuned_nll) < _ppl(base_nll):
        failed.append(f"held-out perplexity did not improve ({_ppl(tuned_nll):.2f} vs base {_ppl(base_nll):.2f})")
    if not ratio <= threshold:
        failed.append(f"regression perplexity ratio {ratio:.3f} > {threshold}")
    metrics = {
        "split": split, "held_out_examples": len(held_examples),
        "held_out_tokens": sum(ex.n_labels for ex in held_examples),
        "perplexity": {"base": round(_ppl(base_nll), 4), "tuned": round(_ppl(tuned_nll), 4)},
        "rouge_l": {"base": round(_rouge_l(base_gen, refs), 4), "tuned": round(_rouge_l(tuned_gen, refs), 4),
                    "examples": len(pairs), "max_new_tokens": max_new_tokens},
        "regression": {"examples": len(reg_examples), "perplexity_base": round(_ppl(reg_base), 4),
                       "perplexity_tuned": round(_ppl(reg_tuned), 4), "ratio": round(ratio, 4),
                       "max_ratio": threshold},
        "factual": {"base": _factual_metrics(fact_base), "tuned": _factual_metrics(fact_tuned),
                    "min_accuracy": FACTUAL_MIN_ACCURACY, "max_false": FACTUAL_MAX_FALSE},
        "passed": not failed, "failed_checks": failed, "seconds": round(time.perf_counter() - t0, 1),
        "device": str(device.type), "adapter": str(adapter), "job": job.id, "version": version.id,
        "dataset": job.dataset_ref, "base_model": job.base_model, "training": job.result,
    }
    examples = [{"prompt": p[-1]["content"], "reference": r, "base": b, "tuned": t}
                for (p, r), b, t in zip(pairs[:show], base_gen[:show], tuned_gen[:show], strict=True)]
    reg_examples_out = [{"prompt": p[-1]["content"], "reference": r, "base": b, "tuned": t}
                        for (p, r), b, t in zip(reg_pairs, reg_base_gen, reg_tuned_gen, strict=True)]

    out_dir = job.job_dir / "eval"
    out_dir.mkdir(parents=True, exist_ok=True)
    curve = job.job_dir / "loss.png"
    if curve.is_file():
        shutil.copy2(curve, out_dir / "loss.png")
    report = {"metrics": metrics, "examples": examples, "regression_examples": reg_examples_out,
              "factual_misses": fact_tuned.misses}
    report_json = out_dir / "report.json"
    report_json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    report_md = out_dir / "report.md"
    report_md.write_text(render_markdown(report, has_curve=curve.is_file()))
    registry.record_eval(version.id, metrics=metrics, report=report_md, passed=not failed)
    return EvalResult(version=version.id, passed=not failed, report_md=report_md, report_json=report_json,
                      metrics=metrics)


def _change(base: float, tuned: float) -> str:
    if not (base and base == base and tuned == tuned):
        return ""
    return f"{(tuned - base) / base * 100:+.1f}%"


def metrics_table(m: dict[str, Any]) -> str:
    p, r, g = m["perplexity"], m["rouge_l"], m["regression"]
    f = m.get("factual")
    factual_rows = [] if not f else [
        f"| factual check: right answers ({f['tuned']['cases']} questions; min {f['min_accuracy']:.0%}) | "
        f"{f['base']['right']} | {f['tuned']['right']} | {f['tuned']['accuracy']:.0%} |",
        f"| factual check: answers stating a false claim (max {f['max_false']}) | {f['base']['false_answers']} | "
        f"{f['tuned']['false_answers']} | |",
    ]
    return "\n".join([
        "| metric | base | tuned | change |",
        "| --- | ---: | ---: | ---: |",
        f"| held-out perplexity ({m['split']}: {m['held_out_examples']} examples, {m['held_out_tokens']} answer "
        f"tokens) | {p['base']:.2f} | {p['tuned']:.2f} | {_change(p['base'], p['tuned'])} |",
        f"| held-out ROUGE-L F1 ({r['examples']} greedy answers, <= {r['max_new_tokens']} tokens) | {r['base']:.3f} "
        f"| {r['tuned']:.3f} | {_change(r['base'], r['tuned'])} |",
        f"| regression perplexity ({g['examples']} general questions) | {g['perplexity_base']:.2f} | "
        f"{g['perplexity_tuned']:.2f} | ratio {g['ratio']:.3f} (max {g['max_ratio']}) |",
        *factual_rows,
    ])


def render_markdown(report: dict[str, Any], *, has_curve: bool) -> str:
    m = report["metrics"]
    lines = [f"# Evaluation: {m['version']} (job {m['job']})", "",
             f"- dataset: `{m['dataset']}`", f"- base model: `{m['base_model']}`", f"- adapter: `{m['adapter']}`",
             f"- evaluated on {m['device']} in {m['seconds']} s", "",
             f"**Gate: {'PASS' if m['passed'] else 'FAIL'}**" + (
                 "" if m["passed"] else " - " + "; ".join(m["failed_checks"])), "", metrics_table(m), ""]
    t = m.get("training") or {}
    if t:
        lines += [f"Training: {t.get('steps_done')} steps on {t.get('device')} ({t.get('dtype')}), "
                  f"{t.get('s_per_step')} s/step, {t.get('tokens_per_s')} tokens/s, stopped: {t.get('stopped')}, "
                  f"best validation loss {_num(t.get('best_val_loss'))} at step {t.get('best_step')}.", ""]
    if has_curve:
        lines += ["## Loss curve", "", "![loss curve](loss.png)", ""]
    misses = report.get("factual_misses") or []
    if misses:
        lines += [f"## Factual check: wrong answers of the tuned model ({len(misses)})", "",
                  "| question | answer | missing key facts | false claims stated |", "| --- | --- | --- | --- |"]
        lines += [f"| {_cell(x['question'])} | {_cell(x['answer'])} | {_cell('; '.join(x['missing']))} | "
                  f"{_cell('; '.join(x['false']))} |" for x in misses]
        lines.append("")
    for title, items in (("Held-out examples", report["examples"]),
                         ("Regression examples (general questions)", report["regression_examples"])):
        lines += [f"## {title}", ""]
        for ex in items:
            lines += [f"### {ex['prompt']}", "", "| | answer |", "| --- | --- |"]
            for k in ("reference", "base", "tuned"):
                lines.append(f"| {k} | {_cell(ex[k])} |")
            lines.append("")
    return "\n".join(lines)


def _num(x: Any) -> str:
    return f"{x:.4f}" if isinstance(x, float) else str(x)


def _cell(text: str) -> str:
    return (text or "(empty)").replace("|", "\\|").replace("\n", " ")

