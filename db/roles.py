"""Names of the database roles and the relations each may touch (the SQL of roles + RLS is in the migrations)."""

OWNER_ROLE = "sightline_owner"  # owns every table; NOLOGIN, not superuser, subject to FORCE RLS
APP_ROLE = "sightline_app"  # all tenant work; NOSUPERUSER NOBYPASSRLS, not owner
READER_ROLE = "sightline_reader"  # the SQL tool: SELECT only, default_transaction_read_only

# Tables that carry tenant_id and are protected by FORCE ROW LEVEL SECURITY.
TENANT_TABLES = (
    "users",
    "stores",
    "products",
    "sales",
    "stock",
    "patients",
    "documents",
    "document_chunks",
    "audit_log",
    "rate_buckets",  # 0002: token buckets of the rate limiter
    # 0005: chat history, feedback, widget API keys, allowed Origins
    "chat_threads",
    "chat_steps",
    "chat_elements",
    "chat_feedback",
    "api_keys",
    "allowed_origins",
    # 0013: monitoring (turns without question text, alerts) and staged-rollout settings
    "monitor_turns",
    "monitor_alerts",
    "rollout_configs",
)

# What the reader role (and so the SQL tool) may read.
READER_TABLES = ("stores", "products", "sales", "stock", "patients")
