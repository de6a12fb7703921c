"""Small facts about a request that middleware, error pages and views all need."""

from django.http import HttpRequest
from django.utils.translation import gettext as _


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def is_json(content_type: str) -> bool:
    """application/json, or a JSON-based type such as application/merge-patch+json."""
    return content_type == "application/json" or (content_type.startswith("application/")
                                                   and content_type.endswith("+json"))


def nul_fields(value: object, path: str = "body") -> list[str]:
    """Where a parsed JSON body holds a NUL character (in a key or a text): PostgreSQL
    cannot store one, so it is refused up front, naming the field, on every database."""
    if isinstance(value, str):
        return [path] if "\x00" in value else []
    if isinstance(value, dict):
        found = [path] if any("\x00" in str(k) for k in value) else []
        for k, v in value.items():
            found += nul_fields(v, str(k) if path == "body" else f"{path}.{k}")
        return found
    if isinstance(value, list):
        return [f for i, v in enumerate(value) for f in nul_fields(v, f"{path}[{i}]")]
    return []


def refuse_nul(body: object) -> None:
    """422 naming each field of a parsed body that holds a NUL character."""
    from lantern.core.errors import ValidationFailed

    if fields := nul_fields(body):
        raise ValidationFailed(details={f: [_("Remove the NUL character (\\u0000): it cannot be stored.")]
                                        for f in fields[:20]})
