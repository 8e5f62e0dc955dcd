"""Disabling and re-enabling a user (issue 14: "users and roles ... disable"), on every surface and every way in.

Surfaces: the console page (form + CSRF), the REST API, `sightline admin disable|enable --as ADMIN` and the
operator's `sightline user disable|enable`. Effects, with the real app, database and tokens: a disabled user cannot
sign in (LoginRefused `userDisabled`, no just-in-time change from the claims), their open console and chat sessions are
refused on the next request, no widget token is minted for them and their existing widget tokens and widget sessions
stop; re-enabling restores all of it. Attacks that must fail: a disabled user's session, their widget token, another
tenant's admin disabling this tenant's user (console, API, raw SQL under RLS), disabling yourself, disabling or
demoting the last active admin, two admins disabling each other at the same moment.
"""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient
from typer.testing import CliRunner

from app.admin import tenant_admin as ta
from app.identity import LOGIN_ERRORS, LoginRefused, login
from db import api_keys, registry
from db.engine import admin_engine
from db.session import tenant_session
from tests.admin_helpers import console_app, console_env, signed_in

ADMIN = "ada@disable-a.example"
ADMIN2 = "abe@disable-a.example"
MEMBER = "mia@disable-a.example"
WIDGET_USER = "wes@disable-a.example"
OTHER_ADMIN = "oli@disable-b.example"


@pytest.fixture(scope="module")
def world(database):
    a = registry.add_tenant("disable-a", "Disable A")
    registry.add_tenant("disable-b", "Disable B")
    for email, role in ((ADMIN, "admin"), (ADMIN2, "admin"), (MEMBER, "member"), (WIDGET_USER, "member")):
        registry.add_user(email, "disable-a", role)
    registry.add_user(OTHER_ADMIN, "disable-b", "admin")
    key, _ = api_keys.create_key(a.id, "shop")
    with console_env():
        app = console_app()
        yield {"app": app, "a": a, "key": key}


def uid(email: str) -> str:
    return str(registry.find_user(email).id)


def form(client, path: str, csrf: bool = True):
    return client.post(path, data={"csrf_token": client.csrf} if csrf else {}, follow_redirects=False)


def audit(prefix: str) -> list:
    from db import audit as audit_log

    return [r for r in audit_log.read_tenant(registry.get_tenant("disable-a").id, limit=500)
            if r.event.startswith(prefix)]


def chat_status(client: TestClient) -> int:
    """Any authenticated chat call; 401 when the caller's session is refused (before the agent runs)."""
    return client.post("/api/feedback", json={"message_id": "nope", "value": 1}).status_code


def test_console_disable_stops_open_sessions_and_enable_restores_them(world):
    admin = signed_in(world["app"], ADMIN)
    member = signed_in(world["app"], MEMBER)  # signed in before being disabled
    assert chat_status(member) == 404  # signed in: the (unknown) message is simply not theirs
    assert form(admin, f"/admin/users/{uid(MEMBER)}/disable", csrf=False).status_code == 403  # CSRF first
    assert registry.find_user(MEMBER).disabled_at is None

    r = form(admin, f"/admin/users/{uid(MEMBER)}/disable")
    assert r.status_code == 303 and "disabled" in r.headers["location"]
    user = registry.find_user(MEMBER)
    assert user.disabled
    with tenant_session(world["a"].id, role="admin") as conn:
        by = conn.execute(sa.text("SELECT disabled_by FROM users WHERE email = :e"), {"e": MEMBER}).scalar_one()
    assert str(by) == uid(ADMIN)
    page = admin.get("/admin/users")
    assert page.status_code == 200 and f'action="/admin/users/{uid(MEMBER)}/enable"' in page.text
    assert f'action="/admin/users/{uid(ADMIN)}/disable"' not in page.text  # no button to disable yourself

    r = chat_status(member)
    assert r == 401  # the open session stops at its next request
    refused = member.post("/api/feedback", json={"message_id": "nope", "value": 1}).json()["detail"]
    assert "disabled" in refused and "Traceback" not in refused
    with pytest.raises(registry.UserDisabled):
        registry.principal_for(MEMBER)

    assert form(admin, f"/admin/users/{uid(MEMBER)}/enable").status_code == 303
    assert not registry.find_user(MEMBER).disabled
    assert chat_status(member) == 404  # the same session works again
    events = [(e.event, e.details["action"]["target_user"], e.user_email) for e in audit("admin.user.")]
    assert ("admin.user.disable", uid(MEMBER), ADMIN) in events
    assert ("admin.user.enable", uid(MEMBER), ADMIN) in events
    assert MEMBER not in str([e.details for e in audit("admin.user.")])  # ids, never e-mails
    # disabling twice changes nothing and writes no second row
    before = len(audit("admin.user.enable"))
    ta.set_disabled(registry.principal_for(ADMIN), uid(MEMBER), False)
    assert len(audit("admin.user.enable")) == before


