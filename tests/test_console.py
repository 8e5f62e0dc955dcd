"""The web console (app/admin/) in-process with the real app and database: sign-in, roles, CSRF, tenant isolation,
and every tenant administration page and REST route (its effect, its audit row, its refusal of bad input).

Attacks that must fail: no session, a forged session cookie, a member, another tenant's admin, a missing or stale
CSRF token, ids of another tenant's rows.
"""

from __future__ import annotations

import pytest

from db import registry
from tests.admin_helpers import console_with_users, forged_client, signed_in

ADMIN = "ada@console-a.example"
MEMBER = "mel@console-a.example"
OTHER_ADMIN = "otto@console-b.example"
OPERATOR = "opal@console-b.example"


@pytest.fixture(scope="module")
def app(database):
    registry.add_tenant("console-a", "Console A")
    registry.add_tenant("console-b", "Console B")
    users = ((ADMIN, "console-a", "admin"), (MEMBER, "console-a", "member"), (OTHER_ADMIN, "console-b", "admin"),
             (OPERATOR, "console-b", "member"))
    with console_with_users(users, operators=OPERATOR) as app:
        yield app


def test_admin_sees_the_console_with_its_nav(app):
    r = signed_in(app, ADMIN).get("/admin")
    assert r.status_code == 200, r.text
    assert "Sightline console" in r.text and ADMIN in r.text and 'href="/admin"' in r.text
    assert 'name="csrf-token"' in r.text


def test_member_gets_403_and_nobody_401(app):
    r = signed_in(app, MEMBER).get("/admin")
    assert r.status_code == 403 and "not an admin" in r.text
    from starlette.testclient import TestClient

    assert TestClient(app).get("/admin").status_code == 401
    assert TestClient(app).get("/api/admin/me").status_code == 401
    assert forged_client(app, ADMIN).get("/admin").status_code == 401
    assert forged_client(app, ADMIN).get("/api/admin/me").status_code == 401


def test_operator_is_recognised_from_the_setting(app):
    me = signed_in(app, OPERATOR).get("/api/admin/me").json()
    assert me == {"email": OPERATOR, "tenant": "console-b", "role": "member", "operator": True}
    assert signed_in(app, OPERATOR).get("/admin").status_code == 200
    assert signed_in(app, ADMIN).get("/api/admin/me").json()["operator"] is False


def test_static_files_are_served_offline(app):
    c = signed_in(app, ADMIN)
    htmx = c.get("/admin/static/htmx-2.0.4.min.js")
    assert htmx.status_code == 200 and "htmx" in htmx.text[:2000]
    plotly = c.get("/admin/static/plotly.min.js")
    assert plotly.status_code == 200 and "plotly" in plotly.text[:3000].lower()


# ------------------------------------------------------------------------------------------------- helpers

def audit_events(tenant_slug: str, prefix: str = "admin.") -> list:
    from db import audit

    return [r for r in audit.read_tenant(registry.get_tenant(tenant_slug).id, limit=500) if r.event.startswith(prefix)]


def form(client, path: str, data: dict | None = None, files=None, csrf: bool = True, **kw):
    payload = dict(data or {})
    if csrf:
        payload["csrf_token"] = client.csrf
    return client.post(path, data=payload, files=files, follow_redirects=False, **kw)


def user_id(email: str) -> str:
    return str(registry.find_user(email).id)


# ------------------------------------------------------------------------------------------------- users

def test_invite_change_role_and_remove_a_user_with_audit_rows(app):
    c = signed_in(app, ADMIN)
    r = form(c, "/admin/users", {"email": "New.Person@console-a.example", "role": "member"})
    assert r.status_code == 303 and "added" in r.headers["location"]
    new = registry.find_user("new.person@console-a.example")
    assert new is not None and new.tenant.slug == "console-a" and new.role == "member"
    page = c.get("/admin/users")
    assert "new.person@console-a.example" in page.text and "added as member" not in page.text
    assert form(c, f"/admin/users/{new.id}/role", {"role": "admin"}).status_code == 303
    assert registry.find_user("new.person@console-a.example").role == "admin"
    assert form(c, f"/admin/users/{new.id}/remove").status_code == 303
    assert registry.find_user("new.person@console-a.example") is None
    events = {(e.event, e.details["action"].get("target_user"), e.user_email) for e in audit_events("console-a")}
    for event in ("admin.user.invite", "admin.user.role", "admin.user.remove"):
        assert (event, str(new.id), ADMIN) in events
    role_row = next(e for e in audit_events("console-a", "admin.user.role") if
                    e.details["action"]["target_user"] == str(new.id))
    assert role_row.details["action"] == {"target_user": str(new.id), "role": "admin", "previous": "member"}
    assert "new.person" not in str([e.details for e in audit_events("console-a")])  # ids, never e-mails


