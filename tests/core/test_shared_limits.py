"""Rate limits and lockouts hold across the processes of one installation: gunicorn with
three workers, each request on a new connection, shares one count per user and one
lockout per account (core.ratelimit and accounts.signin keep them in the database)."""

from __future__ import annotations

import http.client
import json
import subprocess
import time

import pytest

from lantern.access.roles import Role
from lantern.accounts.signin import issue_api_token
from tests.factories import PASSWORD, make_user, next_code
from tests.processes import BIN, ROOT, child_env, free_port, rows, shared_database, wait_for_port

pytestmark = pytest.mark.django_db(transaction=True)
LIMIT = 12


@pytest.fixture
def three_workers(units, investigator, tmp_path):
    # One searcher per try: a try whose requests straddle two minutes is repeated afresh.
    tokens = [issue_api_token(user=make_user(units, "QS-XZDD", Role.INVESTIGATOR))[0] for _ in range(3)]
    shared = shared_database(tmp_path)
    port = free_port()
    env = child_env(shared, LANTERN_SEARCHES_PER_MINUTE=str(LIMIT))
    server = subprocess.Popen([str(BIN / "gunicorn"), "lantern.wsgi", "-b", f"127.0.0.1:{port}", "-w", "3",
                               "--timeout", "60"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for_port(server, port)
        yield port, tokens, shared
    finally:
        server.terminate()
        server.wait(timeout=20)


def _request(port: int, method: str, path: str, *, token: str = "", body: dict | None = None) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)  # a new connection each time
    headers = {"Accept-Language": "en", "Content-Type": "application/json", "Connection": "close"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    response = conn.getresponse()
    result = response.status, response.read().decode()
    conn.close()
    return result


def _not_near_the_end_of_a_minute() -> None:
    while time.time() % 60 > 40:
        time.sleep(1)


def test_the_search_limit_and_the_lockout_hold_across_the_workers(three_workers, investigator):
    port, tokens, shared = three_workers
    for token in tokens:
        _not_near_the_end_of_a_minute()
        started = time.time() // 60
        statuses = [_request(port, "GET", "/api/v1/search?q=HX", token=token)[0] for _ in range(LIMIT + 8)]
        if time.time() // 60 == started:  # all in one fixed window (a loaded machine can be slow)
            break
    assert statuses == [200] * LIMIT + [429] * 8  # one count, whichever worker answered

    for _ in range(5):
        status, _ = _request(port, "POST", "/api/v1/auth/token",
                             body={"username": "inv", "password": "wrong-password", "otp": "000000"})
        assert status in (401, 403)
    status, text = _request(port, "POST", "/api/v1/auth/token",
                            body={"username": "inv", "password": PASSWORD, "otp": next_code(investigator)})
    assert status in (401, 403, 423) and "locked" in text.lower()
    assert rows(shared, "SELECT locked_at IS NOT NULL FROM accounts_user WHERE username = 'inv'") == [(1,)]
