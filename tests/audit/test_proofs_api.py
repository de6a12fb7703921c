"""The verifiable log through the API, checked as a court would check it: what any
signed-in user fetches (tree heads, proofs, public keys) is saved to files and verified by
the standalone verifier in a process of its own, without Lantern's database or Django."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from lantern.audit import signing
from lantern.audit.models import AuditEntry
from tests.audit.entries import append_sealed
from tests.cases.test_linxia_scenario import Api

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def own_key(settings, tmp_path):
    settings.LANTERN_AUDIT_SIGNING_KEY = tmp_path / "keys" / "audit-signing.pem"


@pytest.fixture
def api(investigator):
    """An investigator: no right to read the audit log itself, yet to verify it."""
    return Api(investigator)


@pytest.fixture
def files(tmp_path):
    def save(name: str, data) -> str:
        path = tmp_path / name
        path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False))
        return str(path)
    return save


def verifier(*args: str, cwd: Path = ROOT, script: str | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, script] if script else [sys.executable, "-m", "lantern.audit.verify_proofs"]
    return subprocess.run([*command, *args], cwd=cwd, capture_output=True, text=True, timeout=60, check=False,
                          env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})


def ok(result: subprocess.CompletedProcess) -> bool:
    assert result.returncode in (0, 1), result.stderr
    assert (result.stdout if result.returncode == 0 else result.stderr).startswith(("OK:", "FAILED:"))
    return result.returncode == 0


def entry_hash(seq: int) -> str:
    return AuditEntry.objects.get(seq=seq).hash


def flip(hex_hash: str) -> str:
    return ("0" if hex_hash[0] != "0" else "1") + hex_hash[1:]


def test_an_entry_is_shown_to_be_in_the_signed_log_and_tampering_is_refused(api, files):
    append_sealed(300)
    head = api.get("/audit/tree-head").json()
    assert head["tree_size"] == AuditEntry.objects.filter(seq__isnull=False).count()
    proof = api.get(f"/audit/proof/inclusion?seq=123&tree_size={head['tree_size']}").json()
    assert proof["seq"] == 123 and proof["tree_size"] == head["tree_size"] and len(proof["audit_path"]) == 9
    keys, head_file = files("keys.json", api.get("/audit/keys").json()), files("head.json", head)
    check = ["inclusion", "--keys", keys, "--head", head_file, "--proof", files("proof.json", proof)]
    result = verifier(*check, "--entry-hash", entry_hash(123))
    assert ok(result) and "#123" in result.stdout
    assert ok(verifier(*check, "--leaf-hash", proof["leaf_hash"]))
    # Another entry's hash, a proof with one hash changed, a head whose root was changed.
    assert not ok(verifier(*check, "--entry-hash", entry_hash(124)))
    bad_path = {**proof, "audit_path": list(proof["audit_path"])}
    bad_path["audit_path"][4] = flip(bad_path["audit_path"][4])
    assert not ok(verifier(*check[:-1], files("bad.json", bad_path), "--entry-hash", entry_hash(123)))
    forged = files("forged.json", {**head, "root_hash": flip(head["root_hash"])})
    result = verifier("inclusion", "--keys", keys, "--head", forged, "--proof", check[-1],
                      "--entry-hash", entry_hash(123))
    assert not ok(result) and "signature" in result.stderr


def test_a_tree_head_verifies_only_with_its_own_key_and_signature(api, files, tmp_path, settings):
    append_sealed(20)
    head = api.get("/audit/tree-head").json()
    keys = files("keys.json", api.get("/audit/keys").json())
    assert ok(verifier("head", "--keys", keys, files("head.json", head)))
    signature = head["signature"]
    forged = {**head, "signature": ("A" if signature[0] != "A" else "B") + signature[1:]}
    assert not ok(verifier("head", "--keys", keys, files("forged.json", forged)))
    settings.LANTERN_AUDIT_SIGNING_KEY = tmp_path / "other" / "audit-signing.pem"  # another installation
    other = files("other.json", api.get("/audit/keys").json())
    result = verifier("head", "--keys", other, files("head.json", head))
    assert not ok(result) and head["key_id"] in result.stderr


def test_the_log_is_shown_to_have_only_grown_between_two_tree_heads(api, files):
    append_sealed(300)
    old = api.get("/audit/tree-head").json()
    append_sealed(213)
    signing.sign_tree_head()
    new = api.get("/audit/tree-head").json()
    assert new["tree_size"] == old["tree_size"] + 213
    proof = api.get(f"/audit/proof/consistency?first={old['tree_size']}&second={new['tree_size']}").json()
    keys = files("keys.json", api.get("/audit/keys").json())
    check = ["--keys", keys, "--old", files("old.json", old), "--new", files("new.json", new)]
    result = verifier("consistency", *check, "--proof", files("proof.json", proof))
    assert ok(result) and f"#{old['tree_size'] + 1}" in result.stdout
    tampered = {**proof, "proof": [flip(proof["proof"][0]), *proof["proof"][1:]]}
    assert not ok(verifier("consistency", *check, "--proof", files("bad.json", tampered)))
    swapped = ["--keys", keys, "--old", check[-1], "--new", check[-3]]
    assert not ok(verifier("consistency", *swapped, "--proof", check[-1]))


def test_heads_signed_before_a_key_rotation_still_verify_with_the_published_keys(api, files):
    append_sealed(40)
    old = api.get("/audit/tree-head").json()
    call_command("audit_rotate_signing_key")
    new = api.get("/audit/tree-head").json()
    listed = api.get("/audit/keys").json()["keys"]
    assert {k["key_id"]: k["current"] for k in listed} == {old["key_id"]: False, new["key_id"]: True}
    keys = files("keys.json", {"keys": listed})
    assert ok(verifier("head", "--keys", keys, files("old.json", old)))
    proof = api.get(f"/audit/proof/consistency?first={old['tree_size']}&second={new['tree_size']}").json()
    assert ok(verifier("consistency", "--keys", keys, "--old", files("old.json", old), "--new",
                       files("new.json", new), "--proof", files("proof.json", proof)))
    # A PEM file of the old key alone verifies the old head, not the new one.
    pem = files("old.pem", next(k["public_key_pem"] for k in listed if not k["current"]))
    assert ok(verifier("head", "--keys", pem, files("old.json", old)))
    assert not ok(verifier("head", "--keys", pem, files("new.json", new)))


def test_the_verifier_is_one_file_that_needs_neither_lantern_nor_django(api, files, tmp_path):
    append_sealed(5)
    head, keys = api.get("/audit/tree-head").json(), api.get("/audit/keys").json()
    alone = tmp_path / "court"
    alone.mkdir()
    shutil.copy(ROOT / "lantern" / "audit" / "verify_proofs.py", alone)
    result = verifier("head", "--keys", files("keys.json", keys), files("head.json", head),
                      cwd=alone, script="verify_proofs.py")
    assert ok(result), result.stderr
    probe = subprocess.run([sys.executable, "-c", "import sys, verify_proofs; "
                            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'lantern')))"],
                           cwd=alone, capture_output=True, text=True, timeout=60, check=True)
    assert probe.stdout.strip() == "[]"


# Refusals ---------------------------------------------------------------------------------

def error(response, status: int) -> dict:
    assert response.status_code == status, response.content
    return response.json()["error"]


def test_proofs_outside_the_signed_tree_are_refused_with_a_reason(api):
    append_sealed(50)
    size = api.get("/audit/tree-head").json()["tree_size"]
    assert "seq" in error(api.get(f"/audit/proof/inclusion?seq=0&tree_size={size}"), 400)["details"]
    past = error(api.get(f"/audit/proof/inclusion?seq={size + 1}&tree_size={size}"), 400)
    assert f"not in a tree of {size} entries" in past["message"]
    beyond = error(api.get(f"/audit/proof/inclusion?seq=1&tree_size={size + 1}"), 404)
    assert f"the newest covers {size}" in beyond["message"] and "tree_size" in beyond["details"]
    assert "tree_size" in error(api.get("/audit/proof/inclusion?seq=1&tree_size=0"), 400)["details"]
    assert "first" in error(api.get(f"/audit/proof/consistency?first={size}&second=2"), 400)["details"]
    assert "first" in error(api.get("/audit/proof/consistency?first=0&second=2"), 400)["details"]
    assert "second" in error(api.get(f"/audit/proof/consistency?first=1&second={size + 5}"), 404)["details"]
    assert "seq" in error(api.get("/audit/proof/inclusion"), 422)["details"]
    # Without tree_size or second, the newest signed head's.
    assert api.get("/audit/proof/inclusion?seq=7").json()["tree_size"] == size
    assert api.get(f"/audit/proof/consistency?first={size}").json() == {"first": size, "second": size, "proof": []}


def test_proofs_wait_for_a_signed_tree_head(api):
    assert error(api.get("/audit/proof/inclusion?seq=1"), 404)["code"] == "not_found"


def test_the_verifiable_log_is_for_signed_in_users_only():
    for path in ("tree-head", "keys", "proof/inclusion?seq=1", "proof/consistency?first=1"):
        assert Client().get(f"/api/v1/audit/{path}").status_code == 401
