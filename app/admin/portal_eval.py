"""Fine-tuning portal, evaluation: run `sightline eval` (evaluation + leak test) for a succeeded job in a background
process, read its report side by side (base vs tuned answers on held-out prompts and the regression set, perplexity,
ROUGE-L, regression ratio, factual check, leak-test verdict), human ratings per answer (`eval_ratings`, migration
0012) and the report exported as PDF (fpdf2) and XLSX (openpyxl).

The background run is this module as a program (`python -m app.admin.portal_eval JOB ...`): it calls the same
`training.evaluate.evaluate_job` and `training.leak.leak_gate` as the CLI and writes its state to
`<job dir>/eval/portal_run.json` (running | done | failed) and its output to `portal_run.log`. Ratings of a tenant
adapter are written by its tenant admin through `tenant_session(role="admin")` (row-level security + a trigger that
ties a rating to its version's scope); the operator's through the admin connection.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from app.admin.portal_scope import PortalError, PortalNotFound, PortalScope
from db.engine import admin_engine
from training import jobs, registry

SETS = ("held_out", "regression")
SIDES = ("base", "tuned")
CRITERIA = ("relevance", "correctness", "style", "helpfulness")
ROOT = Path(__file__).resolve().parents[2]
# What a console evaluation runs by default (the CLI's defaults); only operators may change them.
DEFAULTS = {"max_examples": 20, "max_new_tokens": 96, "show": 10, "factual_examples": 0, "candidates": 1000}


def _version_of_job(scope: PortalScope, job_ref: str) -> tuple[jobs.Job, registry.ModelVersion]:
    from app.admin.portal_jobs import get_job

    job = get_job(scope, job_ref)
    try:
        return job, registry.version_for_job(job.id)
    except registry.PromotionError as exc:
        raise PortalNotFound(str(exc)) from exc


def _state_file(job: jobs.Job) -> Path:
    return job.job_dir / "eval" / "portal_run.json"


def run_state(job: jobs.Job) -> dict[str, Any] | None:
    path = _state_file(job)
    if not path.is_file():
        return None
    state = json.loads(path.read_text())
    if state.get("state") == "running" and state.get("pid") and not _alive(int(state["pid"])):
        state["state"] = "failed"
        state["message"] = "the evaluation process is gone (killed or the host restarted)"
    log = job.job_dir / "eval" / "portal_run.log"
    state["log_tail"] = log.read_text(errors="replace").splitlines()[-15:] if log.is_file() else []
    return state


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return True


def start_evaluation(scope: PortalScope, job_ref: str, settings: dict[str, Any] | None = None) -> dict[str, Any]:
    """Start the evaluation + leak test of a succeeded job in a background process (one at a time per job)."""
    job, version = _version_of_job(scope, job_ref)
    if job.status != "succeeded":
        raise PortalError(f"job {job.id} is {job.status}; only a succeeded job can be evaluated")
    state = run_state(job)
    if state and state.get("state") == "running":
        raise PortalError(f"the evaluation of job {job.id} is already running")
    params = dict(DEFAULTS)
    if settings:
        if not scope.operator:
            raise PortalError("only operators may change the evaluation settings")
        for k, v in settings.items():
            if k in params and v not in (None, ""):
                try:
                    params[k] = int(v)
                except (TypeError, ValueError) as exc:
                    raise PortalError(f"{k}: {v!r} is not a number") from exc
    out = job.job_dir / "eval"
    out.mkdir(parents=True, exist_ok=True)
    args = [sys.executable, "-m", "app.admin.portal_eval", job.id] + [f"--{k.replace('_', '-')}={v}"
                                                                     for k, v in params.items()]
    with open(out / "portal_run.log", "w", encoding="utf-8") as log:
        proc = subprocess.Popen(args, cwd=str(ROOT), stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    state = {"state": "running", "pid": proc.pid, "version": version.id, "params": params,
             "started": time.time(), "message": "started"}
    _write_state(job, state)
    return state


def _write_state(job: jobs.Job, state: dict[str, Any]) -> None:
    path = _state_file(job)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state))
    tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    """The background evaluation: evaluate_job, then leak_gate, recording progress in the state file."""
    import config  # noqa: F401  (offline switches)
    from training.evaluate import evaluate_job
    from training.leak import leak_gate

    p = argparse.ArgumentParser(prog="python -m app.admin.portal_eval")
    p.add_argument("job")
    for k, v in DEFAULTS.items():
        p.add_argument(f"--{k.replace('_', '-')}", type=int, default=v)
    a = p.parse_args(argv)
    job = jobs.get_job(a.job)
    state = run_state(job) or {}
    state.update(state="running", pid=os.getpid())

    def say(msg: str) -> None:
        print(f"... {msg}", flush=True)
        state["message"] = msg
        _write_state(job, state)

    try:
        res = evaluate_job(job.id, max_examples=a.max_examples, max_new_tokens=a.max_new_tokens, show=a.show,
                           factual_examples=a.factual_examples or None, progress=say)
        say(f"evaluation {'passed' if res.passed else 'failed'}; leak test with {a.candidates} candidates")
        leak = leak_gate(res.version, n=a.candidates, progress=say)
        state.update(state="done", finished=time.time(), passed=res.passed, leak_passed=leak["passed"],
                     message=f"evaluation {'PASS' if res.passed else 'FAIL'}, leak test "
                             f"{'PASS' if leak['passed'] else 'FAIL'}")
        _write_state(job, state)
        print(state["message"], flush=True)
        return 0
    except BaseException as exc:  # noqa: BLE001 - recorded for the console, then re-raised
        state.update(state="failed", finished=time.time(), message=f"{type(exc).__name__}: {exc}")
        _write_state(job, state)
        raise


# --------------------------------------------------------------------------------------------------- the report


def load_report(scope: PortalScope, version_id: str) -> dict[str, Any]:
    """The evaluation report of a version (metrics, side-by-side examples, factual misses) with its leak test."""
    from app.admin.portal_models import get_version

    v = get_version(scope, version_id)
    report: dict[str, Any] = {"metrics": v.metrics, "examples": [], "regression_examples": [], "factual_misses": []}
    if v.eval_report:
        path = Path(v.eval_report).with_name("report.json")
        if path.is_file():
            report = json.loads(path.read_text())
    job = jobs.get_job(v.job_id) if v.job_id else None
    return {"version": v, "job": job, "metrics": report.get("metrics") or v.metrics or {},
            "sets": {"held_out": report.get("examples") or [], "regression": report.get("regression_examples") or []},
            "factual_misses": report.get("factual_misses") or [], "leak": v.leak_test, "leak_passed": v.leak_passed,
            "eval_passed": v.eval_passed, "run": run_state(job) if job else None}


# --------------------------------------------------------------------------------------------------- ratings


@dataclass(frozen=True)
class Rating:
    example_set: str
    example_index: int
    side: str
    rater: str
    relevance: int
    correctness: int
    style: int
    helpfulness: int
    safe: bool
    comment: str | None


def _conn(scope: PortalScope):  # noqa: ANN202
    if scope.operator:
        return admin_engine().begin()
    from db.session import tenant_session

    return tenant_session(scope.tenant_id, role="admin")


def save_rating(scope: PortalScope, version_id: str, *, example_set: str, example_index: int, side: str,
                scores: dict[str, Any], safe: Any, comment: str | None = None) -> Rating:
    """Store (or replace) this rater's rating of one answer: four 1-5 scores and a safety yes/no."""
    from app.admin.portal_models import get_version

    v = get_version(scope, version_id)
    if example_set not in SETS or side not in SIDES:
        raise PortalError(f"example set must be one of {', '.join(SETS)} and side one of {', '.join(SIDES)}")
    report = load_report(scope, v.id)
    if not 0 <= int(example_index) < len(report["sets"][example_set]):
        raise PortalError(f"the report has no {example_set} example {example_index}")
    values: dict[str, int] = {}
    for c in CRITERIA:
        try:
            values[c] = int(scores.get(c))  # type: ignore[arg-type]
        except (TypeError, ValueError) as exc:
            raise PortalError(f"{c} must be a score from 1 to 5") from exc
        if not 1 <= values[c] <= 5:
            raise PortalError(f"{c} must be a score from 1 to 5")
    if isinstance(safe, str):
        if safe.lower() not in ("yes", "no", "true", "false"):
            raise PortalError("safe must be yes or no")
        safe = safe.lower() in ("yes", "true")
    if not isinstance(safe, bool):
        raise PortalError("safe must be yes or no")
    comment = (comment or "").strip()[:2000] or None
    tenant = None if v.target == "industry" else _tenant_id(v.target)
    with _conn(scope) as conn:
        conn.execute(sa.text(
            "INSERT INTO eval_ratings (version_id, scope_tenant_id, example_set, example_index, side, rater, "
            "relevance, correctness, style, helpfulness, safe, comment) VALUES (:v, :t, :s, :i, :side, :r, :rel, "
            ":cor, :sty, :hel, :safe, :c) ON CONFLICT (version_id, example_set, example_index, side, rater) "
            "DO UPDATE SET "
            "relevance = EXCLUDED.relevance, correctness = EXCLUDED.correctness, style = EXCLUDED.style, "
            "helpfulness = EXCLUDED.helpfulness, safe = EXCLUDED.safe, comment = EXCLUDED.comment, updated_at = now()"),
            {"v": v.id, "t": tenant, "s": example_set, "i": int(example_index), "side": side, "r": scope.rater,
             "rel": values["relevance"], "cor": values["correctness"], "sty": values["style"],
             "hel": values["helpfulness"], "safe": safe, "c": comment})
    return Rating(example_set=example_set, example_index=int(example_index), side=side, rater=scope.rater,
                  safe=safe, comment=comment, **values)


