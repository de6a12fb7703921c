"""Bad input gets a 4xx in the error shape, naming what is wrong, and stores nothing:
bodies over the limit (413), no credentials (401 with WWW-Authenticate), times without an
offset or out of range, impossible birth dates, broken multipart bodies, wrong methods and
content types, over-long addresses and idempotency keys; and the OpenAPI schema says so."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from lantern.api import api
from lantern.cases.models import Case
from lantern.evidence.models import EvidenceItem
from tests.api.test_api import assert_error
from tests.cases.helpers import police, report
from tests.cases.test_linxia_scenario import Api
from tests.factories import sign_in

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n" + b"x" * 100


@pytest.fixture
def people(units):
    return police(units)


@pytest.fixture
def case(people):
    created = Api(people["intake"]).post("/cases", report())
    assert created.status_code == 201, created.content
    sup = Api(people["supervisor"])
    assert sup.act(created.json()["id"], "begin_review").status_code == 200
    return created.json()


# --- 413 ---------------------------------------------------------------------------------

def test_a_12_mb_case_is_413_in_the_error_shape_and_nothing_is_stored(people):
    intake = Api(people["intake"])
    body = json.dumps(report(narrative="x" * (12 * 1024 * 1024)))
    response = intake.client.post("/api/v1/cases", body, content_type="application/json",
                                  HTTP_ACCEPT_LANGUAGE="en", **intake.headers)
    error = assert_error(response, 413, "request_too_large")
    assert error["details"]["limit_bytes"] == 2621440 and "too large" in error["message"]
    assert Case.objects.count() == 0


def test_413_is_translated(people):
    intake = Api(people["intake"])
    response = intake.client.post("/api/v1/cases", "x" * (3 * 1024 * 1024), content_type="application/json",
                                  HTTP_ACCEPT_LANGUAGE="zh-hans", **intake.headers)
    assert "请求过大" in assert_error(response, 413, "request_too_large")["message"]


def test_a_page_gets_a_readable_413(people):
    client = Client()
    sign_in(client, people["intake"])
    response = client.post("/intake/", "a=" + "x" * (3 * 1024 * 1024),
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert "text/html" in response["Content-Type"] and "请求过大" in response.content.decode()
    assert Case.objects.count() == 0


def test_a_chunked_body_without_a_length_is_counted(people):
    """Django reads a body by its Content-Length; a chunked one (gunicorn passes it on
    without) is counted as it arrives: over the limit 413, under it read as usual."""
    intake = Api(people["intake"])
    big = io.BytesIO(b"x" * (3 * 1024 * 1024))
    response = intake.client.generic("POST", "/api/v1/cases", b"", CONTENT_TYPE="application/json",
                                     CONTENT_LENGTH="", HTTP_TRANSFER_ENCODING="chunked",
                                     **{"wsgi.input": big}, **intake.headers)
    assert_error(response, 413, "request_too_large")
    small = io.BytesIO(json.dumps(report()).encode())
    response = intake.client.generic("POST", "/api/v1/cases", b"", CONTENT_TYPE="application/json",
                                     CONTENT_LENGTH="", HTTP_TRANSFER_ENCODING="chunked",
                                     **{"wsgi.input": small}, **intake.headers)
    assert response.status_code == 201, response.content


def test_an_evidence_file_may_be_larger_than_a_json_body(people, case, settings, tmp_path):
    settings.LANTERN_EVIDENCE_DIR = tmp_path
    sup = Api(people["supervisor"])
    big_pdf = PDF + b"y" * (3 * 1024 * 1024)
    response = sup.client.post(f"/api/v1/cases/{case['id']}/evidence", {
        "kind": "document", "description": "合成物证", "collected_at": "2026-01-01T08:00:00+08:00",
        "file": SimpleUploadedFile("a.pdf", big_pdf)}, **sup.headers)
    assert response.status_code == 201, response.content


# --- 401 ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("method", "path"), [("post", "/api/v1/cases"), ("get", "/api/v1/cases"),
                                              ("post", "/api/v1/cases/1/actions/begin_review"),
                                              ("patch", "/api/v1/cases/1/checklist/1")])
def test_no_credentials_is_401_with_the_bearer_scheme(client, method, path):
    response = getattr(client, method)(path, {}, content_type="application/json")
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_wrong_token_is_401(client):
    response = client.post("/api/v1/cases", {}, content_type="application/json", HTTP_AUTHORIZATION="Bearer nope")
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_signed_in_session_still_needs_csrf_for_writes(people):
    signed_in = Client()
    sign_in(signed_in, people["intake"])
    client = Client(enforce_csrf_checks=True)
    client.cookies = signed_in.cookies
    assert_error(client.post("/api/v1/cases", {}, content_type="application/json"), 403, "permission_denied")


# --- 422 for times, dates and ages ------------------------------------------------------

def test_times_without_an_offset_are_422_naming_the_field(people, case, settings, tmp_path):
    settings.LANTERN_EVIDENCE_DIR = tmp_path
    intake, sup = Api(people["intake"]), Api(people["supervisor"])
    naive = "2026-01-01T08:00:00"
    error = assert_error(intake.post("/cases", report(received_at=naive)), 422, "validation_failed")
    assert list(error["details"]) == ["received_at"]
    evidence = {"kind": "document", "description": "合成物证", "place": "县局", "collected_at": naive}
    error = assert_error(sup.post(f"/cases/{case['id']}/evidence", evidence), 422, "validation_failed")
    assert list(error["details"]) == ["collected_at"]
    error = assert_error(sup.post(f"/cases/{case['id']}/interviews", {
        "at": naive, "interviewer_sex": "female", "place": "询问室", "guardian_present": True}), 422,
        "validation_failed")
    assert list(error["details"]) == ["at"]
    item = sup.post(f"/cases/{case['id']}/evidence", {**evidence, "collected_at": naive + "+08:00"}).json()
    error = assert_error(sup.post(f"/evidence/{item['id']}/custody", {
        "from_holder": "x", "to_holder": "y", "place": "z", "seal_number": "1", "at": naive}), 422,
        "validation_failed")
    assert list(error["details"]) == ["at"]
    suspect = sup.get(f"/cases/{case['id']}/suspects").json()[0]["id"]
    error = assert_error(sup.post(f"/suspects/{suspect}/moves/detain", {"reason": "x", "at": naive}), 422,
                         "validation_failed")
    assert list(error["details"]) == ["at"]


@pytest.mark.parametrize("year", [1, 1899, 2101, 9999])
def test_years_out_of_range_are_422_not_an_overflow(people, year):
    intake = Api(people["intake"])
    for body, field in [(report(received_at=f"{year:04d}-01-01T00:00:00+08:00"), "received_at"),
                        (report(offence_date=f"{year:04d}-01-01"), "offence_date")]:
        error = assert_error(intake.post("/cases", body), 422, "validation_failed")
        assert field in error["details"]
    assert Case.objects.count() == 0


def test_a_victim_born_in_1800_is_422(people):
    body = report(victim={"name": "测试甲", "sex": "female", "date_of_birth": "1800-01-01"})
    error = assert_error(Api(people["intake"]).post("/cases", body), 422, "validation_failed")
    assert list(error["details"]) == ["victim.date_of_birth"]


def test_dates_are_text_not_numbers_and_bodies_are_objects(people):
    intake = Api(people["intake"])
    error = assert_error(intake.post("/cases/duplicates", {"victim_date_of_birth": 0}), 422, "validation_failed")
    assert list(error["details"]) == ["victim_date_of_birth"]
    response = intake.client.post("/api/v1/cases/duplicates", "[null, null]", content_type="application/json",
                                  **intake.headers)
    assert list(assert_error(response, 422, "validation_failed")["details"]) == ["body"]
    error = assert_error(intake.post("/cases", report(suspects=[[None]])), 422, "validation_failed")
    assert list(error["details"]) == ["suspects.0"]
    error = assert_error(intake.post("/cases", {**report(), "merge_into": False}), 422, "validation_failed")
    assert list(error["details"]) == ["merge_into"]


# --- 400 for broken multipart, 405, 414, 415 ---------------------------------------------

@pytest.mark.parametrize("content_type", ["multipart/form-data", "multipart/form-data; boundary=" + "b" * 300])
def test_a_multipart_body_without_a_valid_boundary_is_400(people, case, content_type):
    sup = Api(people["supervisor"])
    response = sup.client.post(f"/api/v1/cases/{case['id']}/evidence", b"--x\r\n\r\n", content_type=content_type,
                               **sup.headers)
    assert "body" in assert_error(response, 400, "bad_input")["details"]
    page = Client().post(f"/evidence/cases/{case['id']}/", b"--x\r\n\r\n", content_type=content_type)
    assert page.status_code == 400 and "text/html" in page["Content-Type"]
    assert EvidenceItem.objects.count() == 0


def test_a_wrong_method_is_405_in_the_error_shape(people):
    intake = Api(people["intake"])
    response = intake.client.delete("/api/v1/cases", **intake.headers)
    error = assert_error(response, 405, "method_not_allowed")
    assert set(error["details"]["allowed"]) == {"GET", "POST"} and "GET" in response["Allow"]


def test_an_over_long_address_is_414_in_the_error_shape(people):
    intake = Api(people["intake"])
    response = intake.client.get("/api/v1/cases?state=" + "x" * 5000, **intake.headers)
    assert assert_error(response, 414, "uri_too_long")["details"] == {"limit_characters": 4094}


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"])
def test_json_under_another_content_type_is_415(people, content_type):
    intake = Api(people["intake"])
    response = intake.client.post("/api/v1/cases", json.dumps(report()), content_type=content_type,
                                  **intake.headers)
    assert_error(response, 415, "unsupported_media_type")
    assert Case.objects.count() == 0


# --- Idempotency keys --------------------------------------------------------------------

def test_idempotency_keys_are_never_cut_so_two_keys_cannot_collide(people):
    intake = Api(people["intake"])
    prefix, body = "k" * 200, report()
    first = intake.post("/cases", body, HTTP_IDEMPOTENCY_KEY=prefix)
    assert first.status_code == 201
    again = intake.post("/cases", body, HTTP_IDEMPOTENCY_KEY=prefix)
    assert again.json()["id"] == first.json()["id"]
    longer = intake.post("/cases", report(narrative="另一份报案"), HTTP_IDEMPOTENCY_KEY=prefix + "-second")
    assert list(assert_error(longer, 422, "validation_failed")["details"]) == ["Idempotency-Key"]
    assert Case.objects.count() == 1


# --- Evidence as API.md fixes it ---------------------------------------------------------

def test_evidence_by_multipart_with_its_file_then_the_file_streams(people, case, settings, tmp_path):
    settings.LANTERN_EVIDENCE_DIR = tmp_path
    sup = Api(people["supervisor"])
    checklist = sup.get(f"/cases/{case['id']}").json()["checklist"][0]["id"]
    response = sup.client.post(f"/api/v1/cases/{case['id']}/evidence", {
        "kind": "document", "description": "合成物证", "collected_at": "2026-01-01T08:00:00+08:00",
        "checklist_item": checklist, "file": SimpleUploadedFile("a.pdf", PDF)}, **sup.headers)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["sha256"] == hashlib.sha256(PDF).hexdigest()
    item = EvidenceItem.objects.get(pk=body["id"])
    assert item.checklist_item_id == checklist and item.custody.get().place == people["supervisor"].unit.name
    download = sup.client.get(f"/api/v1/evidence/{body['id']}/file", **sup.headers)
    assert download.status_code == 200 and download.content == PDF
    assert download["Content-Type"] == "application/pdf"


def test_evidence_by_multipart_without_a_file_and_by_json(people, case):
    sup = Api(people["supervisor"])
    fields = {"kind": "document", "description": "合成物证", "collected_at": "2026-01-01T08:00:00+08:00"}
    by_form = sup.client.post(f"/api/v1/cases/{case['id']}/evidence", fields, **sup.headers)
    by_json = sup.post(f"/cases/{case['id']}/evidence", {**fields, "place": "县局"})
    assert by_form.status_code == by_json.status_code == 201
    assert by_form.json()["sha256"] is None
    assert_error(sup.client.get(f"/api/v1/evidence/{by_json.json()['id']}/file", **sup.headers), 404, "not_found")


def test_a_refused_file_stores_no_item(people, case, settings, tmp_path):
    settings.LANTERN_EVIDENCE_DIR = tmp_path
    sup = Api(people["supervisor"])
    response = sup.client.post(f"/api/v1/cases/{case['id']}/evidence", {
        "kind": "document", "description": "合成物证", "collected_at": "2026-01-01T08:00:00+08:00",
        "file": SimpleUploadedFile("a.exe", b"MZ" + b"\0" * 100)}, **sup.headers)
    assert list(assert_error(response, 422, "validation_failed")["details"]) == ["file"]
    assert EvidenceItem.objects.count() == 0


def test_a_prosecutor_may_not_download_an_item_s_file(people, case, settings, tmp_path):
    settings.LANTERN_EVIDENCE_DIR = tmp_path
    sup = Api(people["supervisor"])
    item = sup.client.post(f"/api/v1/cases/{case['id']}/evidence", {
        "kind": "document", "description": "合成物证", "collected_at": "2026-01-01T08:00:00+08:00",
        "file": SimpleUploadedFile("a.pdf", PDF)}, **sup.headers).json()
    response = Api(people["prosecutor"]).get(f"/evidence/{item['id']}/file")
    assert response.status_code in (403, 404)


# --- The schema documents the errors -----------------------------------------------------

def test_the_openapi_schema_documents_the_error_responses():
    schema = api.get_openapi_schema()
    assert "Error" in schema["components"]["schemas"]
    create = schema["paths"]["/api/v1/cases"]["post"]["responses"]
    assert {400, 401, 403, 404, 409, 413, 415, 422, 429} <= set(create)
    assert create[413]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    listing = schema["paths"]["/api/v1/cases"]["get"]["responses"]
    assert {401, 403, 404, 422} <= set(listing) and 413 not in listing
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert 401 in operation["responses"], (method, path)
    body = schema["paths"]["/api/v1/cases/{case_id}/evidence"]["post"]["requestBody"]["content"]
    assert {"application/json", "multipart/form-data"} <= set(body)
    assert body["multipart/form-data"]["schema"]["properties"]["file"]["format"] == "binary"


def test_a_time_with_an_offset_is_stored_as_that_instant(people):
    created = Api(people["intake"]).post("/cases", report(received_at="2026-03-01T09:30:00+08:00",
                                                               offence_date="2026-02-27"))
    assert created.status_code == 201, created.content
    assert Case.objects.get().received_at == dt.datetime(2026, 3, 1, 1, 30, tzinfo=dt.UTC)


# --- NUL characters (PostgreSQL cannot store them: a 500 there, found by the fuzzer) -----

def test_a_nul_character_in_a_body_is_422_naming_the_field_on_every_database(people):
    intake = Api(people["intake"])
    body = report(victim={"name": "测\u0000试", "sex": "female", "estimated_age": 12})
    response = intake.client.post("/api/v1/cases", json.dumps(body), content_type="application/json",
                                  HTTP_ACCEPT_LANGUAGE="en", **intake.headers)
    error = assert_error(response, 422, "validation_failed")
    assert list(error["details"]) == ["victim.name"] and "NUL" in error["details"]["victim.name"][0]
    assert Case.objects.count() == 0
    signed_out = Client().post("/api/v1/auth/token", json.dumps({"username": "a\u0000", "password": "x", "otp": "1"}),
                               content_type="application/json")
    assert signed_out.status_code == 422


def test_a_nul_character_in_the_address_is_400(people):
    sup = Api(people["supervisor"])
    assert_error(sup.client.get("/api/v1/search?q=139%00", **sup.headers), 400, "bad_input")
