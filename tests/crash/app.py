"""The application as gunicorn serves it in the crash test (``tests.crash.app:application``
with ``--preload``), warmed in gunicorn's master before the workers are forked: the test
kills a hundred workers, and a worker forked cold spends a second on its first requests
(the URLconf, the catalogues, the ORM's caches), longer than the time between two kills.
The warming registers a report (CRASH_WARM_TOKEN is the intake officer's) and rolls it
back; then the master closes its connections, so no worker inherits one."""

from __future__ import annotations

import json
import os

from django.db import connections, transaction
from django.test import Client
from faker import Faker

from lantern.wsgi import application
from tests.crash.bodies import report


def _warm() -> None:
    client = Client(HTTP_HOST="127.0.0.1")
    with transaction.atomic():
        answer = client.post("/api/v1/cases", json.dumps(report(Faker("zh_CN"))), content_type="application/json",
                             HTTP_AUTHORIZATION=f"Bearer {os.environ['CRASH_WARM_TOKEN']}")
        assert answer.status_code == 201, answer.content
        transaction.set_rollback(True)
    connections.close_all()


_warm()

__all__ = ["application"]
