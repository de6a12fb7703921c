"""Small facts about a request that middleware, error pages and views all need."""

from django.http import HttpRequest


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")
