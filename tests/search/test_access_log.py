"""The server `make run` serves (gunicorn with ./gunicorn.conf.py and --access-logfile)
writes each request's path to its access log, never its query string or Referer: a search
address carries what was typed into the box (/search/?q=13912340000)."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.api.test_gunicorn import ROOT, _free_port

TYPED = "13912340000"


def _wait_for(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            assert process.poll() is None, process.stderr.read().decode()[-2000:]
            time.sleep(0.2)
    raise AssertionError("gunicorn did not start within 30 s")


def test_the_access_log_names_the_search_page_without_what_was_typed(tmp_path):
    port, log = _free_port(), tmp_path / "access.log"
    env = {**os.environ, "LANTERN_VAR_DIR": str(tmp_path / "var"), "LANTERN_SECRET_KEY": "x" * 50,
           "LANTERN_SECURE_COOKIES": "0"}
    env.pop("DATABASE_URL", None)
    process = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "lantern.wsgi", "-b",
                                f"127.0.0.1:{port}", "-w", "1", "--access-logfile", str(log)],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_for(port, process)
        for path in (f"/search/?q={TYPED}", f"/api/v1/search?q={TYPED}"):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", path, headers={"Referer": f"http://127.0.0.1:{port}/search/?q={TYPED}"})
            assert connection.getresponse().status in (302, 401)  # signed out: still a logged request
            connection.close()
        deadline = time.monotonic() + 10
        while log.read_text().count("\n") < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        process.terminate()
        process.wait(timeout=10)
    written = log.read_text()
    assert '"GET /search/ HTTP/1.1" 302' in written and '"GET /api/v1/search HTTP/1.1" 401' in written
    assert TYPED not in written and "q=" not in written
