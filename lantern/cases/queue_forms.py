"""The filter form above the case lists: a plain GET form, so it works without JavaScript,
keeps its values in the address (a queue can be bookmarked or sent to a colleague) and
the export links carry the same filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lantern.cases import queues
from lantern.cases.law import FLAG_LABELS
from lantern.cases.states import State

ANY = [("", _("Any"))]


class QueueForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False, choices=ANY + list(State.choices))
    flag = forms.ChoiceField(label=_("Flag"), required=False, choices=ANY + list(FLAG_LABELS.items()))
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    assignee = forms.ChoiceField(label=_("Assignee"), required=False)
    unit = forms.TypedChoiceField(label=_("Unit"), required=False, coerce=int, empty_value=None)
    received_from = forms.DateField(label=_("Received from"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}))
    received_to = forms.DateField(label=_("Received to"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=list(queues.SORTS.items()))

    def __init__(self, data: Any, *, user: Any) -> None:
        super().__init__(data)
        self.fields["assignee"].choices = ANY + queues.assignee_choices(user)
        self.fields["unit"].choices = ANY + queues.unit_choices(user)

    def filters(self) -> queues.Filters:
        """The filters that parse; a value that does not (a bookmark from before a unit was
        renamed) is shown as an error on its field and left out, never guessed."""
        self.is_valid()
        data = self.cleaned_data
        return queues.Filters(
            state=data.get("state") or None, flag=data.get("flag") or None,
            overdue=True if data.get("overdue") else None, assignee=data.get("assignee") or None,
            unit_id=data.get("unit"), received_from=data.get("received_from"),
            received_to=data.get("received_to"), sort=data.get("sort") or "priority")
