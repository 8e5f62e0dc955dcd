"""Tenant administration: the actions behind the console pages, their REST routes and the CLI (one function each).

Every function takes the acting Principal (a tenant admin: PermissionError for anyone else), works on the actor's own
tenant only, through `db.session.tenant_session()` and row-level security (ids of another tenant's rows simply match
nothing), and writes one audit row per change (`event = admin.<area>.<action>`, the actor's user id, what changed:
ids and names, never e-mails). Bad input raises AdminError (a UserError) with a message that says what to fix, and
changes nothing.

Users: "invite" registers an e-mail in the tenant with a role (they then sign in through the identity provider);
"remove" deletes the user's row (their conversations and ratings go with it; audit rows keep the user id);
"disable" keeps the user and their history but stops them at once (`users.disabled_at`, migration 0014: no sign-in,
their open chat and console sessions and widget tokens are refused on the next request, no widget token can be minted
for them; db/registry.py `principal_for` is where every path checks it) and "enable" restores access. The tenant's
last active admin cannot be demoted, removed or disabled, and an admin cannot disable themself, so a tenant always
keeps someone who can administer it; these checks lock the tenant's active admin rows first, so two admins acting at
once cannot both pass them.
"""

from __future__ import annotations

import io
import tempfile
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from config.errors import UserError
from db import api_keys, audit, chat_store, importer, origins, registry
from db.principal import Principal
from db.session import tenant_session

IMPORT_TABLES = tuple(importer.SPECS)
AUDIT_PAGE = 200


class AdminError(UserError, ValueError):
    """A user-caused problem with an administrative action; nothing was changed."""


class NotFound(AdminError):
    """No such row in the actor's tenant (also what another tenant's ids give)."""


def _check(actor: Principal) -> None:
    if not actor.is_admin or actor.via_widget:
        raise PermissionError(f"{actor.email} is not an admin of tenant {actor.tenant_slug!r}")


def _audit(actor: Principal, event: str, **action: str | int | bool | None) -> None:
    audit.record(actor, event=event, route="console", action=action)


