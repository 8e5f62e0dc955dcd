"""Rebuild the document-chunk HNSW index with `m = 16, ef_construction = 128` (0001 used pgvector's default 64).

Measured in docs/documents.md (bench/bench_vectors.py): with 64, recall@10 of some tenant sizes dips just under 0.99
at ef_search 100; with 128 every size measured reaches >= 0.995 at ef_search 200 (the default) up to 500k chunks. The
build takes ~2.4x as long. The rebuild locks `document_chunks` against writes while it runs (about 10 minutes per
500k chunks on 2 cores); on a large production table, run the same statements by hand with
`CREATE INDEX CONCURRENTLY` under another name, then drop the old index, before upgrading.

Revision ID: 0007
Revises: 0006
"""

from alembic import op

from db.roles import OWNER_ROLE

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

INDEX = "document_chunks_embedding_hnsw"


def _rebuild(options: str) -> None:
    op.execute(f"SET ROLE {OWNER_ROLE}")  # the index belongs to the table's owner
    op.execute(f"DROP INDEX IF EXISTS {INDEX}")
    op.execute(f"CREATE INDEX {INDEX} ON document_chunks USING hnsw (embedding vector_cosine_ops){options}")
    op.execute("RESET ROLE")


def upgrade() -> None:
    _rebuild(" WITH (m = 16, ef_construction = 128)")


def downgrade() -> None:
    _rebuild("")
