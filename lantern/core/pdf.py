"""Printable documents: an HTML template rendered to PDF by WeasyPrint, in Chinese with
an embedded Noto CJK font (lang="zh-CN", or some glyphs come from the Japanese face)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # imported late: it loads Pango

    with translation.override("zh-hans"):
        html = render_to_string(template, context)
    return HTML(string=html).write_pdf()


def pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    # The file name carries the case number only, never a person's name.
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
