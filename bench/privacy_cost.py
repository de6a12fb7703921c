"""The price of privacy (issue 4): a case page with its encrypted fields decrypted and
rendered, against the same page with encryption off, in the same run; and a blind-index
lookup among 1,000,000 identifiers. Target: encryption costs at most 1.3x.

Cases are registered through intake (synthetic people), then given checklist notes, so
a page decrypts the narrative, the victim's, complainant's and suspects' identities and
the notes: the count of decrypted values per page is printed, not assumed.

    make bench      or    DATABASE_URL=... python bench/privacy_cost.py --cases 50 --identifiers 1000000

The unencrypted cases stay in the (throwaway) benchmark database as plaintext, which the
application refuses to read outside this benchmark: run it last, as `make bench` does.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.settings")
os.environ.setdefault("LANTERN_TESTING", "1")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from lantern.accounts import demo  # noqa: E402
from lantern.accounts.models import User  # noqa: E402
from lantern.cases.models import Case, ChecklistItem  # noqa: E402
from lantern.core.vault import crypto  # noqa: E402
from lantern.core.vault.blind import IdKind  # noqa: E402
from lantern.core.vault.keys import provider  # noqa: E402
from lantern.intake.schemas import ComplainantIn, ReportIn, SuspectIn, VictimIn  # noqa: E402
from lantern.intake.services import register_report  # noqa: E402
from lantern.people.identifiers import cases_sharing  # noqa: E402

TARGET = 1.3


def synthetic(n: int) -> ReportIn:
    return ReportIn(received_at=timezone.now(), channel="walk_in", offence_date=timezone.localdate(),
                    narrative=f"（基准测试合成数据{n}）" + "案情" * 200,
                    victim=VictimIn(name=f"基准甲{n}", sex="female", id_number=f"99012120130101{n:04d}",
                                    date_of_birth=timezone.localdate().replace(year=2013)),
                    complainant=ComplainantIn(name=f"基准乙{n}", relation="母亲", phone=f"138{n:08d}"),
                    suspects=[SuspectIn(name=f"基准丙{n}{k}", phone=f"139{n:06d}{k:02d}",
                                        accounts=[{"platform": "某App", "handle": f"h{n}_{k}"}],
                                        id_number=f"99012119900101{k}{n:03d}")
                              for k in range(3)])


def make_cases(count: int) -> list[int]:
    officer = User.objects.get(username="intake")
    ids = []
    for n in range(count):
        case = register_report(actor=officer, report=synthetic(n)).case
        ChecklistItem.objects.filter(case=case).update(note="已按要求完成，详见卷宗")
        ids.append(case.pk)
    return ids


class Counting:
    """Counts decryptions while rendering (to state how many encrypted fields a page has)."""

    def __init__(self) -> None:
        self.count, self.original = 0, crypto.decrypt

    def __enter__(self) -> Counting:
        def counted(token: str, *, context: str) -> str:
            self.count += 1
            return self.original(token, context=context)

        crypto.decrypt = counted
        return self

    def __exit__(self, *exc: object) -> None:
        crypto.decrypt = self.original


def page_times(client: Client, ids: list[int], rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        for pk in ids:
            started = time.perf_counter()
            response = client.get(f"/cases/{pk}/")
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200 and b'data-testid="identities"' in response.content
    return times


def identifiers(total: int) -> float:
    """Load `total` synthetic phone digests (COPY on PostgreSQL) beside whatever the index
    holds already, then time exact lookups of them."""
    case = Case.objects.order_by("pk").first()
    key = provider().index_key()
    started = time.perf_counter()
    rows = ((case.pk, "suspect", IdKind.PHONE, hmac.new(key, f"phone|151{n:08d}".encode(), hashlib.sha256).hexdigest())
            for n in range(total))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy("COPY people_identifier (case_id, role, kind, digest) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute("ANALYZE people_identifier")
        else:
            cursor.executemany("INSERT INTO people_identifier (case_id, role, kind, digest) VALUES (%s, %s, %s, %s)",
                               list(rows))
        cursor.execute("SELECT count(*) FROM people_identifier")
        held = cursor.fetchone()[0]
    print(f"  {held:,} identifiers in the index ({total:,} loaded in {time.perf_counter() - started:.0f} s)")
    rng, times = random.Random(3), []
    for _ in range(500):
        phone = f"151{rng.randrange(total):08d}"
        begun = time.perf_counter()
        found = cases_sharing([(IdKind.PHONE, phone)])
        times.append((time.perf_counter() - begun) * 1000)
        assert case.pk in found
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--identifiers", type=int, default=1_000_000)
    args = parser.parse_args()
    demo.load()
    client = Client(SERVER_NAME="localhost")
    client.force_login(User.objects.get(username="supervisor"))
    encrypted = make_cases(args.cases)
    with crypto.plaintext_mode():
        plain = make_cases(args.cases)
        client.get(f"/cases/{plain[0]}/")
        without = page_times(client, plain, args.rounds)
    client.get(f"/cases/{encrypted[0]}/")
    with Counting() as counted:
        client.get(f"/cases/{encrypted[0]}/")
    with_enc = page_times(client, encrypted, args.rounds)
    ratio = statistics.median(with_enc) / statistics.median(without)
    print(f"privacy cost on {connection.vendor}: case page of a supervisor (identities shown), "
          f"{counted.count} encrypted values decrypted per page")
    print(f"  encryption off : p50 {statistics.median(without):6.1f} ms")
    print(f"  encryption on  : p50 {statistics.median(with_enc):6.1f} ms")
    verdict = "meets" if ratio <= TARGET else "MISSES"
    print(f"  ratio          : {ratio:6.2f}x ({verdict} the {TARGET}x target)")
    print(f"  blind-index lookup, p50 {identifiers(args.identifiers):.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
