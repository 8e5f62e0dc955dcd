"""The web console (app/admin/) in-process with the real app and database: sign-in, roles, CSRF, tenant isolation,
and every tenant administration page and REST route (its effect, its audit row, its refusal of bad input).

Attacks that must fail: no session, a forged session cookie, a member, another tenant's admin, a missing or stale
CSRF token, ids of another tenant's rows.
"""

from __future__ import annotations

import pytest

from db import registry
from tests.admin_helpers import console_app, console_env, forged_client, signed_in

ADMIN = "ada@console-a.example"
MEMBER = "mel@console-a.example"
OTHER_ADMIN = "otto@console-b.example"
OPERATOR = "opal@console-b.example"


@pytest.fixture(scope="module")
def app(database):
    registry.add_tenant("console-a", "Console A")
    registry.add_tenant("console-b", "Console B")
    registry.add_user(ADMIN, "console-a", "admin")
    registry.add_user(MEMBER, "console-a", "member")
    registry.add_user(OTHER_ADMIN, "console-b", "admin")
    registry.add_user(OPERATOR, "console-b", "member")
    with console_env(operators=OPERATOR):
        yield console_app()


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
