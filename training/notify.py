"""Training job notifications: one `Notice` per job event (started, succeeded, failed, cancelled) sent by e-mail
(SMTP settings) and to a Slack-compatible incoming webhook (JSON with `text` + `blocks`). Each channel is used when it
is configured (`SIGHTLINE_SMTP_HOST` + `SIGHTLINE_NOTIFY_EMAIL_TO`; `SIGHTLINE_NOTIFY_WEBHOOK_URL`) and the event is
listed in `SIGHTLINE_NOTIFY_EVENTS`.

`send(notice)` never raises: a mail server or webhook that is down must not fail a training job. It returns what was
delivered and what failed (the worker writes both into the job's log); the webhook URL, which carries its own secret,
is never logged. A notice carries job metadata, the error and the last lines of the trainer's log, never training
data.
"""

from __future__ import annotations

import json
import logging
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from config import get_settings
from config.settings import Settings

log = logging.getLogger(__name__)

EVENTS = ("started", "succeeded", "failed", "cancelled")
TIMEOUT_S = 10.0
LOG_TAIL_LINES = 20
ICONS = {"started": ":arrow_forward:", "succeeded": ":white_check_mark:", "failed": ":x:", "cancelled": ":stop_sign:"}


@dataclass(frozen=True)
class Notice:
    """What happened to which job. `detail` is one line (resume point, result, error); `log_tail` the trainer's last
    lines (failures only)."""

    event: str
    job_id: str
    target: str
    dataset: str
    preset: str
    step: int
    total_steps: int
    attempt: int
    host: str
    detail: str = ""
    log_tail: str = ""

    def __post_init__(self) -> None:
        if self.event not in EVENTS:
            raise ValueError(f"unknown job event {self.event!r}")

    @property
    def subject(self) -> str:
        return f"[sightline] training job {self.job_id} {self.event}: {self.dataset} -> {self.target}"

    def summary(self) -> str:
        lines = [f"Training job {self.job_id} {self.event} on {self.host} (attempt {self.attempt}).",
                 f"Dataset {self.dataset} -> adapter {self.target}, preset {self.preset}, "
                 f"step {self.step}/{self.total_steps}."]
        if self.detail:
            lines.append(self.detail)
        lines.append(f"Log: sightline jobs logs {self.job_id}")
        return "\n".join(lines)


@dataclass
class Delivery:
    """The outcome of `send`: channels that took the notice, and `channel: reason` for each that did not."""

    sent: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def enabled_events(settings: Settings) -> set[str]:
    return {e.strip() for e in settings.notify_events.split(",") if e.strip()}


def email_message(notice: Notice, settings: Settings) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = notice.subject
    msg["From"] = settings.notify_email_from or f"sightline@{notice.host}"
    msg["To"] = ", ".join(_recipients(settings))
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain="sightline")
    body = notice.summary()
    if notice.log_tail:
        body += f"\n\nLast lines of the log:\n\n{notice.log_tail}"
    msg.set_content(body + "\n")
    return msg


def webhook_payload(notice: Notice) -> dict:
    """Slack-compatible incoming-webhook JSON (also accepted by Mattermost, Rocket.Chat, Teams' Slack connector)."""
    text = f"{ICONS[notice.event]} {notice.subject}"
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": f"*{text}*\n{notice.summary()}"}}]
    if notice.log_tail:
        tail = notice.log_tail[-2500:]  # Slack limits a text block to 3000 characters
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": f"```{tail}```"}})
    return {"text": text, "blocks": blocks}


def _recipients(settings: Settings) -> list[str]:
    return [a.strip() for a in settings.notify_email_to.split(",") if a.strip()]


def send_email(notice: Notice, settings: Settings) -> None:
    msg = email_message(notice, settings)
    if settings.smtp_security == "ssl":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_S,
                                              context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_S)
    with smtp:
        if settings.smtp_security == "starttls":
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        smtp.send_message(msg)


def send_webhook(notice: Notice, settings: Settings) -> None:
    import httpx

    resp = httpx.post(settings.notify_webhook_url, content=json.dumps(webhook_payload(notice)),
                      headers={"Content-Type": "application/json"}, timeout=TIMEOUT_S, follow_redirects=False)
    if resp.status_code >= 300:
        raise RuntimeError(f"HTTP {resp.status_code}")


def send(notice: Notice, settings: Settings | None = None) -> Delivery:
    """Deliver `notice` on every configured channel; never raises."""
    settings = settings or get_settings()
    out = Delivery()
    if notice.event not in enabled_events(settings):
        return out
    channels = []
    if settings.smtp_host and _recipients(settings):
        channels.append(("email", send_email))
    if settings.notify_webhook_url:
        channels.append(("webhook", send_webhook))
    for name, fn in channels:
        try:
            fn(notice, settings)
            out.sent.append(name)
        except Exception as exc:  # noqa: BLE001 - a notification failure is reported, never fatal
            reason = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
            log.warning("job %s: %s notification failed: %s", notice.job_id, name, reason)
            out.errors.append(f"{name}: {reason}")
    return out
