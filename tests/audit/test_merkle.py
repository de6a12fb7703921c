"""The Merkle tree over the audit log is RFC 9162's: its roots and proofs equal those of a
reference implementation written from the RFC's recursive definitions, for every entry of
every small tree, across the stored blocks and the edges computed from entries, and the
RFC's verification algorithms accept exactly the proofs that are right."""

from __future__ import annotations

import hashlib
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lantern.audit import merkle, tree
from lantern.audit import verify_proofs as vp
from lantern.audit.models import MerkleNode
from tests.audit import rfc9162 as rfc
from tests.audit.entries import append_sealed


def chain_hashes(n: int) -> list[bytes]:
    return [hashlib.sha256(f"entry {i}".encode()).digest() for i in range(n)]


def from_leaves(d: list[bytes]):
    leaves = [merkle.leaf_hash(x) for x in d]
    return lambda piece: merkle.root_of_leaves(leaves[piece[0]:piece[1]])


# The arithmetic, without the database ---------------------------------------------------

@pytest.mark.parametrize("n", range(71))
def test_the_root_of_every_small_tree_is_the_rfc_mth(n):
    d = chain_hashes(n)
    assert merkle.root_of_leaves([merkle.leaf_hash(x) for x in d]) == rfc.mth(d)


def test_every_inclusion_path_in_every_tree_of_1_to_70_entries_is_the_rfc_path():
    d = chain_hashes(70)
    for n in range(1, 71):
        for m in range(n):
            assert merkle.hashes_of(merkle.inclusion_ranges(m, n), from_leaves(d)) == rfc.path(m, d[:n]), (m, n)


def test_every_consistency_proof_between_trees_of_1_to_70_entries_is_the_rfc_proof():
    d = chain_hashes(70)
    for first, second in itertools.combinations_with_replacement(range(1, 71), 2):
        assert merkle.hashes_of(merkle.consistency_ranges(first, second), from_leaves(d)) \
            == rfc.proof(first, d[:second]), (first, second)


@settings(max_examples=200, deadline=None)
@given(data=st.data(), n=st.integers(1, 3000))
def test_proofs_in_larger_trees_match_the_rfc(data, n):
    d = chain_hashes(n)
    m = data.draw(st.integers(0, n - 1))
    first = data.draw(st.integers(1, n))
    assert merkle.hashes_of(merkle.inclusion_ranges(m, n), from_leaves(d)) == rfc.path(m, d)
    assert merkle.hashes_of(merkle.consistency_ranges(first, n), from_leaves(d)) == rfc.proof(first, d)


# The verifier's algorithms accept right proofs and refuse any change ----------------------

def leads_to(root: bytes, index: int, size: int, leaf: bytes, path: list[bytes]) -> bool:
    try:
        return vp.root_from_inclusion(index, size, leaf, path) == root
    except vp.Failed:
        return False


def test_the_verifier_accepts_every_inclusion_and_consistency_proof_of_small_trees():
    d = chain_hashes(40)
    roots = [rfc.mth(d[:n]) for n in range(41)]
    for n in range(1, 41):
        for m in range(n):
            assert vp.root_from_inclusion(m, n, merkle.leaf_hash(d[m]), rfc.path(m, d[:n])) == roots[n]
        for first in range(1, n + 1):
            vp.check_consistency(first, n, roots[first], roots[n], rfc.proof(first, d[:n]))


@settings(max_examples=150, deadline=None)
@given(data=st.data(), n=st.integers(2, 300))
def test_the_verifier_refuses_a_proof_with_any_hash_changed(data, n):
    d = chain_hashes(n)
    m, first = data.draw(st.integers(0, n - 1)), data.draw(st.integers(1, n - 1))
    inclusion, consistency = rfc.path(m, d), rfc.proof(first, d)
    bad = data.draw(st.integers(0, len(inclusion) - 1))
    inclusion[bad] = bytes([inclusion[bad][0] ^ 1]) + inclusion[bad][1:]
    assert not leads_to(rfc.mth(d), m, n, merkle.leaf_hash(d[m]), inclusion)
    bad = data.draw(st.integers(0, len(consistency) - 1))
    consistency[bad] = bytes([consistency[bad][0] ^ 1]) + consistency[bad][1:]
    with pytest.raises(vp.Failed):
        vp.check_consistency(first, n, rfc.mth(d[:first]), rfc.mth(d), consistency)


