"""Tenant schema: roles, tenants/users, retail tables, documents, audit log, FORCE row-level security.

Revision ID: 0001
Revises:
"""

from alembic import op

from db.migrations.rls import tenant_rls_sql
from db.roles import APP_ROLE, OWNER_ROLE, READER_ROLE, READER_TABLES

# The tenant tables of this revision, frozen: later revisions add theirs to db.roles.TENANT_TABLES themselves.
TENANT_TABLES = ("users", "stores", "products", "sales", "stock", "patients", "documents", "document_chunks",
                 "audit_log")

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TENANT_DEFAULT = "DEFAULT sightline_current_tenant()"

TABLES = f"""
CREATE FUNCTION sightline_current_tenant() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $$;

CREATE TABLE tenants (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{{0,62}}$'),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id uuid NOT NULL {TENANT_DEFAULT} REFERENCES tenants(id) ON DELETE CASCADE,
    email text NOT NULL UNIQUE CHECK (email = lower(email) AND email LIKE '%_@_%'),
    role text NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'admin')),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX users_tenant_idx ON users (tenant_id);

CREATE TABLE stores (
    tenant_id uuid NOT NULL {TENANT_DEFAULT} REFERENCES tenants(id) ON DELETE CASCADE,
    store_code text NOT NULL,
    name text NOT NULL,
    city text NOT NULL,
    state text NOT NULL,
    PRIMARY KEY (tenant_id, store_code)
);

CREATE TABLE products (
    tenant_id uuid NOT NULL {TENANT_DEFAULT} REFERENCES tenants(id) ON DELETE CASCADE,
    sku text NOT NULL,
    name text NOT NULL,
    category text NOT NULL
        CHECK (category IN ('frames', 'lenses', 'contact_lenses', 'sunglasses', 'accessories', 'services')),
    brand text NOT NULL,
    unit_price numeric(12, 2) NOT NULL CHECK (unit_price >= 0),
    PRIMARY KEY (tenant_id, sku)
);

CREATE TABLE sales (
    tenant_id uuid NOT NULL {TENANT_DEFAULT} REFERENCES tenants(id) ON DELETE CASCADE,
    order_id text NOT NULL,
    sold_at date NOT NULL,
    store_code text NOT NULL,
    sku text NOT NULL,
    quantity integer NOT NULL CHECK (quantity > 0),
    unit_price numeric(12, 2) NOT NULL CHECK (unit_price >= 0),
    discount numeric(12, 2) NOT NULL DEFAULT 0 CHECK (discount >= 0),
    PRIMARY KEY (tenant_id, order_id, sku)
    -- store_code and sku are checked by the importer, which holds FOR KEY SHARE locks on the referenced
    -- stores/products rows for the whole load: the same guarantee as a foreign key, without a trigger call
    -- per fact row (a per-row RI check halves the COPY import rate).
);
CREATE INDEX sales_tenant_day_idx ON sales (tenant_id, sold_at);
CREATE INDEX sales_tenant_sku_idx ON sales (tenant_id, sku);

CREATE TABLE stock (
    tenant_id uuid NOT NULL {TENANT_DEFAULT} REFERENCES tenants(id) ON DELETE CASCADE,
    store_code text NOT NULL,
    sku text NOT NULL,
    on_hand integer NOT NULL CHECK (on_hand >= 0),
    reorder_point integer NOT NULL CHECK (reorder_point >= 0),
    as_of date NOT NULL,
    PRIMARY KEY (tenant_id, store_code, sku),
    FOREIGN KEY (tenant_id, store_code) REFERENCES stores (tenant_id, store_code),
    FOREIGN KEY (tenant_id, sku) REFERENCES products (tenant_id, sku)
);

-- De-identified only (Safe Harbor style, see safety/deid.py): no names, contacts, street, full dates.
CREATE TABLE patients (
    tenant_id uuid NOT NULL {TENANT_DEFAULT} REFERENCES tenants(id) ON DELETE CASCADE,
    patient_key text NOT NULL CHECK (patient_key ~ '^[0-9a-f]{{32}}$'),
    age_band text NOT NULL,
    state text NOT NULL,
    zip3 char(3) NOT NULL CHECK (zip3 ~ '^[0-9]{{3}}$'),
    last_exam_year integer CHECK (last_exam_year BETWEEN 1900 AND 2200),
    sphere_od numeric(5, 2),
    sphere_os numeric(5, 2),
    cylinder_od numeric(5, 2),
    cylinder_os numeric(5, 2),
    lens_type text NOT NULL,
    PRIMARY KEY (tenant_id, patient_key)
);

CREATE TABLE documents (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id uuid NOT NULL {TENANT_DEFAULT} REFERENCES tenants(id) ON DELETE CASCADE,
    title text NOT NULL,
    source text NOT NULL,
    mime_type text NOT NULL,
    content_hash text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, source),
    UNIQUE (tenant_id, id)
);

CREATE TABLE document_chunks (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id uuid NOT NULL {TENANT_DEFAULT} REFERENCES tenants(id) ON DELETE CASCADE,
    document_id uuid NOT NULL,
    chunk_index integer NOT NULL,
    content text NOT NULL,
    embedding vector(384) NOT NULL,
    UNIQUE (document_id, chunk_index),
    -- composite: a chunk can only belong to a document of its own tenant
    FOREIGN KEY (tenant_id, document_id) REFERENCES documents (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX document_chunks_tenant_idx ON document_chunks (tenant_id);
CREATE INDEX document_chunks_embedding_hnsw ON document_chunks USING hnsw (embedding vector_cosine_ops);

CREATE TABLE audit_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id uuid NOT NULL {TENANT_DEFAULT} REFERENCES tenants(id) ON DELETE CASCADE,
    at timestamptz NOT NULL DEFAULT now(),
    user_id uuid,
    event text NOT NULL,
    route text,
    tool_input text,
    rows_returned integer,
    model text,
    latency_ms integer,
    details jsonb NOT NULL DEFAULT '{{}}'::jsonb
);
CREATE INDEX audit_log_tenant_at_idx ON audit_log (tenant_id, at);
"""