def test_a_disabled_admin_loses_the_console_at_once(world):
    second = signed_in(world["app"], ADMIN2)
    assert second.get("/admin/users").status_code == 200
    admin = signed_in(world["app"], ADMIN)
    r = admin.post(f"/api/admin/users/{uid(ADMIN2)}/disable", headers={"X-CSRF-Token": admin.csrf})
    assert r.status_code == 200 and r.json()["disabled"] is True and r.json()["disabled_by"] == uid(ADMIN)
    assert second.get("/admin/users").status_code == 401
    assert second.get("/api/admin/users").status_code == 401
    r = admin.post(f"/api/admin/users/{uid(ADMIN2)}/enable", headers={"X-CSRF-Token": admin.csrf})
    assert r.status_code == 200 and r.json()["disabled"] is False and r.json()["disabled_at"] is None
    assert second.get("/admin/users").status_code == 200


def test_sign_in_is_refused_with_a_clear_reason_and_claims_change_nothing(world):
    admin = registry.principal_for(ADMIN)
    ta.set_disabled(admin, uid(MEMBER), True)
    try:
        with pytest.raises(LoginRefused) as err:
            login({"email": MEMBER, "email_verified": True, "roles": ["sightline-admin"]}, MEMBER,
                  provider="company-sso")
        assert err.value.code == "userDisabled" and "disabled" in str(err.value)
        assert "userDisabled" in LOGIN_ERRORS and "disabled" in LOGIN_ERRORS["userDisabled"]
        assert registry.find_user(MEMBER).role == "member"  # no just-in-time change for a refused user
    finally:
        ta.set_disabled(admin, uid(MEMBER), False)
    assert login({"email": MEMBER, "email_verified": True}, MEMBER, provider="company-sso").email == MEMBER


