"""`sightline backup` / `sightline restore`: a real pg_dump of the demo database plus the data folder's files, restored
into an empty data folder (its own new embedded server, so the roles have to be recreated), with identical row counts
and a working `ask`; a tampered, corrupt or incomplete backup is refused before anything is touched."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import config
from app.cli import cli
from db import embedded, registry
from db.backup import BackupError, find_tools, restore, row_counts
from db.engine import admin_engine, reset_engines

runner = CliRunner()
QUESTION = "How many frames did we sell in March 2025?"
USER = "noah@northwind-optics.example"


def _counts() -> dict[str, int]:
    with admin_engine().connect() as conn:
        return row_counts(conn)


def _ask() -> dict:
    from agents import answer_sync

    return answer_sync(registry.principal_for(USER), QUESTION)


@pytest.fixture(scope="module")
def backed_up(demo, tmp_path_factory):
    """The demo database with a tenant dataset on disk, backed up with the CLI; (backup folder, counts, answer)."""
    from training.datasets import add_dataset

    src = tmp_path_factory.mktemp("ds") / "faq.jsonl"
    src.write_text("".join(json.dumps({"prompt": f"Question {i} about frame sizes?",
                                       "completion": f"Answer {i}: measure the lens width."}) + "\n"
                           for i in range(12)))
    assert add_dataset(src, "nw-faq", tenant_slug="northwind").dataset is not None
    answer = _ask()
    assert answer["route"] == "sql" and answer["rows"], answer
    dest = tmp_path_factory.mktemp("backups") / "b1"
    r = runner.invoke(cli, ["backup", str(dest)])
    assert r.exit_code == 0, r.output
    # counted after the backup command: it appends its own operator-log row after the dump
    counts = _counts()
    counts["public.operator_log"] -= 1
    return dest, counts, answer


def test_manifest_lists_the_dump_and_files_with_checksums(backed_up):
    dest, counts, _ = backed_up
    manifest = json.loads((dest / "manifest.json").read_text())
    assert manifest["format"] == "sightline-backup-v1"
    assert manifest["database"]["row_counts"] == counts
    assert counts["public.sales"] > 10_000
    files = manifest["files"]
    assert any(rel.startswith("secrets/") for rel in files) and any(rel.startswith("datasets/nw-faq/") for rel in files)
    assert all(len(meta["sha256"]) == 64 for meta in files.values())
    assert (dest / "database.dump").read_bytes()[:5] == b"PGDMP"  # pg_dump custom format
    assert oct(dest.stat().st_mode & 0o777) == "0o700"  # it holds the secrets


def test_restore_into_an_empty_data_folder(backed_up, tmp_path):
    dest, counts, answer = backed_up
    fresh = tmp_path / "fresh"
    previous = config.set_env(SIGHTLINE_DATA_DIR=str(fresh), SIGHTLINE_DATABASE="sightline")
    reset_engines()
    try:
        r = runner.invoke(cli, ["restore", str(dest)])
        assert r.exit_code == 0, r.output
        restored = _counts()
        restored["public.operator_log"] -= 1  # the restore's own log row
        assert restored == counts
        again = _ask()
        assert (again["route"], again["rows"], again["answer"]) == (answer["route"], answer["rows"], answer["answer"])
        from training.datasets import get_dataset

        ds = get_dataset("nw-faq")
        assert fresh.resolve() in ds.version.path.parents  # stored paths moved to the new data folder
        assert ds.version.split_path("train").is_file()
        r = runner.invoke(cli, ["restore", str(dest)])  # a second restore would overwrite a live database
        assert r.exit_code == 2 and "is not empty" in r.output
    finally:
        reset_engines()
        embedded.stop(fresh / "pgdata")
        config.set_env(**previous)
        reset_engines()


def _copy(src: Path, tmp_path: Path) -> Path:
    dst = tmp_path / "copy"
    shutil.copytree(src, dst)
    return dst


@pytest.mark.parametrize("damage, message", [
    ("flip a byte of the dump", "database.dump does not match its checksum"),
    ("edit a secret", "does not match its checksum"),
    ("add a file", "is not in manifest.json"),
    ("delete a file", "is missing"),
    ("garble the manifest", "manifest.json is unreadable"),
    ("path outside the data folders", "outside the folders a backup may restore"),
])
def test_tampered_or_corrupt_backups_are_refused(backed_up, tmp_path, damage, message):
    dest, counts, _ = backed_up
    copy = _copy(dest, tmp_path)
    manifest = json.loads((copy / "manifest.json").read_text())
    secret = next(rel for rel in manifest["files"] if rel.startswith("secrets/"))
    if damage == "flip a byte of the dump":
        data = bytearray((copy / "database.dump").read_bytes())
        data[len(data) // 2] ^= 0xFF
        (copy / "database.dump").write_bytes(bytes(data))
    elif damage == "edit a secret":
        (copy / "files" / secret).write_text("attacker-chosen-key-0123456789abcdef0123456789")
    elif damage == "add a file":
        (copy / "files" / "secrets" / "extra").write_text("x")
    elif damage == "delete a file":
        (copy / "files" / secret).unlink()
    elif damage == "garble the manifest":
        (copy / "manifest.json").write_text("{not json")
    else:
        manifest["files"]["../../etc/cron.d/x"] = manifest["files"][secret]
        (copy / "manifest.json").write_text(json.dumps(manifest))
    r = runner.invoke(cli, ["restore", str(copy), "--replace"])
    assert r.exit_code == 2, r.output
    assert message in r.output and "Traceback" not in r.output
    assert _counts() == {**counts, "public.operator_log": counts["public.operator_log"] + 1}  # nothing touched


def test_restore_replace_over_a_live_database(backed_up):
    dest, counts, _ = backed_up
    northwind = registry.get_tenant("northwind")
    registry.add_tenant("latecomer", "Added after the backup")
    with pytest.raises(BackupError, match="not empty"):
        restore(dest)
    restore(dest, replace=True)
    reset_engines()
    assert _counts() == counts
    assert registry.get_tenant("northwind").id == northwind.id
    assert "latecomer" not in {t.slug for t in registry.list_tenants()}


def test_tools_match_the_server():
    tools = find_tools(15)
    assert tools.major >= 15 and Path(tools.exe("pg_restore")).is_file()
    with pytest.raises(BackupError, match="postgresql-client-99"):
        find_tools(99)


def test_the_password_never_reaches_a_command_line():
    from sqlalchemy.engine import make_url

    from db.backup import _libpq

    uri, env = _libpq(make_url("postgresql+psycopg://admin:s3cr%40t@db.example.com:5432/sightline?sslmode=require"))
    assert uri == "postgresql://admin@db.example.com:5432/sightline?sslmode=require"
    assert env["PGPASSWORD"] == "s3cr@t"
