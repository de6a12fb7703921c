"""The second factor follows RFC 6238, so any authenticator app works with it."""

from __future__ import annotations

import datetime as dt

import pyotp
import pytest
from django.test import Client

from lantern.accounts import demo, totp

RFC_KEY = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # base32 of "12345678901234567890", RFC 6238 appendix B


@pytest.mark.parametrize(("unix_time", "expected"), [(59, "287082"), (1111111109, "081804"),
                                                    (1234567890, "005924"), (2000000000, "279037")])
def test_codes_match_the_rfc_6238_test_vectors(unix_time, expected):
    at = dt.datetime.fromtimestamp(unix_time, dt.UTC)
    assert totp.code_for(RFC_KEY, at) == expected


def test_codes_agree_with_an_independent_implementation():
    secret = totp.new_secret()
    now = dt.datetime.now(dt.UTC)
    assert totp.code_for(secret, now) == pyotp.TOTP(secret).at(now)
    assert len(secret) == 32  # 160 bits


def test_a_code_one_step_old_or_ahead_is_accepted_two_steps_is_not():
    secret = totp.new_secret()
    now = dt.datetime.now(dt.UTC)
    step = totp.current_step(now)
    for drift in (-1, 0, 1):
        assert totp.matching_step(secret, totp.code_at_step(secret, step + drift), now) == step + drift
    assert totp.matching_step(secret, totp.code_at_step(secret, step - 2), now) is None


def test_the_provisioning_uri_carries_the_issuer_and_parameters():
    uri = totp.provisioning_uri("ABCDEFGHIJKLMNOP", "investigator")
    assert uri.startswith("otpauth://totp/Lantern:investigator?secret=ABCDEFGHIJKLMNOP")
    assert "issuer=Lantern" in uri and "digits=6" in uri and "period=30" in uri


@pytest.mark.django_db
def test_the_demo_accounts_sign_in_with_the_documented_80_bit_secret():
    demo.load()
    client = Client()
    response = client.post("/accounts/sign-in/", {"username": "supervisor", "password": demo.DEMO_PASSWORD})
    assert response["Location"] == "/accounts/sign-in/verify/"
    code = totp.code_for(demo.DEMO_TOTP_SECRET, dt.datetime.now(dt.UTC))
    assert client.post("/accounts/sign-in/verify/", {"code": code})["Location"] == "/"
    assert "大队长（演示）" in client.get("/").content.decode()
