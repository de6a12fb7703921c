"""Signed tree heads: each names the key that signed it and the root of the tree it covers,
they are only ever added, they keep verifying after the signing key is rotated, and a head
or stored node changed behind the application's back is named by audit_verify."""

from __future__ import annotations

import base64
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone, translation

from lantern.audit import chain, keys, scheduled, signing, tree
from lantern.audit import verify_proofs as vp
from lantern.audit.events import Event
from lantern.audit.models import AuditEntry, Checkpoint, MerkleNode, TreeHead
from lantern.audit.verify import verify_chain
from tests.audit import rfc9162 as rfc
from tests.audit.entries import append_sealed
from tests.audit.tampering import raw

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def own_key(settings, tmp_path):
    settings.LANTERN_AUDIT_SIGNING_KEY = tmp_path / "keys" / "audit-signing.pem"


def as_published(head: TreeHead) -> dict:
    return {**signing.tree_head_fields(head), "signature": head.signature}


def published_keys() -> dict[str, str]:
    return {kid: keys.public_pem(public) for kid, public in keys.public_keys().items()}


def problem_in_english():
    with translation.override("en"):
        report = verify_chain()
    assert not report.ok
    return report.problem


def test_a_tree_head_signs_the_root_of_the_sealed_entries_with_a_named_key():
    d = append_sealed(300)
    head = signing.sign_tree_head()
    assert head.tree_size == 300 and head.root_hash == rfc.mth(d).hex()
    assert head.key_id == keys.fingerprint(keys.signing_key())
    assert signing.verify_tree_head(head)
    # What the standalone verifier checks: the canonical JSON of the four fields.
    published = as_published(head)
    assert vp.check_head(published, vp.load_keys([json.dumps(published_keys())])) == (300, rfc.mth(d))
    assert verify_chain().ok


def test_the_signed_text_is_the_canonical_json_of_the_four_fields():
    append_sealed(3)
    head = signing.sign_tree_head()
    message = signing.tree_head_message(signing.tree_head_fields(head))
    assert message == (f'{{"key_id":"{head.key_id}","root_hash":"{head.root_hash}",'
                       f'"timestamp":"{signing.tree_head_fields(head)["timestamp"]}","tree_size":3}}').encode()
    keys.signing_key().public_key().verify(base64.b64decode(head.signature), message)
    assert signing.tree_head_fields(TreeHead.objects.get(pk=head.pk)) == signing.tree_head_fields(head)


def test_the_job_signs_a_checkpoint_and_a_tree_head_when_the_log_grew_and_only_then():
    append_sealed(10)
    assert "10" in scheduled.seal_and_sign_job()
    head = TreeHead.objects.get()
    assert Checkpoint.objects.get().seq == head.tree_size == AuditEntry.objects.filter(seq__isnull=False).count()
    scheduled.seal_and_sign_job()
    assert TreeHead.objects.count() == 1 and Checkpoint.objects.count() == 1
    append_sealed(1)
    scheduled.seal_and_sign_job()
    assert list(TreeHead.objects.values_list("tree_size", flat=True)) == [head.tree_size, head.tree_size + 1]
    assert verify_chain().ok


def test_the_checkpoint_command_signs_both_at_once():
    append_sealed(5)
    call_command("audit_checkpoint")
    assert TreeHead.objects.get().tree_size == Checkpoint.objects.get().seq


