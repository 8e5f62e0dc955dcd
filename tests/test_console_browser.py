"""The web console in headless Chromium against the real app (uvicorn + the dev identity provider + PostgreSQL).

A tenant admin signs in through the OAuth redirect, uploads a policy document in the console (htmx upload), sees it
listed and previewed, then asks about it in the chat and gets an answer that quotes and cites it; a member of the
same tenant is refused /admin with a visible reason; another tenant's admin sees none of it (not listed, preview 404,
the chat of that tenant does not know it). Screenshots of each page go to test-artifacts/console-*.png.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.browser_stack import Chat, Stack, app_stack, chromium, screenshot, screenshots_on_failure

pytestmark = pytest.mark.slow

ADMIN = "ava.admin@northwind-optics.example"
MEMBER = "noah@northwind-optics.example"
OTHER_ADMIN = "lena.admin@lumen-eyewear.example"
DOC_NAME = "swim-goggles.md"
DOC_TITLE = "Northwind Optics prescription swim goggles"
DOC = f"""# {DOC_TITLE}

Prescription swim goggles are made to order by our partner lab. An order of prescription swim goggles takes
twelve business days from the eye exam to pickup. Swim goggles are not covered by the frame warranty.
""".encode()
QUESTION = "How long does an order of prescription swim goggles take?"


@pytest.fixture(scope="module")
def stack(demo) -> Iterator[Stack]:
    with app_stack("console", ready="/readyz", ready_timeout=600) as stack:  # models warm up first; slow on 2 cores
        yield stack


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def shot(chat: Chat, name: str) -> None:
    screenshot(chat.page, f"console-{name}")


@screenshots_on_failure
def test_admin_uploads_a_document_then_the_chat_answers_from_it(stack, browser, tmp_path):
    chat = Chat(browser, stack)
    chat.sign_in(ADMIN)
    page = chat.page
    page.goto(f"{stack.app}/admin")
    page.get_by_role("heading", name="Overview").wait_for()
    assert ADMIN in page.inner_text("header")
    shot(chat, "overview")

    nav = page.get_by_role("navigation", name="Console")
    nav.get_by_role("link", name="Documents").click()
    page.get_by_role("heading", name="Documents").wait_for()
    upload = tmp_path / DOC_NAME
    upload.write_bytes(DOC)
    page.set_input_files("input[name=files]", str(upload))
    with page.expect_response(lambda r: r.url.endswith("/admin/documents") and r.request.method == "POST") as sent:
        page.get_by_role("button", name="Upload").click()
    assert sent.value.status == 200 and sent.value.request.headers.get("hx-request") == "true"
    page.get_by_text(f"{DOC_NAME}: added").wait_for()
    assert page.locator("#upload-progress").get_attribute("value") == "100"
    shot(chat, "documents")

    page.get_by_role("link", name=DOC_NAME).click()
    page.get_by_role("heading", name=DOC_TITLE).wait_for()
    assert "twelve business days" in page.inner_text("main")
    shot(chat, "document-preview")

    nav.get_by_role("link", name="Audit log").click()
    page.get_by_role("heading", name="Audit log").wait_for()
    assert "admin.document.add" in page.inner_text("#audit")

    chat.frames.clear()  # the sign-in page's socket said connection_successful already: wait for this page's
    page.goto(stack.app)
    chat.wait_connected()
    chat.ask(QUESTION)
    assert re.search(r"twelve business days", chat.text(), re.I), "the answer does not quote the uploaded document"
    chat.page.get_by_text("Used Your documents").click()
    chat.page.get_by_text(DOC_TITLE).first.wait_for()
    shot(chat, "chat-cites-upload")
    chat.close()


@screenshots_on_failure
def test_member_is_refused_the_console(stack, browser):
    chat = Chat(browser, stack)
    chat.sign_in(MEMBER)
    response = chat.page.goto(f"{stack.app}/admin/documents")
    assert response is not None and response.status == 403
    chat.page.get_by_role("heading", name="You cannot open this page").wait_for()
    assert "is not an admin of tenant 'northwind'" in chat.page.inner_text("main")
    assert DOC_NAME not in chat.page.content()
    shot(chat, "member-refused")
    chat.close()


@screenshots_on_failure
def test_other_tenants_admin_sees_none_of_it(stack, browser):
    chat = Chat(browser, stack)
    chat.sign_in(OTHER_ADMIN)
    page = chat.page
    page.goto(f"{stack.app}/admin/documents")
    page.get_by_role("heading", name="Documents").wait_for()
    listing = page.inner_text("main")
    assert DOC_NAME not in listing and DOC_TITLE not in listing and "Northwind" not in listing
    shot(chat, "other-tenant-documents")
    own = chat.context.request.get(f"{stack.app}/api/admin/documents").json()
    assert all(d["source"] != DOC_NAME for d in own)  # lumen's own documents only (none uploaded here)
    import sqlalchemy as sa

    from db import registry
    from db.session import tenant_session

    northwind = registry.get_tenant("northwind")
    with tenant_session(northwind.id) as conn:
        doc_id = conn.execute(sa.text("SELECT id FROM documents WHERE source = :s"), {"s": DOC_NAME}).scalar_one()
    assert chat.context.request.get(f"{stack.app}/admin/documents/{doc_id}").status == 404
    page.goto(f"{stack.app}/admin/users")
    assert ADMIN not in page.inner_text("main") and MEMBER not in page.inner_text("main")
    chat.close()
