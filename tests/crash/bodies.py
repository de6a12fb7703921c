"""What the officers send in the crash test: synthetic reports (Faker zh_CN) and evidence
forms with a file."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from typing import Any

from faker import Faker


def report(fake: Faker) -> dict[str, Any]:
    now = dt.datetime.now(dt.UTC)
    return {"received_at": (now - dt.timedelta(hours=1)).isoformat(), "channel": "walk_in",
            "offence_date": (now.date() - dt.timedelta(days=3)).isoformat(),
            "narrative": f"合成案情（崩溃测试）：{fake.sentence()}",
            "victim": {"name": fake.name(), "sex": "female", "estimated_age": fake.random_int(8, 30)},
            "complainant": {"name": fake.name(), "relation": "母亲", "phone": fake.phone_number()},
            "suspects": [{"name": fake.name(), "phone": fake.phone_number()}
                         for _ in range(fake.random_int(1, 3))],
            "indicators": []}


def evidence_fields() -> dict[str, str]:
    collected = dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
    return {"kind": "document", "description": "合成物证（崩溃测试）", "collected_at": collected.isoformat(),
            "place": "清水县公安局", "seal_number": f"QS-{secrets.randbelow(10**6):06d}"}


def multipart(fields: dict[str, str], content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="scan.pdf"\r\n'
                 "Content-Type: application/pdf\r\n\r\n".encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