def _tenant_id(target: str) -> Any:
    from db.registry import get_tenant

    return get_tenant(target.split(":", 1)[1]).id


def ratings(scope: PortalScope, version_id: str) -> list[Rating]:
    from app.admin.portal_models import get_version

    v = get_version(scope, version_id)
    with _conn(scope) as conn:
        rows = conn.execute(sa.text(
            "SELECT example_set, example_index, side, rater, relevance, correctness, style, helpfulness, safe, comment "
            "FROM eval_ratings WHERE version_id = :v ORDER BY example_set, example_index, side, id"),
            {"v": v.id}).all()
    return [Rating(**r._mapping) for r in rows]


def summary(rows: list[Rating]) -> dict[str, dict[str, Any]]:
    """Per side: number of ratings, mean of each criterion, share rated safe."""
    out: dict[str, dict[str, Any]] = {}
    for side in SIDES:
        mine = [r for r in rows if r.side == side]
        if not mine:
            out[side] = {"n": 0}
            continue
        out[side] = {"n": len(mine), **{c: round(sum(getattr(r, c) for r in mine) / len(mine), 2) for c in CRITERIA},
                     "safe": round(sum(r.safe for r in mine) / len(mine), 3)}
    return out


# --------------------------------------------------------------------------------------------------- exports