def test_bad_user_input_is_refused_clearly_and_changes_nothing(app):
    c = signed_in(app, ADMIN)
    before = len(audit_events("console-a"))
    r = form(c, "/admin/users", {"email": "not-an-email", "role": "member"})
    assert r.status_code == 400 and "is not an e-mail address" in r.text
    r = form(c, "/admin/users", {"email": "x@console-a.example", "role": "owner"})
    assert r.status_code == 400 and "role must be one of member, admin" in r.text
    assert registry.find_user("x@console-a.example") is None
    # An e-mail of another tenant: refused without saying where it is registered.
    r = form(c, "/admin/users", {"email": OTHER_ADMIN, "role": "member"})
    assert r.status_code == 400 and f"{OTHER_ADMIN} is already registered; change the role" in r.text
    assert "belongs to" not in r.text and "Console B" not in r.text
    assert registry.find_user(OTHER_ADMIN).tenant.slug == "console-b"
    # The only admin cannot demote or remove themselves.
    r = form(c, f"/admin/users/{user_id(ADMIN)}/role", {"role": "member"})
    assert r.status_code == 400 and "only admin" in r.text and registry.find_user(ADMIN).role == "admin"
    assert form(c, f"/admin/users/{user_id(ADMIN)}/remove").status_code == 400
    assert form(c, "/admin/users/not-a-uuid/remove").status_code == 404
    assert len(audit_events("console-a")) == before


def test_another_tenants_admin_sees_and_changes_nothing_of_this_tenant(app):
    other = signed_in(app, OTHER_ADMIN)
    page = other.get("/admin/users")
    assert page.status_code == 200 and MEMBER not in page.text and ADMIN not in page.text
    assert MEMBER not in str(other.get("/api/admin/users").json())
    r = form(other, f"/admin/users/{user_id(MEMBER)}/role", {"role": "admin"})
    assert r.status_code == 404 and registry.find_user(MEMBER).role == "member"
    assert form(other, f"/admin/users/{user_id(MEMBER)}/remove").status_code == 404
    assert registry.find_user(MEMBER) is not None
    r = other.delete(f"/api/admin/users/{user_id(MEMBER)}", headers={"X-CSRF-Token": other.csrf})
    assert r.status_code == 404 and registry.find_user(MEMBER) is not None


def test_members_and_strangers_cannot_use_any_tenant_route(app):
    from starlette.testclient import TestClient

    member, nobody, forged = signed_in(app, MEMBER), TestClient(app), forged_client(app, ADMIN)
    gets = ["/admin/users", "/admin/keys", "/admin/origins", "/admin/documents", "/admin/import", "/admin/audit",
            "/admin/feedback", "/api/admin/users", "/api/admin/keys", "/api/admin/origins", "/api/admin/documents",
            "/api/admin/audit", "/api/admin/feedback"]
    for path in gets:
        assert member.get(path).status_code == 403, path
        assert nobody.get(path).status_code == 401, path
        assert forged.get(path).status_code == 401, path
    r = form(member, "/admin/users", {"email": "sneaky@console-a.example", "role": "admin"})
    assert r.status_code == 403 and registry.find_user("sneaky@console-a.example") is None
    r = member.post("/api/admin/users", json={"email": "sneaky@console-a.example", "role": "admin"},
                    headers={"X-CSRF-Token": member.csrf})
    assert r.status_code == 403 and registry.find_user("sneaky@console-a.example") is None
    assert member.post("/api/admin/keys", json={"name": "x"}, headers={"X-CSRF-Token": member.csrf}).status_code == 403


