"""The output guard's per-tenant allow-list from the tenant's own documents: its place and branch names, the names
of its own offerings (plans, cover, clubs, cards, schemes, subscriptions) and the other names it publishes as the
business's (products, events, agencies, vans, venues, staff named in a business role: `safety.business_names`)
(`doc_place_terms`), and the contact points
its documents publish as the business's (branch phone numbers, e-mail addresses, street addresses;
`doc_contact_terms`): read under the tenant's RLS session, cached per tenant until its documents change.

The names come from `safety.place_names.place_names` and `safety.place_names.offering_names`, the contact points from
`safety.business_contacts.business_contacts`, over the text of every document of the tenant (chunks put back together
in order, the overlap between neighbouring chunks removed).
Titles at ingest (``tools.ingest.safe_title``) read ``upload_terms``: the same names over the stored documents and
a whole upload before it is stored (uncached), and ``document_terms``: what one document's own text publishes.
The cache is keyed by the tenant id and a fingerprint of its document rows (ids and content hashes, read under its
RLS session on every call: ~1 ms), so an added, replaced or deleted document changes the list on the next call in
every process, and one tenant's names are never computed from, or served to, another tenant.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from db.session import tenant_session
from safety.allowlist import PLACE_CONTEXT_PREFIX, STANDALONE_PREFIX, in_place_context
from safety.business_contacts import business_contacts
from safety.business_names import business_names, title_common_nouns
from safety.place_names import (
    DocumentText,
    contextual_place_names,
    offering_names,
    place_names,
)
from tools.tenant_cache import TenantCache

_FINGERPRINT = sa.text(
    "SELECT count(*) AS n, coalesce(md5(string_agg(id::text || ':' || coalesce(content_hash, ''), ',' "
    "ORDER BY id)), '') AS digest FROM documents")
_CHUNKS = sa.text(
    "SELECT d.id, d.title, d.source, c.content FROM documents d JOIN document_chunks c ON c.document_id = d.id "
    "ORDER BY d.id, c.chunk_index")

_MAX_OVERLAP = 800  # tools.ingest repeats at most a chunk's worth (CHUNK_CHARS) of the previous chunk



def _joined(chunks: list[str]) -> str:
    """A document's text from its chunks: each chunk after the first starts with the end of the one before
    (tools.ingest's overlap), which is dropped, after the heading path a chunk that starts inside a section opens with
    (tools.chunking), which repeats headings already in the text."""
    text = chunks[0] if chunks else ""
    for chunk in chunks[1:]:
        path = _HEADING_PATH.match(chunk)
        for body in ([chunk[path.end():]] if path else []) + [chunk]:
            overlap = 0
            for size in range(min(len(text), len(body), _MAX_OVERLAP), 0, -1):
                if text.endswith(body[:size]):
                    overlap = size
                    break
            if overlap:
                break
        else:
            body = chunk  # no overlap found: the whole chunk, headings and all
        text += ("" if overlap else "\n\n") + body[overlap:]
    return text


_HEADING_PATH = re.compile(r"(?:#{1,6} [^\n]*\n)+\n")


def _documents(rows: Iterable[sa.Row]) -> list[DocumentText]:
    docs: dict[uuid.UUID, tuple[str, list[str]]] = {}
    for row in rows:
        docs.setdefault(row.id, (row.title or "", []))[1].append(row.content or "")
    return [DocumentText(title=title, text=_joined(chunks)) for title, chunks in docs.values()]


_names: TenantCache[str, tuple[str, ...]] = TenantCache()
_contacts: TenantCache[str, tuple[str, ...]] = TenantCache()


def _cached(cache: TenantCache[str, tuple[str, ...]], tenant_id: uuid.UUID | str,
            compute: Callable[[list[DocumentText]], tuple[str, ...]]) -> tuple[str, ...]:
    tid = uuid.UUID(str(tenant_id))
    with tenant_session(tid) as conn:
        fp = conn.execute(_FINGERPRINT).one()
        fingerprint = f"{fp.n}:{fp.digest}"
        hit = cache.get(tid, lambda stamp: stamp == fingerprint)
        if hit is not None:
            return hit
        rows = conn.execute(_CHUNKS).all() if fp.n else []
    terms = compute(_documents(rows))
    cache.put(tid, fingerprint, terms)
    return terms


def doc_place_terms(tenant_id: uuid.UUID | str) -> tuple[str, ...]:
    """The place and branch names the tenant's own documents use as places, the names of its own offerings and the
    names they publish as the business's (``safety.business_names``), for its allow-list (sorted); a place named
    like a person ("Brandon") as ``safety.allowlist.in_place_context(name)``, which the guard allows only where the
    answer puts it in a place context, a one-word name that reads as a person's as ``safety.allowlist.standalone``."""
    return _cached(_names, tenant_id, _place_terms)


def _place_terms(docs: list[DocumentText]) -> tuple[str, ...]:
    plain = {*place_names(docs), *offering_names(docs)}
    # places named like people ("Brandon"): allowed only where the answer itself puts them in a place context
    contextual = {in_place_context(n) for n in contextual_place_names(docs) if n not in plain}
    # the names of its things and its staff in a business role (one-word names that read as a person's only where
    # they stand alone: ``safety.allowlist.standalone``)
    return tuple(sorted(plain | contextual | set(business_names(docs))))


def document_terms(title: str, chunks: Sequence[str]) -> tuple[str, ...]:
    """The names one document's own text publishes as places, offerings and the business's (as ``doc_place_terms``
    computes them, over this document alone, its title read for the record veto: a document titled "Case notes" gives
    nothing), for making that document's title safe at ingest before the document is stored; only names its text
    itself holds (a title is no evidence for itself), so a patient's name in a title stays redacted; and, as
    ``safety.allowlist.standalone`` terms, the title's words that the text uses as common nouns
    (``safety.business_names.title_common_nouns``: "Zaruka a reklamace", a title made from a file name, over a text
    that says "záruka")."""
    text = _joined(list(chunks))
    if not text.strip():
        return ()
    published = tuple(t for t in _place_terms([DocumentText(title=title, text=text)]) if _bare(t) in text)
    return (*published, *(t for t in title_common_nouns(title, text) if t not in published))


@dataclass(frozen=True)
class Upload:
    """One document of an upload, before it is stored: its source name, raw title and chunks."""

    source: str
    title: str
    chunks: Sequence[str]


def upload_terms(tenant_id: uuid.UUID | str, uploads: Sequence[Upload]) -> tuple[str, ...]:
    """The names the tenant's documents publish once ``uploads`` are stored (as ``doc_place_terms`` computes them, over
    its stored documents that the upload does not replace and the uploaded ones, their raw titles read for the record
    veto), for making the upload's titles safe at ingest: a chain's name in one title counts when another document of
    the same upload shows it is the business. Only names some document's text holds (an uploaded title is no evidence
    for itself or for another); the vetoes read every document, so a name any of them uses for a person, and a name a
    record about a person holds (its title too: "Incident report - X"), stays off. Read under the tenant's RLS
    session; never cached (an upload is not yet stored)."""
    replaced = {u.source for u in uploads}
    with tenant_session(uuid.UUID(str(tenant_id))) as conn:
        rows = [r for r in conn.execute(_CHUNKS).all() if r.source not in replaced]
    stored = _documents(rows)
    docs = [*stored, *(DocumentText(title=u.title, text=_joined(list(u.chunks))) for u in uploads)]
    docs = [d for d in docs if d.text.strip()]
    if not docs:
        return ()
    held = "\n".join([*(d.text for d in docs), *(d.title for d in stored)])  # stored titles are already safe
    return tuple(t for t in _place_terms(docs) if _bare(t) in held)


def _bare(term: str) -> str:
    """The name a list term stands for (``in_place_context`` / ``standalone`` terms carry a prefix)."""
    for prefix in (PLACE_CONTEXT_PREFIX, STANDALONE_PREFIX):
        if term.startswith(prefix):
            return term[len(prefix):]
    return term


def doc_contact_terms(tenant_id: uuid.UUID | str) -> tuple[str, ...]:
    """The phone numbers, e-mail addresses and street addresses the tenant's own documents publish as the business's
    contact points, for its allow-list (sorted). Runs the PII detector over the documents' lines that hold digits or
    an "@" (about a second for a few documents), once per change of the tenant's documents."""
    return _cached(_contacts, tenant_id, lambda docs: business_contacts(docs, place_names(docs)) if docs else ())


def forget(tenant_id: uuid.UUID | None = None) -> None:
    """Drop the cached names of one tenant, or of all (tests; the fingerprint already catches document changes)."""
    _names.forget(tenant_id)
    _contacts.forget(tenant_id)


__all__ = ["Upload", "doc_contact_terms", "doc_place_terms", "document_terms", "forget", "upload_terms"]
