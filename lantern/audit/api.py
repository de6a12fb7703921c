from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from lantern.access.policy import Capability, Verb, require_capability, scope
from lantern.audit import signing, tree
from lantern.audit.models import AuditEntry, TreeHead
from lantern.audit.selectors import newest_tree_head, public_keys_pem
from lantern.audit.verify import verify_chain
from lantern.core.errors import BadInput, NotFound

router = Router(tags=["audit"])


class EntryOut(Schema):
    seq: int | None = Field(description="Position in the hash chain; null until sealed")
    at: dt.datetime
    actor_id: int | None
    action: str
    object_type: str
    object_id: str
    source: str
    outcome: str
    details: dict[str, Any]
    prev_hash: str
    hash: str


class EntryFilter(Schema):
    after_seq: int = Field(0, ge=0)
    limit: int = Field(100, ge=1, le=1000)
    action: str | None = Field(None, max_length=80)


class VerifyOut(Schema):
    ok: bool
    checked: int
    first_bad_seq: int | None
    first_bad_entry: str | None = Field(description='"#seq", or "id N" for an entry never sealed')
    problem: str | None


@router.get("/entries", response=list[EntryOut], summary="Sealed audit entries in chain order")
def entries(request: HttpRequest, filters: Query[EntryFilter]) -> list[AuditEntry]:
    require_capability(request.user, Capability.READ_AUDIT)
    qs = scope(request.user, Verb.VIEW, AuditEntry.objects.all()).filter(seq__gt=filters.after_seq)
    if filters.action:
        qs = qs.filter(action__startswith=filters.action)
    return list(qs.order_by("seq")[: filters.limit])


@router.get("/verify", response=VerifyOut, summary="Verify the hash chain now")
def verify(request: HttpRequest) -> VerifyOut:
    require_capability(request.user, Capability.READ_AUDIT)
    report = verify_chain()
    problem = report.problem
    return VerifyOut(ok=report.ok, checked=report.checked,
                     first_bad_seq=problem.seq if problem else None,
                     first_bad_entry=problem.ref if problem else None,
                     problem=problem.what if problem else None)


# The verifiable log (RFC 9162 style). Any signed-in user may read tree heads, proofs and
# public keys: they hold only hashes, counts and times, and the point is that people other
# than the audit's readers can check the log (a court does so offline, with
# lantern.audit.verify_proofs, from what a user fetched here).

class TreeHeadOut(Schema):
    tree_size: int = Field(description="How many sealed entries the tree covers (seq 1..tree_size)")
    root_hash: str = Field(description="Hex SHA-256 Merkle tree hash (RFC 9162 §2.1.1)")
    timestamp: str = Field(description="When it was signed: UTC, ISO 8601 with microseconds, as signed")
    key_id: str = Field(description="Hex SHA-256 of the raw Ed25519 public key that signed (see /keys)")
    signature: str = Field(description="Base64 Ed25519 signature over the canonical JSON (sorted keys, no "
                                       "spaces) of tree_size, root_hash, timestamp and key_id")


class AuditInclusionQuery(Schema):
    seq: int = Field(description="The entry's sequence number (leaf index seq - 1)")
    tree_size: int | None = Field(None, description="A tree size up to the newest signed head's; default: it")


class AuditInclusionProofOut(Schema):
    seq: int
    tree_size: int
    leaf_hash: str = Field(description="Hex SHA-256(0x00 || the entry's chain hash as bytes)")
    audit_path: list[str] = Field(description="Hex node hashes, the leaf's sibling first (RFC 9162 §2.1.3)")


class AuditConsistencyQuery(Schema):
    first: int = Field(description="The older tree size")
    second: int | None = Field(None, description="The newer tree size, up to the newest signed head's; default: it")


class AuditConsistencyProofOut(Schema):
    first: int
    second: int
    proof: list[str] = Field(description="Hex node hashes (RFC 9162 §2.1.4); empty when the sizes are equal")


class AuditPublicKeyOut(Schema):
    key_id: str = Field(description="Hex SHA-256 of the raw public key")
    public_key_pem: str = Field(description="Ed25519 public key, PEM (SubjectPublicKeyInfo)")
    current: bool = Field(description="Whether it is the key that signs now (the others were rotated out)")


class AuditKeysOut(Schema):
    keys: list[AuditPublicKeyOut]


def _tree_head_out(head: TreeHead) -> TreeHeadOut:
    return TreeHeadOut(**signing.tree_head_fields(head), signature=head.signature)


@router.get("/tree-head", response=TreeHeadOut, summary="The newest signed tree head of the audit log")
def tree_head(request: HttpRequest) -> TreeHeadOut:
    # A new installation has signed none yet: sign one now rather than answer nothing.
    head = newest_tree_head() or signing.sign_tree_head()
    return _tree_head_out(head)


def _at_least_one(name: str, value: int) -> None:
    if value < 1:
        raise BadInput(details={name: [_("Must be 1 or more.")]})


def _signed_tree(name: str, value: int | None) -> int:
    """A tree size that the newest signed tree head covers (by default its own)."""
    head = newest_tree_head()
    if head is None or head.tree_size == 0:
        raise NotFound(_("No tree head covering any entry has been signed yet."))
    size = head.tree_size if value is None else value
    _at_least_one(name, size)
    if size > head.tree_size:
        raise NotFound(_("No signed tree head covers %(n)s entries yet: the newest covers %(limit)s.")
                       % {"n": size, "limit": head.tree_size},
                       details={name: [_("At most %(n)s.") % {"n": head.tree_size}]})
    return size


@router.get("/proof/inclusion", response=AuditInclusionProofOut,
            summary="Proof that an entry is in the tree of a given size (RFC 9162 §2.1.3)")
def inclusion(request: HttpRequest, params: Query[AuditInclusionQuery]) -> AuditInclusionProofOut:
    size = _signed_tree("tree_size", params.tree_size)
    _at_least_one("seq", params.seq)
    if params.seq > size:
        raise BadInput(_("Entry #%(seq)s is not in a tree of %(n)s entries.") % {"seq": params.seq, "n": size},
                       details={"seq": [_("At most tree_size (%(n)s).") % {"n": size}]})
    leaf, path = tree.inclusion_proof(seq=params.seq, tree_size=size)
    return AuditInclusionProofOut(seq=params.seq, tree_size=size, leaf_hash=leaf.hex(),
                                  audit_path=[h.hex() for h in path])


@router.get("/proof/consistency", response=AuditConsistencyProofOut,
            summary="Proof that the tree of size second extends the tree of size first (RFC 9162 §2.1.4)")
def consistency(request: HttpRequest, params: Query[AuditConsistencyQuery]) -> AuditConsistencyProofOut:
    second = _signed_tree("second", params.second)
    _at_least_one("first", params.first)
    if params.first > second:
        raise BadInput(_("The first tree size must not be larger than the second."),
                       details={"first": [_("At most second (%(n)s).") % {"n": second}]})
    proof = tree.consistency_proof(first=params.first, second=second)
    return AuditConsistencyProofOut(first=params.first, second=second, proof=[h.hex() for h in proof])


@router.get("/keys", response=AuditKeysOut, summary="The public keys that sign tree heads and checkpoints")
def public_keys(request: HttpRequest) -> AuditKeysOut:
    return AuditKeysOut(keys=[AuditPublicKeyOut(key_id=kid, public_key_pem=pem, current=current)
                              for kid, pem, current in public_keys_pem()])
