"""Job notifications (training/notify.py) against a real aiosmtpd SMTP server and a real HTTP webhook receiver on
127.0.0.1: both channels get the notice, SMTP login is used when configured, the event filter holds, and a channel
that is down is reported without raising or leaking the webhook's secret URL."""

from __future__ import annotations

import pytest

from config import env_overrides, get_settings
from tests.notify_receivers import free_port, smtp_server, webhook_server
from training import notify

FAILED = notify.Notice(event="failed", job_id="0a1b2c3d4e", target="industry", dataset="tiny@0123456789ab",
                       preset="quick", step=3, total_steps=8, attempt=2, host="gpu-7",
                       detail="Error: trainer exited with signal SIGKILL",
                       log_tail="step 3 loss 2.41\nRuntimeError: CUDA out of memory")


def _env(smtp_port: int | None = None, webhook: str | None = None, **extra: str) -> dict[str, str | None]:
    return {"SIGHTLINE_SMTP_HOST": "127.0.0.1" if smtp_port else None,
            "SIGHTLINE_SMTP_PORT": str(smtp_port) if smtp_port else None, "SIGHTLINE_SMTP_SECURITY": "none",
            "SIGHTLINE_NOTIFY_EMAIL_TO": "ml-ops@example.com, owner@example.com",
            "SIGHTLINE_NOTIFY_EMAIL_FROM": "sightline@example.com", "SIGHTLINE_NOTIFY_WEBHOOK_URL": webhook,
            "SIGHTLINE_SMTP_USER": None, "SIGHTLINE_SMTP_PASSWORD": None, "SIGHTLINE_NOTIFY_EVENTS": None, **extra}


def test_failure_reaches_the_mailbox_and_the_webhook() -> None:
    with smtp_server() as (port, box), webhook_server() as (url, hook), \
            env_overrides(**_env(port, url + "/services/T000/B000/secret")):
        result = notify.send(FAILED)
    assert result.sent == ["email", "webhook"] and result.errors == []

    (rcpts, msg), = box.messages
    assert rcpts == ["ml-ops@example.com", "owner@example.com"]
    assert msg["From"] == "sightline@example.com"
    assert "0a1b2c3d4e" in msg["Subject"] and "failed" in msg["Subject"]
    body = msg.get_payload()
    assert "step 3/8" in body and "attempt 2" in body and "signal SIGKILL" in body
    assert "CUDA out of memory" in body and "sightline jobs logs 0a1b2c3d4e" in body

    payload, = hook.bodies
    assert hook.paths == ["/services/T000/B000/secret"]
    assert payload["text"].startswith(":x: ") and "0a1b2c3d4e" in payload["text"]
    assert [b["type"] for b in payload["blocks"]] == ["section", "section"]
    assert payload["blocks"][0]["text"]["type"] == "mrkdwn"
    assert "CUDA out of memory" in payload["blocks"][1]["text"]["text"]


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_smtp_login_is_used_when_configured() -> None:
    with smtp_server(user="mailer", password="s3cret") as (port, box), \
            env_overrides(**_env(port, SIGHTLINE_SMTP_USER="mailer", SIGHTLINE_SMTP_PASSWORD="s3cret")):
        ok = notify.send(FAILED)
    with smtp_server(user="mailer", password="s3cret") as (port, refused), \
            env_overrides(**_env(port)):  # no login: the server refuses the mail
        bad = notify.send(FAILED)
    assert ok.sent == ["email"] and box.logins == ["mailer"] and len(box.messages) == 1
    assert bad.sent == [] and bad.errors[0].startswith("email: ") and refused.messages == []


def test_only_the_listed_events_are_sent() -> None:
    started = notify.Notice(event="started", job_id="0a1b2c3d4e", target="industry", dataset="tiny@0123456789ab",
                            preset="quick", step=0, total_steps=8, attempt=1, host="gpu-7")
    with smtp_server() as (port, box), webhook_server() as (url, hook), \
            env_overrides(**_env(port, url, SIGHTLINE_NOTIFY_EVENTS="failed,succeeded")):
        skipped = notify.send(started)
        sent = notify.send(FAILED)
    assert skipped.sent == [] and sent.sent == ["email", "webhook"]
    assert len(box.messages) == 1 and len(hook.bodies) == 1


def test_channels_that_are_down_are_reported_not_raised() -> None:
    closed = free_port()
    with webhook_server(status=500) as (url, hook), env_overrides(**_env(closed, url + "/hooks/TOKEN-abc123")):
        result = notify.send(FAILED)
        assert get_settings().notify_webhook_url.endswith("TOKEN-abc123")
    assert result.sent == []
    assert [e.split(":")[0] for e in result.errors] == ["email", "webhook"]
    assert "ConnectionRefusedError" in result.errors[0] and result.errors[1] == "webhook: RuntimeError: HTTP 500"
    assert all("TOKEN-abc123" not in e for e in result.errors)
    assert len(hook.bodies) == 1


def test_nothing_is_sent_without_configuration() -> None:
    with env_overrides(**_env(None, None)):
        assert notify.send(FAILED).sent == [] and notify.send(FAILED).errors == []


def test_unknown_event_is_refused() -> None:
    try:
        notify.Notice(event="exploded", job_id="x", target="industry", dataset="d", preset="quick", step=0,
                      total_steps=1, attempt=1, host="h")
    except ValueError as exc:
        assert "exploded" in str(exc)
    else:
        raise AssertionError("an unknown event was accepted")
