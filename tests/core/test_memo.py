"""core.memo: a read-only request (GET, HEAD) works each answer out once; a request that
changes things, a job or a test calling a selector works it out every time; and nothing
remembered in one request is seen by the next."""

from __future__ import annotations

from django.http import HttpResponse
from django.test import RequestFactory

from lantern.core import memo
from lantern.core.middleware import RequestContextMiddleware


def _asker(calls: list[str]):
    def work_out() -> int:
        calls.append("asked")
        return len(calls)
    return work_out


def test_outside_a_request_every_question_is_worked_out_again():
    calls: list[str] = []
    assert [memo.remembered("q", _asker(calls)) for _ in range(3)] == [1, 2, 3]


def test_a_read_only_request_works_each_question_out_once_per_key():
    calls: list[str] = []
    with memo.read_only_request(True):
        first = [memo.remembered(("q", 1), _asker(calls)) for _ in range(3)]
        other = memo.remembered(("q", 2), _asker(calls))
    assert first == [1, 1, 1] and other == 2


def test_a_request_that_changes_things_remembers_nothing():
    calls: list[str] = []
    with memo.read_only_request(False):
        assert [memo.remembered("q", _asker(calls)) for _ in range(2)] == [1, 2]


def _through_the_middleware(method: str, calls: list[str]) -> list[int]:
    seen: list[int] = []

    def view(request):
        seen.extend(memo.remembered("q", _asker(calls)) for _ in range(2))
        return HttpResponse("ok")

    RequestContextMiddleware(view)(getattr(RequestFactory(), method)("/"))
    return seen


def test_the_middleware_remembers_within_a_get_and_forgets_after_it():
    calls: list[str] = []
    assert _through_the_middleware("get", calls) == [1, 1]
    assert _through_the_middleware("head", calls) == [2, 2]  # a new request asks again
    assert _through_the_middleware("post", calls) == [3, 4]
    assert memo.remembered("q", _asker(calls)) == 5  # nothing outlives the request
