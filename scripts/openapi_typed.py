"""Counts the API operations whose success response the OpenAPI document describes (a
schema with named properties, or a list of such), against those that say only "an
object" (``dict[str, Any]``). Integrators generate clients from this document.

    .venv/bin/python scripts/openapi_typed.py [-v]
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.settings")
os.environ.setdefault("LANTERN_TESTING", "1")

import django

django.setup()

from lantern.api import api  # noqa: E402


def typed(schema: dict, components: dict) -> bool:
    if "$ref" in schema:
        return typed(components[schema["$ref"].rsplit("/", 1)[1]], components)
    if schema.get("type") == "array":
        return typed(schema.get("items", {}), components)
    if "anyOf" in schema:
        return all(typed(s, components) for s in schema["anyOf"] if s.get("type") != "null")
    if schema.get("type") == "object":
        return bool(schema.get("properties"))
    return bool(schema.get("type")) or "properties" in schema


def main() -> int:
    document = api.get_openapi_schema()
    components = document.get("components", {}).get("schemas", {})
    rows = []
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            ok = [r for code, r in operation["responses"].items() if str(code).startswith("2")]
            content = [r.get("content", {}).get("application/json", {}).get("schema", {}) for r in ok]
            binary = any("content" in r and "application/json" not in r["content"] for r in ok)
            described = binary or (content and all(typed(s, components) for s in content))
            rows.append((described, f"{method.upper()} {path}"))
    good = sum(1 for d, _ in rows if d)
    print(f"operations: {len(rows)}; typed responses: {good}; untyped: {len(rows) - good}")
    if "-v" in sys.argv:
        for d, name in sorted(rows):
            if not d:
                print("  untyped:", name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