def test_csrf_token_is_required_for_every_cookie_change(app):
    c = signed_in(app, ADMIN)
    for path, data in [("/admin/users", {"email": "csrf@console-a.example", "role": "member"}),
                       ("/admin/keys", {"name": "csrf"}), ("/admin/origins", {"origin": "https://csrf.example"})]:
        assert form(c, path, data, csrf=False).status_code == 403, path
        assert form(c, path, {**data, "csrf_token": "0" * 64}, csrf=False).status_code == 403, path
    # Another session's token (the other tenant's admin) is not this session's.
    assert form(c, "/admin/origins", {"origin": "https://csrf.example", "csrf_token": signed_in(app, OTHER_ADMIN).csrf},
                csrf=False).status_code == 403
    assert c.post("/api/admin/origins", json={"origin": "https://csrf.example"}).status_code == 403
    assert registry.find_user("csrf@console-a.example") is None
    assert "https://csrf.example" not in c.get("/api/admin/origins").json()
    assert not [k for k in c.get("/api/admin/keys").json() if k["name"] == "csrf"]


def test_rest_with_a_bearer_session_token_needs_no_csrf(app):
    from starlette.testclient import TestClient

    from tests.admin_helpers import session_token

    bearer = {"Authorization": f"Bearer {session_token(ADMIN)}"}
    c = TestClient(app)
    r = c.post("/api/admin/origins", json={"origin": "https://bearer.example"}, headers=bearer)
    assert r.status_code == 201 and r.json() == {"origin": "https://bearer.example"}
    r = c.delete("/api/admin/origins", params={"origin": "https://bearer.example"}, headers=bearer)
    assert r.status_code == 200
    assert "https://bearer.example" not in c.get("/api/admin/origins", headers=bearer).json()


# ------------------------------------------------------------------------------------------------- API keys

def test_api_key_is_shown_once_works_and_is_revoked(app):
    from db import api_keys

    c = signed_in(app, ADMIN)
    r = form(c, "/admin/keys", {"name": "shop widget", "history": "widget"})
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    import re

    key = re.search(r"slk_[a-z0-9]{12}_[A-Za-z0-9_-]{43}", r.text).group(0)
    grant = api_keys.authenticate(key)
    assert grant is not None and grant.tenant.slug == "console-a"
    listing = c.get("/admin/keys").text
    assert key not in listing and f"slk_{grant.prefix}_" in listing  # never shown again
    assert form(c, f"/admin/keys/{grant.prefix}/revoke").status_code == 303
    assert api_keys.authenticate(key) is None
    events = [(e.event, e.details["action"].get("key_prefix")) for e in audit_events("console-a", "admin.apikey")]
    assert ("admin.apikey.create", grant.prefix) in events and ("admin.apikey.revoke", grant.prefix) in events
    assert key not in str([e.details for e in audit_events("console-a")])
    # Bad input, another tenant's key, REST.
    assert form(c, "/admin/keys", {"name": "  "}).status_code == 400
    assert form(c, "/admin/keys", {"name": "x", "history": "everything"}).status_code == 400
    other_key, info = api_keys.create_key(registry.get_tenant("console-b").id, "b's key")
    assert form(c, f"/admin/keys/{info.prefix}/revoke").status_code == 404
    assert api_keys.authenticate(other_key) is not None
    r = c.post("/api/admin/keys", json={"name": "rest key"}, headers={"X-CSRF-Token": c.csrf})
    assert r.status_code == 201 and api_keys.authenticate(r.json()["key"]) is not None
    prefix = r.json()["prefix"]
    assert c.delete(f"/api/admin/keys/{prefix}", headers={"X-CSRF-Token": c.csrf}).status_code == 200
    assert api_keys.authenticate(r.json()["key"]) is None


# ------------------------------------------------------------------------------------------------- Origins