def _metric_rows(m: dict[str, Any]) -> list[tuple[str, Any, Any, str]]:
    rows: list[tuple[str, Any, Any, str]] = []
    if not m:
        return rows
    p, r, g = m.get("perplexity") or {}, m.get("rouge_l") or {}, m.get("regression") or {}
    if p:
        rows.append((f"held-out perplexity ({m.get('split')}, {m.get('held_out_examples')} examples)", p.get("base"),
                     p.get("tuned"), "lower is better"))
    if r:
        rows.append((f"held-out ROUGE-L F1 ({r.get('examples')} answers)", r.get("base"), r.get("tuned"),
                     "higher is better"))
    if g:
        rows.append((f"regression perplexity ({g.get('examples')} general questions)", g.get("perplexity_base"),
                     g.get("perplexity_tuned"), f"ratio {g.get('ratio')} (max {g.get('max_ratio')})"))
    f = m.get("factual")
    if f:
        rows.append((f"factual check: right answers of {f['tuned']['cases']}", f["base"]["right"], f["tuned"]["right"],
                     f"min {f['min_accuracy']:.0%}"))
        rows.append(("factual check: answers with a false claim", f["base"]["false_answers"],
                     f["tuned"]["false_answers"], f"max {f['max_false']}"))
    return rows