def test_what_the_old_key_signed_still_verifies_after_a_rotation(administrator):
    d = append_sealed(20)
    call_command("audit_checkpoint")
    old_head, old_key = TreeHead.objects.get(), keys.key_path().read_bytes()
    call_command("audit_rotate_signing_key")
    new_head = TreeHead.objects.order_by("id").last()
    assert new_head.key_id != old_head.key_id and keys.key_path().read_bytes() != old_key
    assert set(published_keys()) == {old_head.key_id, new_head.key_id}
    assert signing.verify_tree_head(old_head) and signing.verify_tree_head(new_head)
    assert all(signing.verify_checkpoint(cp) for cp in Checkpoint.objects.all())
    assert Checkpoint.objects.values("key_fingerprint").distinct().count() == 2
    # The rotation is in the log itself, and the new key's first head covers it.
    rotation = AuditEntry.objects.get(action=Event.AUDIT_SIGNING_KEY_ROTATED)
    assert rotation.details == {"old_key_id": old_head.key_id, "new_key_id": new_head.key_id}
    assert new_head.tree_size >= rotation.seq and new_head.tree_size > len(d)
    assert verify_chain().ok
    published = vp.load_keys([str(p.read_text()) for p in keys.public_dir().glob("*.pem")])
    assert vp.check_head(as_published(old_head), published)[0] == old_head.tree_size


def test_a_key_file_whose_name_is_not_its_key_id_is_not_a_key():
    keys.signing_key()
    intruder = Ed25519PrivateKey.generate().public_key()
    (keys.public_dir() / f"{keys.fingerprint(keys.signing_key())[:-1]}0.pem").write_text(keys.public_pem(intruder))
    assert keys.key_id(intruder) not in keys.public_keys()
    assert len(keys.public_keys()) == 1


def test_a_tree_head_signed_by_a_key_the_log_never_had_is_named():
    append_sealed(8)
    forger = Ed25519PrivateKey.generate()
    head = TreeHead(tree_size=8, root_hash=tree.root_hash(8).hex(), key_id=keys.fingerprint(forger),
                    timestamp=timezone.now())
    head.signature = base64.b64encode(forger.sign(signing.tree_head_message(signing.tree_head_fields(head)))).decode()
    head.save()
    problem = problem_in_english()
    assert problem.seq == 8 and "bad signature" in problem.what


def test_a_root_changed_in_the_database_no_longer_verifies():
    append_sealed(8)
    head = signing.sign_tree_head()
    raw("UPDATE audit_treehead SET root_hash = %s WHERE id = %s", ["ab" * 32, head.pk])
    assert "bad signature" in problem_in_english().what


def test_a_changed_stored_node_is_named_by_the_first_entry_it_covers():
    append_sealed(600)
    signing.sign_tree_head()
    raw("UPDATE audit_merklenode SET hash = %s WHERE key = %s", [b"\x00" * 32, tree.node_key(tree.BLOCK_LEVEL, 1)])
    problem = problem_in_english()
    assert problem.seq == tree.BLOCK + 1 and "Merkle" in problem.what


def test_a_tree_head_that_does_not_match_the_entries_is_named():
    append_sealed(300)
    head = signing.sign_tree_head()
    # The log rewritten from entry 5 with every hash recomputed, the stored tree dropped and
    # no checkpoint signed: only the signed root still tells.
    MerkleNode.objects.all().delete()
    prev = AuditEntry.objects.get(seq=4).hash
    for row in AuditEntry.objects.filter(seq__gte=5).order_by("seq"):
        row.object_id = "rewritten" if row.seq == 5 else row.object_id
        digest = chain.content_hash({f: getattr(row, f) for f in chain.CONTENT_FIELDS})
        new = chain.link_hash(row.seq, prev, digest)
        raw("UPDATE audit_auditentry SET object_id=%s, content_hash=%s, prev_hash=%s, hash=%s WHERE seq=%s",
            [row.object_id, digest, prev, new, row.seq])
        prev = new
    raw("UPDATE audit_chainhead SET hash=%s WHERE id=1", [prev])
    problem = problem_in_english()
    assert problem.seq == head.tree_size and "signed tree head" in problem.what


@pytest.mark.postgresql
def test_postgresql_refuses_to_change_or_delete_a_tree_head():
    append_sealed(2)
    signing.sign_tree_head()
    for sql in ("UPDATE audit_treehead SET tree_size = 1", "DELETE FROM audit_treehead"):
        with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as c:
            c.execute(sql)
    assert verify_chain().ok