def test_allowed_origins_add_remove_and_refuse_bad_values(app):
    from db.origins import list_origins

    c = signed_in(app, ADMIN)
    tid = registry.get_tenant("console-a").id
    assert form(c, "/admin/origins", {"origin": "https://Shop.Example.com/"}).status_code == 303
    assert "https://shop.example.com" in list_origins(tid)
    assert "<code>https://shop.example.com</code>" in c.get("/admin/origins").text
    assert "https://shop.example.com" not in signed_in(app, OTHER_ADMIN).get("/admin/origins").text
    r = form(c, "/admin/origins", {"origin": "javascript:alert(1)"})
    assert r.status_code == 400 and "error" in r.text
    assert form(signed_in(app, OTHER_ADMIN), "/admin/origins/remove",
                {"origin": "https://shop.example.com"}).status_code == 404
    assert "https://shop.example.com" in list_origins(tid)
    assert form(c, "/admin/origins/remove", {"origin": "https://shop.example.com"}).status_code == 303
    assert "https://shop.example.com" not in list_origins(tid)
    events = [e.event for e in audit_events("console-a", "admin.origin")]
    assert "admin.origin.add" in events and "admin.origin.remove" in events


# ------------------------------------------------------------------------------------------------- documents

POLICY = b"# Frame warranty\n\nEvery frame bought at our stores carries a 400-day warranty against breakage.\n"


def test_documents_upload_preview_reingest_delete(app):
    c = signed_in(app, ADMIN)
    r = form(c, "/admin/documents", files=[("files", ("warranty.md", POLICY, "text/markdown"))],
             headers={"HX-Request": "true"})
    assert r.status_code == 200 and 'id="documents-panel"' in r.text and "<html" not in r.text
    assert "warranty.md: added" in r.text
    docs = c.get("/api/admin/documents").json()
    doc = next(d for d in docs if d["source"] == "warranty.md")
    assert doc["title"] == "Frame warranty" and doc["chunks"] >= 1
    page = c.get(f"/admin/documents/{doc['id']}")
    assert page.status_code == 200 and "400-day warranty" in page.text
    # Another tenant's admin: not listed, no preview, no delete.
    other = signed_in(app, OTHER_ADMIN)
    assert "warranty.md" not in other.get("/admin/documents").text
    assert other.get(f"/admin/documents/{doc['id']}").status_code == 404
    assert other.get(f"/api/admin/documents/{doc['id']}").status_code == 404
    assert form(other, f"/admin/documents/{doc['id']}/delete").status_code == 404
    assert form(c, f"/admin/documents/{doc['id']}/reingest").status_code == 303
    assert form(c, f"/admin/documents/{doc['id']}/delete").status_code == 303
    assert not [d for d in c.get("/api/admin/documents").json() if d["source"] == "warranty.md"]
    events = [e.event for e in audit_events("console-a", "admin.document")]
    assert {"admin.document.add", "admin.document.reingest", "admin.document.delete"} <= set(events)


def test_bad_documents_are_refused_and_nothing_is_stored(app):
    c = signed_in(app, ADMIN)
    before = c.get("/api/admin/documents").json()
    r = form(c, "/admin/documents", files=[("files", ("ok.md", POLICY, "text/markdown")),
                                           ("files", ("evil.exe", b"MZ\x90\x00", "application/octet-stream"))])
    assert r.status_code == 400 and "evil.exe" in r.text and "unsupported file type" in r.text
    assert "/tmp" not in r.text  # the upload's temporary path is never shown
    r = form(c, "/admin/documents", files=[("files", ("empty.txt", b"   ", "text/plain"))],
             headers={"HX-Request": "true"})  # htmx: the panel fragment with the error (the layout swaps 4xx too)
    assert r.status_code == 400 and "empty.txt" in r.text and 'role="alert"' in r.text and "<html" not in r.text
    assert '"[45]..", "swap": true' in c.get("/admin/documents").text
    assert c.get("/api/admin/documents").json() == before
    r = c.post("/api/admin/documents", files=[("files", ("x.bin", b"1", "application/octet-stream"))],
               headers={"X-CSRF-Token": c.csrf})
    assert r.status_code == 400 and "unsupported file type" in r.json()["detail"]


# ------------------------------------------------------------------------------------------------- CSV import

