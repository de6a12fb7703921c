"""The case page's section for a case that came from a mandatory report."""

from __future__ import annotations

from lantern.cases import sections
from lantern.institutions.selectors import case_section


def register() -> None:
    sections.register(sections.Section(key="mandatory_report", template="institutions/_case_section.html",
                                       context=case_section, slot="family", order=15))
