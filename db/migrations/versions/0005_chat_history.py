"""Chat history for the web app (threads, steps, elements, feedback), widget API keys and per-tenant allowed Origins.

Every table is a tenant table: `tenant_id` defaulting to the session tenant, ENABLE + FORCE row-level security and
the four standard policies. Composite keys tie every row to its tenant: a step can only belong to a thread of the same
tenant, a thread only to a user of the same tenant, feedback only to a step of the same tenant.

Revision ID: 0005
Revises: 0004
"""

from alembic import op

from db.migrations.rls import tenant_rls_sql
from db.roles import APP_ROLE, OWNER_ROLE

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TENANT_DEFAULT = "DEFAULT sightline_current_tenant()"
NEW_TABLES = ("chat_threads", "chat_steps", "chat_elements", "chat_feedback", "api_keys", "allowed_origins")

TABLES = f"""
-- The target of the composite foreign keys below (users.id is already unique; this adds the tenant to it).
ALTER TABLE users ADD CONSTRAINT users_tenant_id_id_key UNIQUE (tenant_id, id);

CREATE TABLE chat_threads (
    tenant_id uuid NOT NULL {TENANT_DEFAULT} REFERENCES tenants(id) ON DELETE CASCADE,
    id text NOT NULL CHECK (length(id) BETWEEN 1 AND 200),
    user_id uuid NOT NULL,
    name text CHECK (length(name) <= 500),
    metadata jsonb NOT NULL DEFAULT '{{}}'::jsonb,
    tags text[] NOT NULL DEFAULT '{{}}',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX chat_threads_user_idx ON chat_threads (tenant_id, user_id, created_at DESC);

CREATE TABLE chat_steps (
    tenant_id uuid NOT NULL {TENANT_DEFAULT} REFERENCES tenants(id) ON DELETE CASCADE,
    id text NOT NULL CHECK (length(id) BETWEEN 1 AND 200),
    thread_id text NOT NULL,
    seq bigint GENERATED ALWAYS AS IDENTITY,
    parent_id text,
    type text NOT NULL,
    name text NOT NULL DEFAULT '',
    input text NOT NULL DEFAULT '',
    output text NOT NULL DEFAULT '',
    metadata jsonb NOT NULL DEFAULT '{{}}'::jsonb,
    is_error boolean NOT NULL DEFAULT false,
    show_input text,
    language text,
    default_open boolean,
    tags text[],
    generation jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    start_at timestamptz,
    end_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, thread_id) REFERENCES chat_threads (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX chat_steps_thread_idx ON chat_steps (tenant_id, thread_id, created_at, seq);

CREATE TABLE chat_elements (
    tenant_id uuid NOT NULL {TENANT_DEFAULT} REFERENCES tenants(id) ON DELETE CASCADE,
    id text NOT NULL CHECK (length(id) BETWEEN 1 AND 200),
    thread_id text NOT NULL,
    for_id text,
    type text NOT NULL,
    element jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, thread_id) REFERENCES chat_threads (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX chat_elements_thread_idx ON chat_elements (tenant_id, thread_id);

-- One rating per (answer, user). route/tool/model/latency are copied from the rated answer's metadata when the
-- rating is stored, so quality can be tracked per model version even after the deployment changes.
CREATE TABLE chat_feedback (
    tenant_id uuid NOT NULL {TENANT_DEFAULT} REFERENCES tenants(id) ON DELETE CASCADE,
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    thread_id text NOT NULL,
    step_id text NOT NULL,
    user_id uuid NOT NULL,
    value smallint NOT NULL CHECK (value IN (0, 1)),
    comment text CHECK (length(comment) <= 4000),
    route text,
    tool text,
    model text,
    latency_ms integer,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, step_id, user_id),
    FOREIGN KEY (tenant_id, thread_id) REFERENCES chat_threads (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, step_id) REFERENCES chat_steps (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX chat_feedback_route_idx ON chat_feedback (tenant_id, route, model);

-- Widget API keys: only a SHA-256 of the key is stored; `prefix` is the public key id shown in listings.
CREATE TABLE api_keys (
    tenant_id uuid NOT NULL {TENANT_DEFAULT} REFERENCES tenants(id) ON DELETE CASCADE,
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    prefix text NOT NULL UNIQUE CHECK (prefix ~ '^[a-z0-9]{{8,32}}$'),
    key_hash text NOT NULL CHECK (key_hash ~ '^[0-9a-f]{{64}}$'),
    name text NOT NULL DEFAULT '' CHECK (length(name) <= 200),
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz,
    PRIMARY KEY (tenant_id, id)
);

-- Origins (scheme, host and optional port) whose pages may embed the widget or call the API for this tenant.
CREATE TABLE allowed_origins (
    tenant_id uuid NOT NULL {TENANT_DEFAULT} REFERENCES tenants(id) ON DELETE CASCADE,
    origin text NOT NULL CHECK (origin ~ '^https?://[a-z0-9.-]+(:[0-9]{{1,5}})?$'),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, origin)
);
"""


def upgrade() -> None:
    op.execute(f"SET ROLE {OWNER_ROLE}")
    op.execute(TABLES)
    for table in NEW_TABLES:
        op.execute(tenant_rls_sql(table))
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {', '.join(NEW_TABLES)} TO {APP_ROLE}")
    op.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {APP_ROLE}")
    op.execute("RESET ROLE")


def downgrade() -> None:
    op.execute(f"SET ROLE {OWNER_ROLE}")
    op.execute("DROP TABLE IF EXISTS allowed_origins, api_keys, chat_feedback, chat_elements, chat_steps, "
               "chat_threads CASCADE")
    op.execute("ALTER TABLE users DROP CONSTRAINT IF EXISTS users_tenant_id_id_key")
    op.execute("RESET ROLE")