@settings(max_examples=100, deadline=None)
@given(data=st.data(), n=st.integers(3, 200))
def test_the_verifier_refuses_a_proof_for_another_entry_or_size(data, n):
    d = chain_hashes(n)
    m = data.draw(st.integers(0, n - 1))
    other = data.draw(st.integers(0, n - 1).filter(lambda x: x != m))
    assert not leads_to(rfc.mth(d), other, n, merkle.leaf_hash(d[m]), rfc.path(m, d))
    assert not leads_to(rfc.mth(d), n, n, merkle.leaf_hash(d[m]), rfc.path(m, d))  # past the tree's end
    first = data.draw(st.integers(1, n - 2))
    with pytest.raises(vp.Failed):  # the proof of another pair of sizes
        vp.check_consistency(first + 1, n, rfc.mth(d[:first]), rfc.mth(d), rfc.proof(first, d))
    with pytest.raises(vp.Failed):
        vp.check_consistency(first, n, rfc.mth(d[:first]), rfc.mth(d), rfc.proof(first + 1, d))


# The stored tree --------------------------------------------------------------------------

@pytest.fixture
def tiny_blocks(monkeypatch):
    """Blocks of 4 leaves instead of 64, so small trees use stored nodes at every level."""
    monkeypatch.setattr(tree, "BLOCK_LEVEL", 2)
    monkeypatch.setattr(tree, "BLOCK", 4)


@pytest.mark.django_db
def test_every_proof_of_every_tree_of_1_to_70_entries_from_the_database(tiny_blocks):
    d = append_sealed(70)
    assert tree.extend() == 70 // 4
    for n in range(1, 71):
        assert tree.root_hash(n) == rfc.mth(d[:n]), n
        for seq in range(1, n + 1):
            leaf, path = tree.inclusion_proof(seq=seq, tree_size=n)
            assert (leaf, path) == (merkle.leaf_hash(d[seq - 1]), rfc.path(seq - 1, d[:n])), (seq, n)
        for first in range(1, n + 1, 1 if n <= 40 else 7):  # all pairs above, without the database
            assert tree.consistency_proof(first=first, second=n) == rfc.proof(first, d[:n]), (first, n)


@pytest.fixture
def seven_hundred(db):
    d = append_sealed(700)
    tree.extend()
    return d


def complete_subtrees(n: int) -> set[int]:
    """The keys of every complete, aligned subtree of a block or more in a tree of n leaves."""
    return {tree.node_key(level, i) for level in range(tree.BLOCK_LEVEL, 40) for i in range(n >> level)}


@pytest.mark.django_db
def test_complete_blocks_are_stored_with_the_parents_they_complete(seven_hundred):
    assert set(MerkleNode.objects.values_list("key", flat=True)) == complete_subtrees(700)
    stored = bytes(MerkleNode.objects.get(key=tree.node_key(9, 0)).hash)
    assert stored == merkle.root_of_leaves([merkle.leaf_hash(x) for x in seven_hundred[:512]])


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 2, 63, 64, 65, 255, 256, 257, 300, 511, 512, 513, 699, 700])
def test_roots_across_block_boundaries_are_the_rfc_mth(seven_hundred, n):
    assert tree.root_hash(n) == rfc.mth(seven_hundred[:n])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
@pytest.mark.django_db
def test_proofs_from_the_database_match_the_rfc(seven_hundred, data):
    n = data.draw(st.integers(1, 700), label="tree_size")
    seq = data.draw(st.integers(1, n), label="seq")
    first = data.draw(st.integers(1, n), label="first")
    d = seven_hundred[:n]
    assert tree.inclusion_proof(seq=seq, tree_size=n) == (merkle.leaf_hash(d[seq - 1]), rfc.path(seq - 1, d))
    assert tree.consistency_proof(first=first, second=n) == rfc.proof(first, d)


@pytest.mark.django_db
def test_the_tree_grows_by_the_new_blocks_only(seven_hundred):
    before = {k: bytes(h) for k, h in MerkleNode.objects.values_list("key", "hash")}
    assert tree.extend() == 0  # nothing new
    d = append_sealed(400)
    assert tree.extend() == 1100 // tree.BLOCK - 700 // tree.BLOCK
    after = {k: bytes(h) for k, h in MerkleNode.objects.values_list("key", "hash")}
    assert {k: after[k] for k in before} == before and set(after) == complete_subtrees(1100)
    assert tree.root_hash(1100) == rfc.mth(d) and tree.root_hash(1024) == rfc.mth(d[:1024])


@pytest.mark.django_db
def test_a_proof_the_stored_tree_does_not_reach_yet_extends_it_first(seven_hundred):
    d = append_sealed(400)  # the job has not run since
    assert tree.inclusion_proof(seq=1000, tree_size=1100) == (merkle.leaf_hash(d[999]), rfc.path(999, d))
    assert set(MerkleNode.objects.values_list("key", flat=True)) == complete_subtrees(1100)


@pytest.mark.django_db
def test_the_tree_is_built_in_batches_the_same_as_at_once(tiny_blocks, monkeypatch):
    d = append_sealed(203)
    monkeypatch.setattr(tree, "BLOCKS_PER_BATCH", 3)
    assert tree.extend() == 50
    for n in (1, 4, 5, 64, 128, 199, 200, 203):
        assert tree.root_hash(n) == rfc.mth(d[:n])