def _leak_text(leak: dict[str, Any] | None) -> str:
    if not leak:
        return "leak test: not run"
    exp = ", ".join(f"x{e['repetitions']}: rank {e['rank']}/{e['candidates']} exposure {e['exposure']}"
                    for e in leak.get("exposure", []))
    p = leak.get("pipeline") or {}
    return (f"leak test: {'PASS' if leak.get('passed') else 'FAIL'}"
            + (f" ({leak['reason']})" if leak.get("reason") else "")
            + f"; pipeline {p.get('mode')}: {len(p.get('survivors', []))} canary(ies) survived; {exp}")


def export_xlsx(scope: PortalScope, version_id: str) -> bytes:
    """The evaluation report as an Excel workbook: Summary, Examples (base vs tuned), Factual misses, Ratings."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    rep = load_report(scope, version_id)
    v, m = rep["version"], rep["metrics"]
    rows = ratings(scope, v.id)
    wb = Workbook()
    ws = wb.active
    ws.title = "Summary"
    bold = Font(bold=True)
    ws.append([f"Evaluation of {v.id}"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["target", v.target])
    ws.append(["dataset", v.dataset])
    ws.append(["status", v.status])
    ws.append(["evaluation gate", "PASS" if v.eval_passed else ("FAIL" if v.eval_passed is False else "not run")])
    ws.append(["failed checks", "; ".join(m.get("failed_checks") or []) or "-"])
    ws.append(["leak test", _leak_text(rep["leak"])])
    ws.append([])
    ws.append(["metric", "base", "tuned", "note"])
    for cell in ws[ws.max_row]:
        cell.font = bold
    for row in _metric_rows(m):
        ws.append(list(row))
    ws.append([])
    ws.append(["human ratings", "n", *CRITERIA, "safe share"])
    for cell in ws[ws.max_row]:
        cell.font = bold
    for side, s in summary(rows).items():
        ws.append([side, s.get("n", 0), *[s.get(c) for c in CRITERIA], s.get("safe")])
    ws.column_dimensions["A"].width = 55
    for col in "BCDEFG":
        ws.column_dimensions[col].width = 16

    ex = wb.create_sheet("Examples")
    ex.append(["set", "#", "prompt", "reference", "base answer", "tuned answer"])
    for cell in ex[1]:
        cell.font = bold
    for name, items in rep["sets"].items():
        for i, e in enumerate(items):
            ex.append([name, i, e.get("prompt"), e.get("reference"), e.get("base"), e.get("tuned")])
    for col, width in zip("ABCDEF", (11, 4, 45, 45, 45, 45), strict=True):
        ex.column_dimensions[col].width = width
    for row in ex.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    fm = wb.create_sheet("Factual misses")
    fm.append(["question", "tuned answer", "missing key facts", "false claims stated"])
    for cell in fm[1]:
        cell.font = bold
    for x in rep["factual_misses"]:
        fm.append([x.get("question"), x.get("answer"), "; ".join(x.get("missing") or []),
                   "; ".join(x.get("false") or [])])

    rs = wb.create_sheet("Ratings")
    rs.append(["set", "#", "side", "rater", *CRITERIA, "safe", "comment"])
    for cell in rs[1]:
        cell.font = bold
    for r in rows:
        rs.append([r.example_set, r.example_index, r.side, r.rater, r.relevance, r.correctness, r.style,
                   r.helpfulness, "yes" if r.safe else "no", r.comment or ""])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _font_path() -> Path | None:
    try:
        import matplotlib

        path = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
        return path if path.is_file() else None
    except ImportError:
        return None


def export_pdf(scope: PortalScope, version_id: str) -> bytes:
    """The evaluation report as a PDF: gate verdicts, metrics, leak test, rating summary, side-by-side answers."""
    from fpdf import FPDF

    rep = load_report(scope, version_id)
    v, m = rep["version"], rep["metrics"]
    rows = ratings(scope, v.id)
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    font = _font_path()
    if font:  # DejaVu (shipped with matplotlib): any Unicode text; else the core font with Latin-1 only
        pdf.add_font("dejavu", "", str(font))
        pdf.add_font("dejavu", "B", str(font))
        family = "dejavu"
    else:
        family = "helvetica"

    def clean(text: Any) -> str:
        s = "" if text is None else str(text)
        return s if font else s.encode("latin-1", "replace").decode("latin-1")

    def para(text: Any, size: int = 10, bold: bool = False, h: float = 5) -> None:
        pdf.set_font(family, "B" if bold else "", size)
        pdf.multi_cell(0, h, clean(text), new_x="LMARGIN", new_y="NEXT")

    pdf.add_page()
    para(f"Evaluation report: {v.id}", 16, True, 8)
    para(f"Target {v.target}; dataset {v.dataset}; status {v.status}; job {v.job_id}")
    gate = "PASS" if v.eval_passed else ("FAIL" if v.eval_passed is False else "not run")
    para(f"Evaluation gate: {gate}" + ("" if not m.get("failed_checks") else " - " + "; ".join(m["failed_checks"])),
         11, True)
    para(_leak_text(rep["leak"]), 10, True)
    pdf.ln(2)
    metric_rows = _metric_rows(m)
    if metric_rows:
        pdf.set_font(family, "", 9)
        with pdf.table(col_widths=(80, 25, 25, 50), text_align=("LEFT", "RIGHT", "RIGHT", "LEFT")) as table:
            head = table.row()
            for h in ("metric", "base", "tuned", "note"):
                head.cell(h)
            for name, base, tuned, note in metric_rows:
                row = table.row()
                for value in (name, base, tuned, note):
                    row.cell(clean(value))
    pdf.ln(3)
    para("Human ratings (mean, 1-5)", 12, True, 7)
    for side, s in summary(rows).items():
        if s.get("n"):
            para(f"{side}: {s['n']} rating(s); " + ", ".join(f"{c} {s[c]}" for c in CRITERIA)
                 + f"; rated safe {s['safe']:.0%}")
        else:
            para(f"{side}: no ratings yet")
    for name, items in rep["sets"].items():
        if not items:
            continue
        pdf.ln(3)
        para("Held-out prompts: base vs tuned" if name == "held_out" else "Regression set: base vs tuned", 12, True, 7)
        for i, e in enumerate(items):
            para(f"{i + 1}. {e.get('prompt')}", 10, True)
            para(f"reference: {e.get('reference')}", 9)
            para(f"base: {e.get('base') or '(empty)'}", 9)
            para(f"tuned: {e.get('tuned') or '(empty)'}", 9)
            pdf.ln(1)
    if rep["factual_misses"]:
        pdf.ln(3)
        para(f"Factual check: wrong answers of the tuned model ({len(rep['factual_misses'])})", 12, True, 7)
        for x in rep["factual_misses"]:
            para(f"Q: {x.get('question')}", 9, True)
            para(f"A: {x.get('answer')}; missing: {'; '.join(x.get('missing') or []) or '-'}; false claims: "
                 f"{'; '.join(x.get('false') or []) or '-'}", 9)
    return bytes(pdf.output())


if __name__ == "__main__":
    sys.exit(main())
