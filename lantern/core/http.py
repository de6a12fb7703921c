"""Small facts about a request that middleware, error pages and views all need."""

from django.http import HttpRequest


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def is_json(content_type: str) -> bool:
    """application/json, or a JSON-based type such as application/merge-patch+json."""
    return content_type == "application/json" or (content_type.startswith("application/")
                                                   and content_type.endswith("+json"))
