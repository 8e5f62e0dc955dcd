"""The single Settings object (pydantic-settings), read from the environment and `.env`."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import platformdirs
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("sightline"))


class Settings(BaseSettings):
    """All configuration. Environment names are the field names upper-cased (e.g. DATABASE_URL)."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    # Where the embedded database, generated secrets and model caches live.
    data_dir: Path = Field(default_factory=_default_data_dir, alias="SIGHTLINE_DATA_DIR")

    # Production: an admin/migration URL. Empty means: start the embedded PostgreSQL.
    database_url: str = Field(default="", alias="DATABASE_URL")
    # Optional separate login URLs for the application and reader roles (production).
    # When empty they are derived from DATABASE_URL by swapping the user name.
    app_database_url: str = Field(default="", alias="APP_DATABASE_URL")
    reader_database_url: str = Field(default="", alias="READER_DATABASE_URL")
    database_name: str = Field(default="sightline", alias="SIGHTLINE_DATABASE")
    # Folder with pg_dump/pg_restore for `sightline backup/restore`; empty = the embedded server's own, then
    # /usr/lib/postgresql/*/bin, then PATH (db/backup.py).
    pg_bin_dir: Path | None = Field(default=None, alias="SIGHTLINE_PG_BIN_DIR")

    # Secret used to derive non-reversible patient keys (HMAC). Generated into data_dir when empty.
    deid_key: str = Field(default="", alias="SIGHTLINE_DEID_KEY")
    # Key of the tenant-context proofs the database checks (db/tenant_context.py, docs/security.md). Generated into
    # data_dir when empty; every app, worker and migration process of one deployment must share it.
    tenant_context_key: str = Field(default="", alias="SIGHTLINE_TENANT_CONTEXT_KEY")
    # "session" (direct connections, PgBouncer in session mode): the tenant proof's server-process nonce is fetched
    # once per pooled connection. "transaction" (PgBouncer in transaction mode): fetched in every transaction.
    db_pool_mode: str = Field(default="session", alias="SIGHTLINE_DB_POOL_MODE", pattern="^(session|transaction)$")

    # Demo data
    demo_seed: int = Field(default=20251, alias="SIGHTLINE_DEMO_SEED")

    # The first day ("MM-DD") of the financial year the SQL tool reads "FY 2025-26" / "last financial year" as; empty:
    # the usual one of the tenant's country (tools/sql/fiscal.py), asked back where the country has none.
    fiscal_year_start: str = Field(default="", alias="SIGHTLINE_FISCAL_YEAR_START",
                                   # a day every year has (as the CHECK of tenants.fiscal_year_start, migration 0016)
                                   pattern=r"^$|^((0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-8])|(0[13-9]|1[0-2])-(29|30)"
                                           r"|(0[13578]|1[02])-31)$")

    # SQL safety
    statement_timeout_ms: int = Field(default=5000, alias="SIGHTLINE_STATEMENT_TIMEOUT_MS")
    # Most bytes one SQL-tool result may hold (PostgreSQL's size of the rows), enforced by the server while it streams.
    sql_max_result_bytes: int = Field(default=2_000_000, alias="SIGHTLINE_SQL_MAX_RESULT_BYTES", ge=1000)

    # Input checks and rate limits (token buckets in the database; burst = the per-minute value; 0 = no limit)
    max_message_chars: int = Field(default=4000, alias="SIGHTLINE_MAX_MESSAGE_CHARS")
    rate_user_per_min: int = Field(default=20, alias="SIGHTLINE_RATE_USER_PER_MIN")
    rate_tenant_per_min: int = Field(default=200, alias="SIGHTLINE_RATE_TENANT_PER_MIN")
    # Per tenant API key (everything its widget tokens do, and minting them); sign-in/feedback/minting use their own
    # buckets with the same per-user/per-key/per-tenant values (docs/security.md).
    rate_key_per_min: int = Field(default=100, alias="SIGHTLINE_RATE_KEY_PER_MIN")

    # Documents (docs tool): upload size limit; tenants with at most this many chunks get exact search,
    # larger ones the HNSW index with iterative scan at this ef_search (see docs/documents.md).
    docs_max_file_bytes: int = Field(default=20_000_000, alias="SIGHTLINE_DOCS_MAX_FILE_BYTES")
    docs_exact_max_chunks: int = Field(default=5_000, alias="SIGHTLINE_DOCS_EXACT_MAX_CHUNKS")
    docs_hnsw_ef_search: int = Field(default=200, alias="SIGHTLINE_DOCS_HNSW_EF_SEARCH")
    # An English question about documents in another language is answered by a multilingual sentence embedding
    # (tools/multilingual.py, docs/agent.md); off: such questions get the English-only scoring (not covered).
    docs_cross_language: bool = Field(default=True, alias="SIGHTLINE_DOCS_CROSS_LANGUAGE")

    # Chat model (agents/llm.py, docs/models.md): "local" runs the packaged SmolLM2 in-process; "openai" calls an
    # OpenAI-compatible server (vLLM, transformers serve) at OPENAI_BASE_URL with model SIGHTLINE_OPENAI_MODEL.
    llm: str = Field(default="local", alias="SIGHTLINE_LLM", pattern="^(local|openai)$")
    openai_base_url: str = Field(default="", alias="OPENAI_BASE_URL")
    openai_api_key: str = Field(default="not-needed", alias="OPENAI_API_KEY")
    openai_model: str = Field(default="sightline-base", alias="SIGHTLINE_OPENAI_MODEL")
    max_new_tokens: int = Field(default=200, alias="SIGHTLINE_MAX_NEW_TOKENS", ge=1)
    # A converted (safetensors) local model directory; empty means <data_dir>/models/smollm2-135m-instruct.
    local_model_dir: Path | None = Field(default=None, alias="SIGHTLINE_LOCAL_MODEL_DIR")
    # Industry adapter override (a local adapter dir, or a served adapter name); the model registry sets it otherwise.
    industry_adapter: str = Field(default="", alias="SIGHTLINE_INDUSTRY_ADAPTER")
    # Training (docs/training.md): price of an hour of the training machine, for `sightline train`'s cost estimate
    # (default: a small 2-vCPU cloud VM; set e.g. 2.5 for a rented H100).
    train_cost_per_hour: float = Field(default=0.10, alias="SIGHTLINE_TRAIN_COST_PER_HOUR", ge=0)
    # Job queue (training/queue.py, docs/training.md): trainer slots per `sightline worker` (one job at a time each;
    # GPUs: one slot per visible device), and after how long without a heartbeat a worker counts as dead and its job
    # is resumed by another worker.
    worker_slots: int = Field(default=1, alias="SIGHTLINE_WORKER_SLOTS", ge=1, le=64)
    queue_stalled_after_s: float = Field(default=30.0, alias="SIGHTLINE_QUEUE_STALLED_AFTER_S", ge=1)
    # Job notifications (training/notify.py): e-mail through SMTP and/or a Slack-compatible incoming webhook.
    smtp_host: str = Field(default="", alias="SIGHTLINE_SMTP_HOST")
    smtp_port: int = Field(default=587, alias="SIGHTLINE_SMTP_PORT")
    smtp_security: str = Field(default="starttls", alias="SIGHTLINE_SMTP_SECURITY", pattern="^(starttls|ssl|none)$")
    smtp_user: str = Field(default="", alias="SIGHTLINE_SMTP_USER")
    smtp_password: str = Field(default="", alias="SIGHTLINE_SMTP_PASSWORD")
    notify_email_from: str = Field(default="", alias="SIGHTLINE_NOTIFY_EMAIL_FROM")
    notify_email_to: str = Field(default="", alias="SIGHTLINE_NOTIFY_EMAIL_TO")  # comma-separated
    notify_webhook_url: str = Field(default="", alias="SIGHTLINE_NOTIFY_WEBHOOK_URL")
    notify_events: str = Field(default="started,succeeded,failed,cancelled", alias="SIGHTLINE_NOTIFY_EVENTS")

    # Web
    host: str = Field(default="127.0.0.1", alias="SIGHTLINE_HOST")
    port: int = Field(default=8000, alias="SIGHTLINE_PORT")
    # `sightline serve` worker processes (uvicorn; they share only PostgreSQL; the chat websocket needs sticky
    # sessions in front of several pods, docs/deploy.md).
    web_workers: int = Field(default=1, alias="SIGHTLINE_WEB_WORKERS", ge=1, le=64)

    # Chat app (docs/chat-app.md). Secrets: empty = generated once into <data_dir>/secrets (never a built-in default).
    chainlit_auth_secret: str = Field(default="", alias="CHAINLIT_AUTH_SECRET")
    session_lifetime_s: int = Field(default=8 * 3600, alias="SIGHTLINE_SESSION_LIFETIME_S", ge=60)
    cookie_samesite: str = Field(default="lax", alias="SIGHTLINE_COOKIE_SAMESITE", pattern="^(lax|strict|none)$")
    public_url: str = Field(default="", alias="SIGHTLINE_PUBLIC_URL")  # e.g. https://chat.example.com (own Origin)
    # Host headers the app answers (comma-separated; "*.example.com" allowed). Empty: the public URL's host, else
    # loopback names only (localhost, 127.0.0.1, ::1). Anything else gets HTTP 400 (docs/security.md).
    trusted_hosts: str = Field(default="", alias="SIGHTLINE_TRUSTED_HOSTS")
    allowed_origins: str = Field(default="", alias="SIGHTLINE_ALLOWED_ORIGINS")  # comma-separated, every tenant
    oidc_tenant_claim: str = Field(default="tenant", alias="SIGHTLINE_OIDC_TENANT_CLAIM")
    oidc_tenant_prefix: str = Field(default="", alias="SIGHTLINE_OIDC_TENANT_PREFIX")  # e.g. "tenant:" in groups
    oidc_roles_claim: str = Field(default="roles", alias="SIGHTLINE_OIDC_ROLES_CLAIM")
    oidc_admin_value: str = Field(default="admin", alias="SIGHTLINE_OIDC_ADMIN_VALUE")
    dev_idp: str = Field(default="auto", alias="SIGHTLINE_DEV_IDP", pattern="^(auto|on|off)$")
    dev_idp_port: int = Field(default=9400, alias="SIGHTLINE_DEV_IDP_PORT")
    widget_token_secret: str = Field(default="", alias="SIGHTLINE_WIDGET_TOKEN_SECRET")
    widget_token_ttl_s: int = Field(default=300, alias="SIGHTLINE_WIDGET_TOKEN_TTL_S", ge=10, le=3600)
    # Web console (docs/console.md): e-mails of signed-in users who also see the control plane (operators).
    operator_emails: str = Field(default="", alias="SIGHTLINE_OPERATOR_EMAILS")  # comma-separated
    console_upload_max_mb: int = Field(default=20, alias="SIGHTLINE_CONSOLE_UPLOAD_MAX_MB", ge=1, le=1024)
    # Monitoring (training/monitoring.py, docs/console.md "Monitoring"). Cost model of one chat turn:
    # cost = per_request + per_second * latency_s (the serving machine's price per second of answering, plus a fixed
    # part for API-billed models). Drift: reference window of `monitor_reference_days` before the last
    # `monitor_recent_days`; a test fires below `monitor_alpha`. Alert thresholds over the recent window.
    monitor_cost_per_request_usd: float = Field(default=0.0002, alias="SIGHTLINE_COST_PER_REQUEST_USD", ge=0)
    monitor_cost_per_second_usd: float = Field(default=0.0011, alias="SIGHTLINE_COST_PER_SECOND_USD", ge=0)
    monitor_reference_days: int = Field(default=14, alias="SIGHTLINE_MONITOR_REFERENCE_DAYS", ge=1, le=365)
    monitor_recent_days: int = Field(default=3, alias="SIGHTLINE_MONITOR_RECENT_DAYS", ge=1, le=90)
    monitor_alpha: float = Field(default=0.01, alias="SIGHTLINE_MONITOR_ALPHA", gt=0, lt=0.5)
    monitor_error_rate_max: float = Field(default=0.05, alias="SIGHTLINE_MONITOR_ERROR_RATE_MAX", ge=0, le=1)
    monitor_p95_ms_max: int = Field(default=20000, alias="SIGHTLINE_MONITOR_P95_MS_MAX", ge=1)
    monitor_cost_spike_ratio: float = Field(default=2.0, alias="SIGHTLINE_MONITOR_COST_SPIKE_RATIO", gt=1)
    # Scheduled alert checks (training/queue.py): `sightline worker` evaluates every active tenant's alert conditions
    # every N minutes (cron steps: a divisor of 60 keeps the spacing even; 60..1440 in whole hours); 0 turns it off.
    alert_check_minutes: int = Field(default=5, alias="SIGHTLINE_ALERT_CHECK_MINUTES", ge=0, le=1440)

    @property
    def pgdata_dir(self) -> Path:
        return self.data_dir / "pgdata"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def reset_settings() -> None:
    """Forget the cached settings (tests change the environment between modules)."""
    get_settings.cache_clear()


def set_env(**values: str | None) -> dict[str, str | None]:
    """Set (None: unset) environment variables and forget the cached settings; returns the previous values."""
    previous = {key: os.environ.get(key) for key in values}
    for key, value in values.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    reset_settings()
    return previous


@contextmanager
def env_overrides(**values: str | None) -> Iterator[None]:
    """`set_env(**values)` for the duration of the block, then the previous values back (tests, benchmarks)."""
    previous = set_env(**values)
    try:
        yield
    finally:
        set_env(**previous)
