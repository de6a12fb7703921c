from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "lantern.evidence"
    label = "evidence"
    verbose_name = _("Evidence")

    def ready(self) -> None:
        from lantern.cases import gate, sections
        from lantern.cases.access import register_child_of_case
        from lantern.evidence.models import EvidenceFile, EvidenceItem, Interview, LabSubmission, RepeatInterviewRequest
        from lantern.evidence.sections import case_section
        from lantern.evidence.selectors import checklist_findings

        for model in (EvidenceItem, Interview, RepeatInterviewRequest):
            register_child_of_case(model)
        register_child_of_case(EvidenceFile, "item__case")
        register_child_of_case(LabSubmission, "item__case")

        sections.register(sections.Section(key="evidence", template="evidence/_case_sections.html",
                                           context=case_section, slot="work", order=10))
        gate.FINDINGS.register(checklist_findings)
        from lantern.evidence import history as evidence_history

        evidence_history.register()  # how its audit events read (audit.readable)