def _roles_sql() -> str:
    return f"""
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{OWNER_ROLE}') THEN
        CREATE ROLE {OWNER_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{APP_ROLE}') THEN
        CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{READER_ROLE}') THEN
        CREATE ROLE {READER_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
    END IF;
END
$$;
ALTER ROLE {READER_ROLE} SET default_transaction_read_only = on;
"""


def upgrade() -> None:
    op.execute(_roles_sql())
    op.execute("CREATE EXTENSION IF NOT EXISTS vector")
    op.execute(f"GRANT USAGE, CREATE ON SCHEMA public TO {OWNER_ROLE}")
    op.execute(f"GRANT USAGE ON SCHEMA public TO {APP_ROLE}, {READER_ROLE}")
    # Everything below is created (and so owned) by the NOLOGIN owner role, which FORCE RLS still binds.
    op.execute(f"SET ROLE {OWNER_ROLE}")
    op.execute(TABLES)
    for table in TENANT_TABLES:
        op.execute(tenant_rls_sql(table))
    op.execute("ALTER TABLE tenants ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE tenants FORCE ROW LEVEL SECURITY")
    op.execute("CREATE POLICY tenants_select ON tenants FOR SELECT USING (id = sightline_current_tenant())")

    op.execute(f"GRANT SELECT ON tenants TO {APP_ROLE}")
    writable = [t for t in TENANT_TABLES if t != "audit_log"]
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {', '.join(writable)} TO {APP_ROLE}")
    op.execute(f"GRANT SELECT, INSERT ON audit_log TO {APP_ROLE}")  # append-only for the app
    op.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {APP_ROLE}")
    op.execute(f"GRANT SELECT ON {', '.join(READER_TABLES)} TO {READER_ROLE}")
    op.execute("RESET ROLE")


def downgrade() -> None:
    op.execute(f"SET ROLE {OWNER_ROLE}")
    for table in ("audit_log", "document_chunks", "documents", "patients", "stock", "sales", "products", "stores",
                  "users", "tenants"):
        op.execute(f"DROP TABLE IF EXISTS {table} CASCADE")
    op.execute("DROP FUNCTION IF EXISTS sightline_current_tenant()")
    op.execute("RESET ROLE")
