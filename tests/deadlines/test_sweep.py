"""Overdue clocks escalate step by step, by e-mail through a real SMTP server and in the
inbox, exactly once each, however often and however many sweepers run."""

from __future__ import annotations

import datetime as dt
import socket
import threading

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.db import connections
from django.utils import timezone

from lantern.cases.models import Case
from lantern.deadlines.models import Deadline, DeadlineStatus
from lantern.deadlines.sweep import sweep
from lantern.notifications.models import Notification, OutboxMessage
from tests.cases.helpers import police, report
from tests.cases.test_linxia_scenario import Api


class Collector:
    def __init__(self):
        self.messages: list[tuple[list[str], str]] = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's name for the hook
        self.messages.append((list(envelope.rcpt_tos), envelope.content.decode("utf-8", "replace")))
        return "250 OK"


@pytest.fixture
def smtp(settings):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    yield collector
    controller.stop()


def overdue_case(units, days_late: float) -> tuple[dict, Case, Deadline]:
    people = police(units)
    for user in people.values():
        user.email = f"{user.username}@lantern.invalid"
        user.save(update_fields=["email"])
    created = Api(people["intake"]).post("/cases", report()).json()
    case = Case.objects.get(pk=created["id"])
    Api(people["supervisor"]).act(case.pk, "assign", assignees=["c_inv"])
    clock = case.deadlines.get(rule="filing_review_minor")  # the test report's victim is 12
    Deadline.objects.filter(pk=clock.pk).update(due_at=timezone.now() - dt.timedelta(days=days_late))
    return people, case, clock


def recipients(case: Case) -> set[str]:
    return set(Notification.objects.filter(case=case, kind="deadline_overdue")
               .values_list("recipient__username", flat=True))


@pytest.mark.django_db(transaction=True)
def test_an_overdue_clock_reaches_the_team_by_email_and_inbox_without_case_details(units, smtp):
    _people, case, clock = overdue_case(units, days_late=0.1)
    before = len(smtp.messages)  # the registration and the assignment were told already
    call_command("sweep_deadlines")
    assert recipients(case) == {"c_inv"}
    assert Deadline.objects.get(pk=clock.pk).status == DeadlineStatus.OVERDUE
    assert len(smtp.messages) == before + 1
    to, content = smtp.messages[-1]
    assert to == ["c_inv@lantern.invalid"] and case.case_number in content
    assert "测试甲" not in content and "13900000001" not in content  # no victim or suspect data
    assert OutboxMessage.objects.get(notification__kind="deadline_overdue").status == "sent"


@pytest.mark.django_db
def test_escalation_moves_up_to_the_supervisor_then_the_head_and_the_procuratorate(units):
    _people, case, clock = overdue_case(units, days_late=0.1)
    sweep()
    assert recipients(case) == {"c_inv"}
    Deadline.objects.filter(pk=clock.pk).update(due_at=timezone.now() - dt.timedelta(days=2))
    sweep()
    assert recipients(case) == {"c_inv", "c_sup"}
    Deadline.objects.filter(pk=clock.pk).update(due_at=timezone.now() - dt.timedelta(days=4))
    sweep()
    assert recipients(case) == {"c_inv", "c_sup", "c_head", "c_pros"}
    before = Notification.objects.count()
    assert sweep() == 0 and Notification.objects.count() == before  # repeating changes nothing


@pytest.mark.django_db
def test_a_clock_waiting_for_its_next_step_is_not_reopened_by_every_sweep(units, django_assert_max_num_queries):
    """Escalated clocks wait a day for the supervisor's step: in between, the sweep asks the
    database which clocks have a step due and touches none of them (no lock, no entry)."""
    _people, case, clock = overdue_case(units, days_late=0.1)
    assert sweep() == 1
    entries = case.deadlines.get(pk=clock.pk).escalation_level, Notification.objects.count()
    with django_assert_max_num_queries(1):
        assert sweep() == 0
    assert (case.deadlines.get(pk=clock.pk).escalation_level, Notification.objects.count()) == entries
    Deadline.objects.filter(pk=clock.pk).update(due_at=timezone.now() - dt.timedelta(days=1, minutes=1))
    assert sweep() == 1 and recipients(case) == {"c_inv", "c_sup"}


@pytest.mark.django_db
def test_a_clock_met_in_time_never_escalates(units):
    _people, case, _clock = overdue_case(units, days_late=-1)  # due tomorrow
    assert sweep() == 0
    assert not Notification.objects.filter(case=case, kind="deadline_overdue").exists()


@pytest.mark.django_db
def test_the_inbox_shows_the_users_own_notifications_only(client, units):
    from tests.factories import sign_in

    people, case, _clock = overdue_case(units, days_late=2)
    sweep()
    sign_in(client, people["investigator"])
    client.cookies["lantern_language"] = "en"
    page = client.get("/inbox/").content.decode()
    assert case.case_number in page
    client.post("/accounts/sign-out/")
    sign_in(client, people["intake"])
    assert case.case_number not in client.get("/inbox/").content.decode()


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_escalate_each_step_once(units):
    _people, case, _clock = overdue_case(units, days_late=4)
    errors: list[BaseException] = []

    def run():
        try:
            sweep()
        except BaseException as exc:  # reported to the test thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    notes = list(Notification.objects.filter(case=case, kind="deadline_overdue")
                 .values_list("recipient__username", flat=True))
    assert sorted(notes) == sorted(["c_inv", "c_sup", "c_head", "c_pros"])