def test_csv_import_stores_good_files_and_reports_line_and_column_of_bad_ones(app):
    c = signed_in(app, ADMIN)
    good = b"store_code,name,city,state\nCA-01,Console Main,Portland,OR\nCA-02,Console East,Seattle,WA\n"
    r = form(c, "/admin/import", {"table": "stores"}, files={"file": ("stores.csv", good, "text/csv")})
    assert r.status_code == 200 and "Imported 2 rows into stores" in r.text
    bad = b"store_code,name,city,state\nCA-03,Third,Boise,ID\nCA-04,Fourth,Reno,Nevada\n"
    r = form(c, "/admin/import", {"table": "stores"}, files={"file": ("more.csv", bad, "text/csv")})
    assert r.status_code == 400 and "nothing was imported" in r.text
    assert "<td>3</td><td>state</td>" in r.text  # the line and the column of the problem
    r = c.post("/api/admin/import/stores", files={"file": ("more.csv", bad, "text/csv")},
               headers={"X-CSRF-Token": c.csrf})
    assert r.status_code == 400 and r.json()["issues"][0]["line"] == 3 and r.json()["issues"][0]["column"] == "state"
    import sqlalchemy as sa

    from db.session import tenant_session

    with tenant_session(registry.get_tenant("console-a").id) as conn:
        codes = set(conn.execute(sa.text("SELECT store_code FROM stores")).scalars())
    assert codes == {"CA-01", "CA-02"}  # nothing of the rejected file
    with tenant_session(registry.get_tenant("console-b").id) as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM stores")).scalar_one() == 0
    assert form(c, "/admin/import", {"table": "secrets"},
                files={"file": ("x.csv", good, "text/csv")}).status_code == 400
    imports = audit_events("console-a", "admin.import")
    assert len(imports) == 1 and imports[0].details["action"]["rows"] == 2


# ------------------------------------------------------------------------------------------------- audit, feedback

def test_audit_log_filters_and_isolation(app):
    c = signed_in(app, ADMIN)
    form(c, "/admin/origins", {"origin": "https://audit.example"})
    rows = c.get("/api/admin/audit", params={"event": "admin.origin"}).json()
    assert rows and all(r["event"].startswith("admin.origin") for r in rows) and rows[0]["user"] == ADMIN
    assert c.get("/api/admin/audit", params={"user": "nobody-here"}).json() == []
    page = c.get("/admin/audit", params={"event": "admin.origin.add"})
    assert page.status_code == 200 and "https://audit.example" in page.text
    r = c.get("/admin/audit", params={"since": "last tuesday"})
    assert r.status_code == 400 and "since" in r.text
    other = signed_in(app, OTHER_ADMIN).get("/api/admin/audit").json()
    assert all(r["user"] != ADMIN for r in other)


def test_feedback_view_shows_thumbs_per_route_and_the_rated_answer(app):
    from db import chat_store

    member = registry.principal_for(MEMBER)
    chat_store.upsert_step(member, {"id": "q1", "threadId": "fb-thread", "type": "user_message",
                                    "output": "What is the warranty on frames?", "createdAt": "2025-03-01T10:00:00Z"})
    chat_store.upsert_step(member, {"id": "a1", "threadId": "fb-thread", "type": "assistant_message",
                                    "output": "Frames carry a 400-day warranty.", "createdAt": "2025-03-01T10:00:05Z",
                                    "metadata": {"route": "docs", "model": "embedded", "latency_ms": 1200}})
    chat_store.upsert_feedback(member, "a1", 0, "too short")
    c = signed_in(app, ADMIN)
    data = c.get("/api/admin/feedback").json()
    assert {"route": "docs", "model": "embedded", "ratings": 1, "up": 0, "down": 1, "up_rate": 0.0,
            "avg_latency_ms": 1200.0} in data["summary"]
    rated = data["rated"][0]
    assert rated["question"] == "What is the warranty on frames?" and rated["answer"].startswith("Frames carry")
    assert rated["comment"] == "too short" and rated["user"] == MEMBER
    page = c.get("/admin/feedback", params={"only": "down"})
    assert page.status_code == 200 and "too short" in page.text and "400-day" in page.text
    assert "too short" not in c.get("/admin/feedback", params={"only": "up"}).text
    assert c.get("/admin/feedback", params={"only": "sideways"}).status_code == 400
    assert signed_in(app, OTHER_ADMIN).get("/api/admin/feedback").json() == {"summary": [], "rated": []}


# ------------------------------------------------------------------------------------------------- CLI

