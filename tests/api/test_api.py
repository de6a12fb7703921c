"""The API's fixed points: token sign-in, one error shape for every failure, messages in
the request's language, scoping that answers 404 outside the user's view."""

from __future__ import annotations

import datetime as dt

import pytest

from lantern.accounts.models import User
from tests.factories import PASSWORD, api_token, next_code

pytestmark = pytest.mark.django_db


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_token_with_password_and_code_then_bearer_calls(client, investigator):
    response = client.post("/api/v1/auth/token", {"username": "inv", "password": PASSWORD,
                                                  "otp": next_code(investigator)},
                           content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "expires_at"}
    assert dt.datetime.fromisoformat(body["expires_at"].replace("Z", "+00:00")).utcoffset() is not None
    me = client.get("/api/v1/me", **bearer(body["token"])).json()
    assert me["username"] == "inv" and me["roles"] == ["investigator"]
    assert me["unit"]["code"] == "QS-XZDD"


def test_wrong_password_is_401_with_the_same_message_as_an_unknown_user(client, investigator):
    wrong = client.post("/api/v1/auth/token", {"username": "inv", "password": "nope-nope", "otp": "123456"},
                        content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    unknown = client.post("/api/v1/auth/token", {"username": "ghost", "password": "nope-nope", "otp": "123456"},
                          content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert assert_error(wrong, 401, "invalid_credentials") == assert_error(unknown, 401, "invalid_credentials")
    assert wrong.json()["error"]["message"] == "Wrong username or password."


def test_a_wrong_code_is_refused(client, investigator):
    response = client.post("/api/v1/auth/token", {"username": "inv", "password": PASSWORD, "otp": "000000"},
                           content_type="application/json")
    assert_error(response, 401, "invalid_second_factor")


def test_a_locked_account_gets_no_token(client, investigator):
    for _ in range(5):
        client.post("/api/v1/auth/token", {"username": "inv", "password": "bad-bad-bad", "otp": "1"},
                    content_type="application/json")
    response = client.post("/api/v1/auth/token", {"username": "inv", "password": PASSWORD,
                                                  "otp": next_code(investigator)},
                           content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    error = assert_error(response, 401, "account_locked")
    assert "Ask your administrator to unlock it" in error["message"]


def test_400_for_a_body_that_is_not_json(client):
    response = client.post("/api/v1/auth/token", "{not json", content_type="application/json")
    error = assert_error(response, 400, "bad_input")
    assert "body" in error["details"]


def test_422_names_each_bad_field(client):
    response = client.post("/api/v1/auth/token", {"username": "x" * 500}, content_type="application/json",
                           HTTP_ACCEPT_LANGUAGE="en")
    error = assert_error(response, 422, "validation_failed")
    assert set(error["details"]) == {"username", "password", "otp"}
    assert error["details"]["password"] == ["This field is required."]
    assert error["details"]["username"] == ["Too long: at most 150 characters."]


def test_401_without_credentials_and_with_a_bad_token(client):
    assert_error(client.get("/api/v1/me"), 401, "not_authenticated")
    assert_error(client.get("/api/v1/me", **bearer("forged")), 401, "not_authenticated")


def test_403_when_visible_but_not_permitted(client, investigator):
    token = api_token(client, investigator)
    # The investigator may see their own account but not unlock accounts.
    assert_error(client.post(f"/api/v1/users/{investigator.pk}/unlock", **bearer(token)), 403,
                 "permission_denied")
    assert_error(client.get("/api/v1/audit/entries", **bearer(token)), 403, "permission_denied")


def test_404_for_an_object_outside_the_users_view_and_for_unknown_paths(client, investigator, units):
    token = api_token(client, investigator)
    assert_error(client.get(f"/api/v1/units/{units['QS-JCY'].pk}", **bearer(token)), 404, "not_found")
    assert_error(client.get("/api/v1/units/999999", **bearer(token)), 404, "not_found")
    # Unlocking is refused to non-administrators before any lookup, so ids cannot be probed.
    assert_error(client.post("/api/v1/users/999999/unlock", **bearer(token)), 403, "permission_denied")
    assert_error(client.get("/api/v1/no-such-thing", **bearer(token)), 404, "not_found")


def test_unit_list_is_scoped_to_the_users_branch_of_the_tree(client, investigator):
    token = api_token(client, investigator)
    codes = {u["code"] for u in client.get("/api/v1/units", **bearer(token)).json()}
    assert codes == {"HX-GAT", "AP-GAJ", "QS-GAJ", "QS-XZDD"}


def test_messages_are_chinese_by_default_and_english_on_request(client):
    chinese = client.get("/api/v1/me").json()["error"]["message"]
    english = client.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="en").json()["error"]["message"]
    assert english == "Sign in first: this needs an authenticated user."
    assert chinese != english and any("\u4e00" <= ch <= "\u9fff" for ch in chinese)


def test_an_administrator_unlocks_an_account_through_the_api(client, administrator, investigator):
    User.objects.filter(pk=investigator.pk).update(locked_at="2026-11-01T00:00:00Z")
    token = api_token(client, administrator)
    body = client.post(f"/api/v1/users/{investigator.pk}/unlock", **bearer(token)).json()
    assert body["locked"] is False
    assert not User.objects.get(pk=investigator.pk).is_locked


def test_the_token_endpoint_is_rate_limited_per_source(client, units):
    statuses = [client.post("/api/v1/auth/token", {"username": f"u{i}", "password": "x" * 8, "otp": "1"},
                            content_type="application/json").status_code for i in range(31)]
    assert statuses[:30] == [401] * 30
    assert_error(client.post("/api/v1/auth/token", {"username": "u", "password": "x" * 8, "otp": "1"},
                             content_type="application/json"), 429, "rate_limited")


def test_session_users_need_csrf_for_writes(client, administrator, investigator):
    from tests.factories import sign_in

    sign_in(client, administrator)
    csrf_client = type(client)(enforce_csrf_checks=True)
    csrf_client.cookies = client.cookies
    response = csrf_client.post(f"/api/v1/users/{investigator.pk}/unlock")
    assert response.status_code in {401, 403}
    assert "error" in response.json()


def test_openapi_schema_and_docs_use_local_assets(client):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/auth/token" in paths and "/api/v1/me" in paths
    docs = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/" in docs
    assert "cdn" not in docs.lower() and "https://" not in docs