def _uuid(value: str | uuid.UUID, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise NotFound(f"no {what} {str(value)[:60]!r} in this tenant") from exc


# ============================================================================================================ users

@dataclass(frozen=True)
class UserRow:
    id: uuid.UUID
    email: str
    role: str
    created_at: datetime
    disabled_at: datetime | None = None
    disabled_by: uuid.UUID | None = None

    @property
    def disabled(self) -> bool:
        return self.disabled_at is not None


_USER_COLS = "id, email, role, created_at, disabled_at, disabled_by"


def _user(r: Any) -> UserRow:
    return UserRow(r.id, r.email, r.role, r.created_at, r.disabled_at, r.disabled_by)


def list_users(actor: Principal) -> list[UserRow]:
    _check(actor)
    with tenant_session(actor.tenant_id, role="admin") as conn:
        rows = conn.execute(sa.text(f"SELECT {_USER_COLS} FROM users ORDER BY email")).all()
    return [_user(r) for r in rows]


def invite_user(actor: Principal, email: str, role: str = "member") -> UserRow:
    """Register `email` in the actor's tenant with `role`. An e-mail already registered anywhere is refused (the
    message does not say where)."""
    _check(actor)
    email = (email or "").strip().lower()
    if not registry.EMAIL_RE.match(email):
        raise AdminError(f"{email[:80]!r} is not an e-mail address")
    if role not in registry.ROLES:
        raise AdminError(f"role must be one of {', '.join(registry.ROLES)}, not {role[:40]!r}")
    if registry.find_user(email) is not None:
        raise AdminError(f"{email} is already registered; change the role of an existing user instead")
    try:
        with tenant_session(actor.tenant_id, role="admin") as conn:
            row = conn.execute(sa.text(f"INSERT INTO users (email, role) VALUES (:e, :r) RETURNING {_USER_COLS}"),
                               {"e": email, "r": role}).one()
    except sa.exc.IntegrityError as exc:  # registered meanwhile (e-mails are unique across tenants)
        raise AdminError(f"{email} is already registered") from exc
    _audit(actor, "admin.user.invite", target_user=str(row.id), role=role)
    return _user(row)


def _locked_user(conn: sa.Connection, uid: uuid.UUID) -> tuple[Any, set[uuid.UUID]]:
    """The user's row and the ids of the tenant's active admins, all locked (admins first, in id order, so
    concurrent changes serialize and the last-admin checks below see each other's result). NotFound when the tenant
    has no such user."""
    admins = set(conn.execute(sa.text("SELECT id FROM users WHERE role = 'admin' AND disabled_at IS NULL "
                                      "ORDER BY id FOR UPDATE")).scalars())
    current = conn.execute(sa.text(f"SELECT {_USER_COLS} FROM users WHERE id = :id FOR UPDATE"), {"id": uid}).first()
    if current is None:
        raise NotFound(f"no user {uid} in this tenant")
    return current, admins


def _last_active_admin(current: Any, admins: set[uuid.UUID]) -> bool:
    return current.role == "admin" and current.disabled_at is None and admins <= {current.id}


def set_role(actor: Principal, user_id: str | uuid.UUID, role: str) -> UserRow:
    _check(actor)
    if role not in registry.ROLES:
        raise AdminError(f"role must be one of {', '.join(registry.ROLES)}, not {role[:40]!r}")
    uid = _uuid(user_id, "user")
    with tenant_session(actor.tenant_id, role="admin") as conn:
        current, admins = _locked_user(conn, uid)
        if role != "admin" and _last_active_admin(current, admins):
            raise AdminError(f"{current.email} is the tenant's only admin still enabled; make someone else admin first")
        row = conn.execute(sa.text(f"UPDATE users SET role = :r WHERE id = :id RETURNING {_USER_COLS}"),
                           {"r": role, "id": uid}).one()
    if current.role != role:
        _audit(actor, "admin.user.role", target_user=str(uid), role=role, previous=current.role)
    return _user(row)


def remove_user(actor: Principal, user_id: str | uuid.UUID) -> str:
    """Delete the user (and their conversations and ratings); returns their e-mail."""
    _check(actor)
    uid = _uuid(user_id, "user")
    with tenant_session(actor.tenant_id, role="admin") as conn:
        current, admins = _locked_user(conn, uid)
        if _last_active_admin(current, admins):
            raise AdminError(f"{current.email} is the tenant's only admin still enabled and cannot be removed")
        conn.execute(sa.text("DELETE FROM users WHERE id = :id"), {"id": uid})
    _audit(actor, "admin.user.remove", target_user=str(uid), role=current.role)
    return str(current.email)


def set_disabled(actor: Principal, user_id: str | uuid.UUID, disabled: bool) -> UserRow:
    """Disable (`disabled=True`) or re-enable a user of the actor's tenant; returns the user as it is now.

    Refused (AdminError, nothing changed): disabling yourself, or the tenant's last active admin. Another tenant's
    user id matches nothing under RLS (NotFound). Disabling a disabled user (or enabling an active one) changes
    nothing and writes no audit row; a change writes `admin.user.disable` / `admin.user.enable` with the actor."""
    _check(actor)
    uid = _uuid(user_id, "user")
    if disabled and uid == actor.user_id:
        raise AdminError("you cannot disable your own account; ask another admin of this tenant")
    with tenant_session(actor.tenant_id, role="admin") as conn:
        current, admins = _locked_user(conn, uid)
        if disabled and _last_active_admin(current, admins):
            raise AdminError(f"{current.email} is the tenant's last active admin and cannot be disabled; make another "
                             "user admin first")
        if disabled == (current.disabled_at is not None):
            return _user(current)
        row = conn.execute(sa.text(
            "UPDATE users SET disabled_at = CASE WHEN :d THEN now() END, disabled_by = CASE WHEN :d THEN "
            f"CAST(:actor AS uuid) END WHERE id = :id RETURNING {_USER_COLS}"),
            {"d": disabled, "actor": str(actor.user_id), "id": uid}).one()
    _audit(actor, f"admin.user.{'disable' if disabled else 'enable'}", target_user=str(uid), role=current.role)
    return _user(row)


# ========================================================================================================= API keys

def list_keys(actor: Principal) -> list[api_keys.ApiKeyInfo]:
    _check(actor)
    return api_keys.list_keys(actor.tenant_id)


def create_key(actor: Principal, name: str, history: str = "widget") -> tuple[str, api_keys.ApiKeyInfo]:
    """A new API key: (the key, shown once and never stored, its listing entry)."""
    _check(actor)
    name = (name or "").strip()
    if not 1 <= len(name) <= 200:
        raise AdminError("give the key a name of 1-200 characters (e.g. the site that will use it)")
    if history not in api_keys.HISTORY:
        raise AdminError(f"history must be one of {', '.join(api_keys.HISTORY)}, not {history[:40]!r}")
    key, info = api_keys.create_key(actor.tenant_id, name, history=history)
    _audit(actor, "admin.apikey.create", key_prefix=info.prefix, name=name, history=history)
    return key, info


def revoke_key(actor: Principal, prefix: str) -> None:
    _check(actor)
    prefix = (prefix or "").strip().removeprefix("slk_").split("_")[0]
    if not api_keys.PREFIX_RE.match(prefix):
        raise NotFound(f"no API key {prefix[:40]!r} in this tenant")
    if not api_keys.revoke_key(actor.tenant_id, prefix):
        raise NotFound(f"no active API key {prefix!r} in this tenant")
    _audit(actor, "admin.apikey.revoke", key_prefix=prefix)


# ================================================================================================== allowed Origins

def list_origins(actor: Principal) -> list[str]:
    _check(actor)
    return origins.list_origins(actor.tenant_id)


def add_origin(actor: Principal, origin: str) -> str:
    _check(actor)
    try:
        value = origins.add_origin(actor.tenant_id, origin or "")
    except origins.OriginError as exc:
        raise AdminError(str(exc)) from exc
    _audit(actor, "admin.origin.add", origin=value)
    return value


def remove_origin(actor: Principal, origin: str) -> None:
    _check(actor)
    try:
        removed = origins.remove_origin(actor.tenant_id, origin or "")
    except origins.OriginError as exc:
        raise AdminError(str(exc)) from exc
    if not removed:
        raise NotFound(f"{origin[:200]!r} is not an allowed Origin of this tenant")
    _audit(actor, "admin.origin.remove", origin=origins.normalize_origin(origin))


# ======================================================================================================== documents

@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


def list_documents(actor: Principal) -> list[Any]:
    from tools.ingest import list_documents as listed

    _check(actor)
    return listed(actor.tenant_id)


def upload_documents(actor: Principal, files: Sequence[Upload]) -> list[Any]:
    """Ingest uploaded .txt/.md/.pdf/.docx files (all or nothing: one bad file rejects the upload)."""
    from tools.ingest import IngestError, add_documents

    _check(actor)
    if not files:
        raise AdminError("choose at least one file (.txt, .md, .pdf or .docx)")
    names = [Path(f.name or "").name for f in files]
    with tempfile.TemporaryDirectory(prefix="sightline-upload-") as folder:
        paths = []
        for i, (f, name) in enumerate(zip(files, names, strict=True)):
            path = Path(folder) / f"{i}{Path(name).suffix.lower()}"
            path.write_bytes(f.data)
            paths.append(path)
        try:
            results = add_documents(actor.tenant_id, paths, names=names)
        except IngestError as exc:
            # The temporary paths mean nothing to the user: name the uploaded files instead.
            message = str(exc)
            for path, name in zip(paths, names, strict=True):
                message = message.replace(str(path), name)
            raise AdminError(message) from exc
    for r in results:
        if r.status != "unchanged":
            _audit(actor, f"admin.document.{'add' if r.status == 'added' else 'update'}",
                   document=str(r.document_id), source=r.source, chunks=r.chunks)
    return results


@dataclass(frozen=True)
class DocumentPreview:
    id: uuid.UUID
    title: str
    source: str
    mime_type: str
    updated_at: datetime
    chunks: list[str]


def preview_document(actor: Principal, document_id: str | uuid.UUID) -> DocumentPreview:
    _check(actor)
    did = _uuid(document_id, "document")
    with tenant_session(actor.tenant_id) as conn:
        doc = conn.execute(sa.text("SELECT id, title, source, mime_type, updated_at FROM documents WHERE id = :id"),
                           {"id": did}).first()
        if doc is None:
            raise NotFound(f"no document {did} in this tenant")
        chunks = list(conn.execute(sa.text("SELECT content FROM document_chunks WHERE document_id = :id "
                                           "ORDER BY chunk_index"), {"id": did}).scalars())
    return DocumentPreview(doc.id, doc.title, doc.source, doc.mime_type, doc.updated_at, chunks)


def delete_document(actor: Principal, document_id: str | uuid.UUID) -> str:
    _check(actor)
    did = _uuid(document_id, "document")
    with tenant_session(actor.tenant_id) as conn:
        row = conn.execute(sa.text("DELETE FROM documents WHERE id = :id RETURNING source"), {"id": did}).first()
    if row is None:
        raise NotFound(f"no document {did} in this tenant")
    _audit(actor, "admin.document.delete", document=str(did), source=row.source)
    return str(row.source)


def reingest_document(actor: Principal, document_id: str | uuid.UUID) -> int:
    """Embed the document's stored passages again with the current embedding model (after a model change);
    returns the number of passages. The text is what was extracted at upload (upload the file again to replace it)."""
    from tools.embeddings import embed
    from tools.ingest import _DELETE_CHUNKS, _INSERT_CHUNK

    doc = preview_document(actor, document_id)
    if not doc.chunks:
        raise AdminError(f"{doc.source} has no stored passages; upload the file again")
    vectors = embed([f"{doc.title}\n{c}" for c in doc.chunks])
    with tenant_session(actor.tenant_id) as conn:
        conn.execute(_DELETE_CHUNKS, {"doc": doc.id})
        conn.execute(_INSERT_CHUNK, [{"doc": doc.id, "idx": i, "content": c, "embedding": v}
                                     for i, (c, v) in enumerate(zip(doc.chunks, vectors, strict=True))])
        conn.execute(sa.text("UPDATE documents SET updated_at = now() WHERE id = :id"), {"id": doc.id})
    _audit(actor, "admin.document.reingest", document=str(doc.id), source=doc.source, chunks=len(doc.chunks))
    return len(doc.chunks)


# ======================================================================================================= CSV import

@dataclass(frozen=True)
class ImportOutcome:
    result: importer.ImportResult | None
    issues: list[importer.Issue]
    total_issues: int


def import_csv(actor: Principal, table: str, filename: str, data: bytes) -> ImportOutcome:
    """Validate and import a CSV for `table`; on any problem nothing is stored and the issues (line, column,
    reason) are returned."""
    _check(actor)
    if table not in IMPORT_TABLES:
        raise AdminError(f"table must be one of {', '.join(IMPORT_TABLES)}, not {table[:40]!r}")
    source = Path(filename or "upload.csv").name[:200] or "upload.csv"
    if not data:
        raise AdminError(f"{source} is empty: choose a CSV file with a header row")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        issues = [importer.Issue(source, None, None, f"is not UTF-8 text (byte {exc.start})")]
        return ImportOutcome(None, issues, 1)
    try:
        rows = importer.iter_rows(io.StringIO(text, newline=""), importer.SPECS[table], source)
        result = importer.import_rows(table, rows, actor.tenant_id, source)
    except importer.ImportFailed as exc:
        return ImportOutcome(None, exc.issues, exc.total)
    _audit(actor, "admin.import", table=table, source=source, rows=result.rows)
    return ImportOutcome(result, [], 0)


# ======================================================================================================== audit log

@dataclass(frozen=True)
class AuditFilter:
    event: str = ""  # prefix, e.g. "admin." or "turn"
    user: str = ""  # e-mail substring
    route: str = ""
    since: datetime | None = None
    limit: int = AUDIT_PAGE


def read_audit(actor: Principal, f: AuditFilter) -> list[audit.AuditRow]:
    _check(actor)
    if not 1 <= f.limit <= 1000:
        raise AdminError("limit must be between 1 and 1000")
    rows = audit.read(actor, since=f.since, limit=audit.MAX_LIMIT if (f.event or f.user or f.route) else f.limit)
    event, user, route = f.event.strip().lower(), f.user.strip().lower(), f.route.strip().lower()
    out = [r for r in rows if (not event or r.event.startswith(event))
           and (not user or user in (r.user_email or "").lower())
           and (not route or (r.route or "").lower() == route)]
    return out[: f.limit]


# ========================================================================================================= feedback

@dataclass(frozen=True)
class RatedAnswer:
    at: datetime
    value: int
    comment: str | None
    route: str | None
    model: str | None
    latency_ms: int | None
    user_email: str | None
    question: str
    answer: str


def feedback(actor: Principal, *, only: str = "", limit: int = 100) -> tuple[list[chat_store.FeedbackSummary],
                                                                               list[RatedAnswer]]:
    """Thumbs per route and model, and the latest rated answers (with the question asked and the answer rated).
    `only`: "up", "down" or "" (both)."""
    _check(actor)
    if only not in ("", "up", "down"):
        raise AdminError("filter must be up, down or empty")
    summary = chat_store.feedback_summary(actor.tenant_id)
    value = {"up": 1, "down": 0}.get(only)
    with tenant_session(actor.tenant_id, role="admin") as conn:
        rows = conn.execute(sa.text(
            "SELECT f.updated_at AS at, f.value, f.comment, f.route, f.model, f.latency_ms, u.email AS user_email, "
            "COALESCE(a.output, '') AS answer, COALESCE(("
            "  SELECT q.output FROM chat_steps q WHERE q.thread_id = f.thread_id AND q.type = 'user_message' "
            "  AND q.created_at <= a.created_at ORDER BY q.created_at DESC LIMIT 1), '') AS question "
            "FROM chat_feedback f LEFT JOIN chat_steps a ON a.thread_id = f.thread_id AND a.id = f.step_id "
            "LEFT JOIN users u ON u.id = f.user_id "
            "WHERE CAST(:v AS smallint) IS NULL OR f.value = CAST(:v AS smallint) "
            "ORDER BY f.updated_at DESC LIMIT :limit"), {"v": value, "limit": limit}).mappings().all()
    return summary, [RatedAnswer(**dict(r)) for r in rows]
