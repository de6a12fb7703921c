from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key, "")


@register.simple_tag(takes_context=True)
def kept_value(context: Any, field: str, *form: Any) -> str:
    """What was typed into ``field`` of the form named by ``form`` ("item", 12 → "item:12")
    before the action was refused (core.refusals.keep_typed); empty otherwise."""
    if context.get("kept_form") != ":".join(str(part) for part in form):
        return ""
    return str((context.get("kept") or {}).get(field, ""))