def test_cli_admin_commands_act_as_the_named_admin_with_the_same_checks(app, tmp_path):
    from typer.testing import CliRunner

    from app.cli import cli
    from db.origins import list_origins

    run = CliRunner().invoke
    r = run(cli, ["admin", "invite", "cli.user@console-a.example", "--role", "member", "--as", ADMIN])
    assert r.exit_code == 0 and "added cli.user@console-a.example as member" in r.output
    uid = user_id("cli.user@console-a.example")
    assert run(cli, ["admin", "role", uid, "admin", "--as", ADMIN]).exit_code == 0
    assert registry.find_user("cli.user@console-a.example").role == "admin"
    r = run(cli, ["admin", "role", uid, "member", "--as", OTHER_ADMIN])  # another tenant's admin: not found
    assert r.exit_code == 2 and "no user" in r.output
    assert registry.find_user("cli.user@console-a.example").role == "admin"
    r = run(cli, ["admin", "users", "--as", MEMBER])
    assert r.exit_code == 2 and "not an admin" in r.output
    assert run(cli, ["admin", "origin-add", "https://cli.example", "--as", ADMIN]).exit_code == 0
    assert "https://cli.example" in list_origins(registry.get_tenant("console-a").id)
    bad = tmp_path / "stores.csv"
    bad.write_text("store_code,name,city\nZ-1,Z,Zed\n")
    r = run(cli, ["admin", "import", "stores", str(bad), "--as", ADMIN])
    assert r.exit_code == 1 and "missing column(s): state" in r.output
    r = run(cli, ["admin", "audit", "--as", ADMIN, "--event", "admin.origin.add", "--json"])
    assert r.exit_code == 0 and "https://cli.example" in r.output
    key = run(cli, ["admin", "key-create", "--name", "cli key", "--as", ADMIN]).output.strip()
    from db import api_keys

    assert api_keys.authenticate(key) is not None
    assert run(cli, ["admin", "key-revoke", key, "--as", ADMIN]).exit_code == 0
    assert api_keys.authenticate(key) is None
    assert run(cli, ["admin", "remove", uid, "--as", ADMIN]).exit_code == 0
    assert registry.find_user("cli.user@console-a.example") is None


# ------------------------------------------------------------------------------------------------- operator

def test_operator_sees_every_tenant_and_can_disable_one_others_cannot(app):
    op = signed_in(app, OPERATOR)
    rows = {t["slug"]: t for t in op.get("/api/admin/tenants").json()}
    assert {"console-a", "console-b"} <= set(rows) and rows["console-a"]["admins"] >= 1
    page = op.get("/admin/tenants")
    assert page.status_code == 200 and "console-a" in page.text and 'href="/admin/tenants"' in page.text
    # Not an operator: neither the page nor the nav entry.
    admin = signed_in(app, ADMIN)
    assert admin.get("/admin/tenants").status_code == 403
    assert admin.post("/api/admin/tenants/console-b/status", json={"status": "disabled"},
                      headers={"X-CSRF-Token": admin.csrf}).status_code == 403
    assert 'href="/admin/tenants"' not in admin.get("/admin").text
    assert form(op, "/admin/tenants/console-a/status", {"status": "disabled"}, csrf=False).status_code == 403
    assert registry.get_tenant("console-a").status == "active"
    # The operator's own tenant cannot be disabled from the console; bad status is refused.
    r = form(op, "/admin/tenants/console-b/status", {"status": "disabled"})
    assert r.status_code == 400 and "your own tenant" in r.text and registry.get_tenant("console-b").status == "active"
    assert form(op, "/admin/tenants/console-a/status", {"status": "deleted"}).status_code == 400
    registry.add_tenant("console-c", "Console C")
    assert form(op, "/admin/tenants/console-c/status", {"status": "disabled"}).status_code == 303
    assert registry.get_tenant("console-c").status == "disabled"
    mine = audit_events("console-b", "operator.tenant")[0]
    assert mine.event == "operator.tenant.disable" and mine.user_email == OPERATOR
    assert mine.details["action"] == {"target_tenant": "console-c"}
    theirs = audit_events("console-c", "operator.tenant")[0]
    assert theirs.details["action"] == {"target_tenant": "console-c", "operator_user": user_id(OPERATOR)}
    r = op.post("/api/admin/tenants/console-c/status", json={"status": "active"}, headers={"X-CSRF-Token": op.csrf})
    assert r.status_code == 200 and registry.get_tenant("console-c").status == "active"