def test_widget_tokens_cannot_be_minted_and_existing_ones_stop(world):
    client = TestClient(world["app"])
    bearer_key = {"Authorization": f"Bearer {world['key']}"}

    def mint():
        return client.post("/api/widget-token", json={"email": WIDGET_USER}, headers=bearer_key)

    token = mint().json()["token"]
    widget = TestClient(world["app"])
    assert widget.post("/auth/jwt", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert chat_status(widget) == 404  # the widget session works

    ta.set_disabled(registry.principal_for(ADMIN), uid(WIDGET_USER), True)
    refused = mint()
    assert refused.status_code == 403 and "disabled" in refused.json()["detail"]
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.post("/api/feedback", json={"message_id": "x", "value": 1}, headers=bearer).status_code == 401
    assert client.post("/auth/jwt", headers=bearer).status_code == 401
    assert chat_status(widget) == 401  # the session the token was exchanged for
    from app.tokens import TokenRejected, principal_from_token

    with pytest.raises(TokenRejected, match="disabled"):
        principal_from_token(token)

    ta.set_disabled(registry.principal_for(ADMIN), uid(WIDGET_USER), False)
    assert mint().status_code == 200
    assert principal_from_token(token).email == WIDGET_USER  # still within its lifetime, key active


def test_another_tenants_admin_cannot_disable_this_tenants_user(world):
    other = signed_in(world["app"], OTHER_ADMIN)
    target = uid(MEMBER)
    assert form(other, f"/admin/users/{target}/disable").status_code == 404
    r = other.post(f"/api/admin/users/{target}/disable", headers={"X-CSRF-Token": other.csrf})
    assert r.status_code == 404 and "no user" in r.json()["detail"]
    with pytest.raises(ta.NotFound):
        ta.set_disabled(registry.principal_for(OTHER_ADMIN), target, True)
    # Raw SQL in the other tenant's session: row-level security hides the row.
    with tenant_session(registry.get_tenant("disable-b").id, role="admin") as conn:
        n = conn.execute(sa.text("UPDATE users SET disabled_at = now() WHERE id = :id"), {"id": target}).rowcount
    assert n == 0 and not registry.find_user(MEMBER).disabled
    # A member of this tenant cannot either.
    member = signed_in(world["app"], MEMBER)
    assert form(member, f"/admin/users/{uid(WIDGET_USER)}/disable").status_code == 403
    assert not registry.find_user(WIDGET_USER).disabled


def test_no_self_disable_and_the_last_active_admin_stays(world):
    admin = signed_in(world["app"], ADMIN)
    r = form(admin, f"/admin/users/{uid(ADMIN)}/disable")
    assert r.status_code == 400 and "cannot disable your own account" in r.text
    ta.set_disabled(registry.principal_for(ADMIN), uid(ADMIN2), True)
    try:
        # ADMIN is now the only admin still enabled: nobody may disable, demote or remove them.
        with pytest.raises(ta.AdminError, match="last active admin"):
            ta.set_disabled(_stale_admin2(), uid(ADMIN), True)
        with pytest.raises(ta.AdminError, match="only admin"):
            ta.set_role(registry.principal_for(ADMIN), uid(ADMIN), "member")
        result = CliRunner().invoke(_cli(), ["user", "disable", ADMIN])
        assert result.exit_code == 2 and "last active admin" in result.output
        assert not registry.find_user(ADMIN).disabled
    finally:
        ta.set_disabled(registry.principal_for(ADMIN), uid(ADMIN2), False)


def _stale_admin2():
    """ADMIN2's Principal as it was resolved before they were disabled (a request already past its sign-in check)."""
    from db.principal import Principal

    u = registry.find_user(ADMIN2)
    return Principal(user_id=u.id, tenant_id=u.tenant.id, tenant_slug=u.tenant.slug, email=u.email,
                     roles=frozenset({"admin"}))


def _cli():
    from app.cli import cli

    return cli


def test_two_admins_disabling_each_other_at_once_leave_one_active(world):
    a1, a2 = registry.principal_for(ADMIN), registry.principal_for(ADMIN2)
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def attempt(actor, target):
        barrier.wait()
        try:
            ta.set_disabled(actor, str(target.user_id), True)
            outcomes.append("ok")
        except ta.AdminError as exc:
            outcomes.append(str(exc))

    threads = [threading.Thread(target=attempt, args=(a1, a2)), threading.Thread(target=attempt, args=(a2, a1))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert outcomes.count("ok") == 1 and any("last active admin" in o for o in outcomes), outcomes
    active = [e for e in (ADMIN, ADMIN2) if not registry.find_user(e).disabled]
    assert len(active) == 1
    disabled = ADMIN2 if active == [ADMIN] else ADMIN
    ta.set_disabled(registry.principal_for(active[0]), uid(disabled), False)


def test_cli_admin_and_operator_commands(world):
    cli = _cli()
    run = CliRunner().invoke
    r = run(cli, ["admin", "disable", MEMBER, "--as", ADMIN])
    assert r.exit_code == 0 and f"{MEMBER} is disabled" in r.output, r.output
    listed = run(cli, ["admin", "users", "--as", ADMIN])
    assert any(MEMBER in line and "disabled" in line for line in listed.output.splitlines())
    assert run(cli, ["admin", "users", "--as", MEMBER]).exit_code == 2  # a disabled user cannot act either
    r = run(cli, ["admin", "enable", uid(MEMBER), "--as", ADMIN])
    assert r.exit_code == 0 and "enabled" in r.output
    r = run(cli, ["admin", "disable", ADMIN, "--as", ADMIN])
    assert r.exit_code == 2 and "cannot disable your own account" in r.output
    r = run(cli, ["admin", "disable", OTHER_ADMIN, "--as", ADMIN])  # another tenant's e-mail: not found here
    assert r.exit_code == 2 and "no user" in r.output
    assert ("admin.user.disable", uid(MEMBER), ADMIN) in [
        (e.event, e.details["action"]["target_user"], e.user_email) for e in audit("admin.user.disable")]
    # The operator's disable (no tenant admin acting) is recorded in the operator log, by user id.
    r = run(cli, ["user", "disable", WIDGET_USER])
    assert r.exit_code == 0 and "disabled" in r.output and registry.find_user(WIDGET_USER).disabled
    assert "disabled" in run(cli, ["user", "list", "--tenant", "disable-a"]).output
    assert run(cli, ["user", "enable", WIDGET_USER]).exit_code == 0 and not registry.find_user(WIDGET_USER).disabled
    with admin_engine().connect() as conn:
        logged = conn.execute(sa.text("SELECT action, subject FROM operator_log WHERE action LIKE 'user_%able' "
                                      "ORDER BY id")).all()
    assert [(r.action, r.subject) for r in logged][-2:] == [("user_disable", f"user:{uid(WIDGET_USER)}"),
                                                            ("user_enable", f"user:{uid(WIDGET_USER)}")]


def test_the_sign_in_callback_refuses_with_the_reason_and_history_is_refused(world):
    import asyncio

    import chainlit as cl

    from app.chat_ui import oauth_callback
    from app.identity import LOGIN_OUTCOME

    member = signed_in(world["app"], MEMBER)
    threads = {"pagination": {"first": 5}, "filter": {}}
    assert member.post("/project/threads", json=threads).status_code == 200
    admin = registry.principal_for(ADMIN)
    ta.set_disabled(admin, uid(MEMBER), True)
    try:
        outcome: dict[str, str] = {}
        reset = LOGIN_OUTCOME.set(outcome)
        try:
            user = asyncio.run(oauth_callback("company-sso", "token", {"email": MEMBER, "email_verified": True},
                                              cl.User(identifier=MEMBER)))
        finally:
            LOGIN_OUTCOME.reset(reset)
        assert user is None and outcome == {"code": "userDisabled"}  # the sign-in page shows LOGIN_ERRORS' text
        r = member.post("/project/threads", json=threads)  # stored history through Chainlit's data layer
        assert r.status_code == 401 and "disabled" in r.json()["detail"], r.text  # a refusal, not a server error
    finally:
        ta.set_disabled(admin, uid(MEMBER), False)
    assert member.post("/project/threads", json=threads).status_code == 200
