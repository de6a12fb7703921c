"""Evidence: an unbroken chain of custody that cannot be edited, files stored encrypted and
checked against their digest on every download, clear refusals of wrong files."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from lantern.audit.models import AuditEntry
from lantern.evidence import storage
from lantern.evidence.models import CustodyEvent, EvidenceFile
from lantern.notifications.models import Notification
from tests.cases.helpers import police, report
from tests.cases.test_linxia_scenario import Api

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n" + b"x" * 2000


@pytest.fixture(autouse=True)
def evidence_dir(tmp_path, settings):
    settings.LANTERN_EVIDENCE_DIR = tmp_path / "evidence"
    return settings.LANTERN_EVIDENCE_DIR


@pytest.fixture
def world(units):
    people = police(units)
    case = Api(people["intake"]).post("/cases", report()).json()
    sup = Api(people["supervisor"])
    assert sup.act(case["id"], "begin_review").status_code == 200
    return {"people": people, "case": case, "sup": sup}


def register(api, case_id, **overrides):
    body = {"kind": "biological_sample", "description": "被害人衣物上的可疑斑迹", "place": "清水县人民医院",
            "collected_at": (timezone.now() - dt.timedelta(hours=2)).isoformat(), "seal_number": "QS-0001"}
    body.update(overrides)
    return api.post(f"/cases/{case_id}/evidence", body)


def upload(api, item_id, name, content):
    return api.client.post(f"/api/v1/evidence/{item_id}/files", {"file": SimpleUploadedFile(name, content)},
                           **api.headers)


def test_custody_is_an_unbroken_chain_from_the_collector(world):
    sup, cid = world["sup"], world["case"]["id"]
    item = register(sup, cid).json()
    assert item["number"] == "E-1"
    wrong = sup.post(f"/evidence/{item['id']}/custody", {"from_holder": "某人", "to_holder": "省厅物证鉴定中心",
                                                        "place": "县局物证室", "seal_number": "QS-0001"})
    assert wrong.status_code == 422 and "from_holder" in wrong.json()["error"]["details"]
    holder = sup.get(f"/cases/{cid}/evidence").json()[0]["holder"]
    for to in ("县局物证室", "省厅物证鉴定中心"):
        step = sup.post(f"/evidence/{item['id']}/custody", {"from_holder": holder, "to_holder": to,
                                                           "place": "县局", "seal_number": "QS-0001"})
        assert step.status_code == 201, step.content
        holder = to
    chain = sup.get(f"/cases/{cid}/evidence").json()[0]["custody"]
    steps = [(c["from"], c["to"]) for c in chain][1:]
    assert steps == [(chain[0]["to"], "县局物证室"), ("县局物证室", "省厅物证鉴定中心")]
    assert chain[0]["from"] == ""  # collected


def test_the_custody_history_cannot_be_edited_or_deleted_through_the_app(world):
    item = register(world["sup"], world["case"]["id"]).json()
    event = CustodyEvent.objects.get(item_id=item["id"])
    event.place = "改写的地点"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    assert CustodyEvent.objects.get(pk=event.pk).place == "清水县人民医院"


@pytest.mark.postgresql
def test_on_postgresql_the_database_refuses_to_rewrite_custody(world):
    from django.db import DatabaseError, transaction

    register(world["sup"], world["case"]["id"])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE evidence_custodyevent SET place = 'x'")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM evidence_custodyevent")


def test_a_file_is_stored_encrypted_and_comes_back_checked(world):
    sup = world["sup"]
    item = register(sup, world["case"]["id"]).json()
    done = upload(sup, item["id"], "测试甲_鉴定意见.pdf", PDF)
    assert done.status_code == 201, done.content
    assert done.json()["sha256"] == hashlib.sha256(PDF).hexdigest()
    stored = storage.path_of(done.json()["id"]).read_bytes()
    assert b"%PDF" not in stored and b"Catalog" not in stored
    back = sup.client.get(f"/api/v1/evidence/files/{done.json()['id']}", **sup.headers)
    assert back.status_code == 200 and back.content == PDF and back["Content-Type"] == "application/pdf"
    assert "测试甲" not in back["Content-Disposition"]
    assert AuditEntry.objects.filter(action="evidence.file_read").count() == 1


def test_a_tampered_stored_file_is_detected_on_download_and_reported(world):
    sup = world["sup"]
    item = register(sup, world["case"]["id"]).json()
    file_id = upload(sup, item["id"], "report.pdf", PDF).json()["id"]
    path = storage.path_of(file_id)
    data = bytearray(path.read_bytes())
    data[40] ^= 0x01
    path.write_bytes(bytes(data))
    refused = sup.client.get(f"/api/v1/evidence/files/{file_id}", **sup.headers)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "evidence_file_tampered"
    assert AuditEntry.objects.filter(action="evidence.file_tampered").count() == 1
    assert Notification.objects.filter(kind="evidence_tampered", recipient=world["people"]["supervisor"]).exists()


def test_wrong_type_and_oversized_uploads_are_refused_and_nothing_is_stored(world, settings, evidence_dir):
    sup = world["sup"]
    item = register(sup, world["case"]["id"]).json()
    fake = upload(sup, item["id"], "鉴定意见.pdf", b"MZ\x90\x00 this is a program, not a PDF" * 10)
    assert fake.status_code == 422 and "file" in fake.json()["error"]["details"]
    settings.LANTERN_EVIDENCE_MAX_MB = 1
    big = upload(sup, item["id"], "big.pdf", PDF + b"x" * (1024 * 1024))
    assert big.status_code == 422 and "1 MB" in big.json()["error"]["details"]["file"][0]
    assert not EvidenceFile.objects.exists()
    assert not evidence_dir.exists() or not any(p.is_file() for p in evidence_dir.rglob("*"))


def test_files_only_for_those_who_may_see_identities_and_nothing_outside_the_case(world):
    sup = world["sup"]
    item = register(sup, world["case"]["id"]).json()
    file_id = upload(sup, item["id"], "photo.pdf", PDF).json()["id"]
    prosecutor = Api(world["people"]["prosecutor"])  # minors' office: sees the case, not the identities
    listing = prosecutor.get(f"/cases/{world['case']['id']}/evidence").json()
    assert listing[0]["description"] is None and listing[0]["files"][0]["name"] is None
    assert prosecutor.client.get(f"/api/v1/evidence/files/{file_id}", **prosecutor.headers).status_code == 403
    outsider = Api(world["people"]["investigator2"])
    assert outsider.get(f"/cases/{world['case']['id']}/evidence").status_code == 404
    assert outsider.client.get(f"/api/v1/evidence/files/{file_id}", **outsider.headers).status_code == 404
    assert register(outsider, world["case"]["id"]).status_code == 404


def test_the_case_page_registers_hands_over_attaches_and_downloads(world):
    from django.test import Client

    from tests.factories import sign_in

    client = Client()
    sign_in(client, world["people"]["supervisor"])
    cid = world["case"]["id"]
    done = client.post(f"/evidence/cases/{cid}/", {"kind": "photo", "description": "伤情照片", "place": "县医院",
                                                   "collected_at": "", "seal_number": ""})
    assert done.status_code == 302 and done["Location"] == f"/cases/{cid}/#evidence"
    page = client.get(f"/cases/{cid}/").content.decode()
    assert "E-1" in page and "伤情照片" in page
    item = world["sup"].get(f"/cases/{cid}/evidence").json()[0]
    client.post(f"/evidence/{item['id']}/custody/", {"from_holder": item["holder"], "to_holder": "县局物证室",
                                                     "place": "县局", "seal_number": "QS-9"})
    client.post(f"/evidence/{item['id']}/files/", {"file": SimpleUploadedFile("照片.pdf", PDF)})
    item = world["sup"].get(f"/cases/{cid}/evidence").json()[0]
    assert item["holder"] == "县局物证室" and len(item["files"]) == 1
    assert client.get(f"/evidence/files/{item['files'][0]['id']}/").content == PDF
    refused = client.post(f"/evidence/{item['id']}/files/", {"file": SimpleUploadedFile("x.pdf", b"not a pdf")},
                          follow=True, HTTP_ACCEPT_LANGUAGE="en")
    shown = [str(m) for m in refused.context["messages"]]
    assert any("not accepted" in m or "不接受" in m for m in shown), shown
    assert len(world["sup"].get(f"/cases/{cid}/evidence").json()[0]["files"]) == 1  # nothing stored


def test_files_still_open_after_a_key_rotation(units, tmp_path, settings):
    from django.core.management import call_command

    from lantern.core.vault.keys import LocalKeyFile, provider

    settings.LANTERN_KEY_FILE = tmp_path / "keys.json"  # rotate a key file of this test's own
    LocalKeyFile.RECHECK = 0.0
    try:
        provider().create()
        people = police(units)
        case = Api(people["intake"]).post("/cases", report()).json()
        sup = Api(people["supervisor"])
        item = register(sup, case["id"]).json()
        file_id = upload(sup, item["id"], "a.pdf", PDF).json()["id"]
        call_command("rotate_keys", new_key="k2", settle_seconds=0, retire=True)
        back = sup.client.get(f"/api/v1/evidence/files/{file_id}", **sup.headers)
        assert back.status_code == 200 and back.content == PDF
    finally:
        LocalKeyFile.RECHECK = 5.0
