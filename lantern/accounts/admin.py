from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.password_validation import validate_password
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from lantern.access.policy import Capability, has_capability
from lantern.access.roles import Role
from lantern.accounts import actions
from lantern.accounts.models import Institution, Unit, User, UserRole
from lantern.core.errors import ValidationFailed


class AuditedModelAdmin(admin.ModelAdmin):
    """Administrators may add and change; nothing is deleted (records are deactivated).
    Every save writes an audit entry naming the changed fields, never their values."""

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_module_permission(self, request: HttpRequest) -> bool:
        return has_capability(request.user, Capability.USE_ADMIN_SITE)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return has_capability(request.user, Capability.USE_ADMIN_SITE)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return has_capability(request.user, Capability.USE_ADMIN_SITE)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return has_capability(request.user, Capability.USE_ADMIN_SITE)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.save()
        actions.record_admin_change(actor=request.user, obj=obj, verb="change" if change else "add",
                            fields=list(form.changed_data))


@admin.register(Unit)
class UnitAdmin(AuditedModelAdmin):
    list_display = ("name", "code", "branch", "level", "division_code", "parent", "contact_phone", "is_active")
    list_filter = ("branch", "level", "is_active")
    search_fields = ("name", "name_en", "code", "division_code")
    ordering = ("path",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # The code is part of every descendant's path: fixed once the unit exists.
        return ("code",) if obj else ()


class RoleInline(admin.TabularInline):
    model = UserRole
    extra = 1
    verbose_name = _("role")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True  # removing a role is a change to the user, audited with it


class UserCreationForm(forms.ModelForm):
    password = forms.CharField(label=_("Initial password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    roles = forms.MultipleChoiceField(label=_("Roles"), choices=Role.choices,
                                      widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = User
        fields = ("username", "first_name", "email", "unit")

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        validate_password(password, User(username=self.cleaned_data.get("username", "")))
        return password


@admin.register(User)
class UserAdmin(AuditedModelAdmin):
    list_display = ("username", "first_name", "unit", "role_list", "is_active", "locked_at")
    list_filter = ("is_active", "roles__role", "unit__branch")
    search_fields = ("username", "first_name")
    fields = ("username", "first_name", "email", "unit", "is_active")
    readonly_fields = ("username",)
    actions = ["unlock", "reset_second_factor"]

    @admin.display(description=_("roles"))
    def role_list(self, obj: User) -> str:
        return ", ".join(str(Role(r).label) for r in sorted(obj.role_set))

    def get_form(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = UserCreationForm
            kwargs["fields"] = (*UserCreationForm.Meta.fields, "password", "roles")
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ("username", "first_name", "email", "unit", "password", "roles")
        return self.fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.readonly_fields if obj else ()

    def get_inlines(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        return [RoleInline] if obj else []

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        if change:
            return super().save_model(request, obj, form, change)
        data = form.cleaned_data
        created = actions.create_user(actor=request.user, username=data["username"],
                                      password=data["password"], unit=data.get("unit"),
                                      roles=[Role(r) for r in data["roles"]],
                                      display_name=data.get("first_name", ""),
                                      email=data.get("email", ""))
        obj.pk = created.pk
        obj._state.adding = False

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        formset.save()
        if formset.has_changed():
            actions.record_admin_change(actor=request.user, obj=form.instance, verb="roles",
                                        fields=["roles"])

    @admin.action(description=_("Unlock the selected accounts"))
    def unlock(self, request: HttpRequest, queryset: Any) -> None:
        for user in queryset:
            actions.unlock_account(actor=request.user, user=user)
        self.message_user(request, _("Unlocked %(n)d accounts.") % {"n": queryset.count()},
                          messages.SUCCESS)

    @admin.action(description=_("Reset the second factor (the user enrols again)"))
    def reset_second_factor(self, request: HttpRequest, queryset: Any) -> None:
        for user in queryset:
            actions.reset_second_factor(actor=request.user, user=user)
        self.message_user(request, _("Reset %(n)d accounts.") % {"n": queryset.count()},
                          messages.SUCCESS)


class InstitutionCreationForm(forms.ModelForm):
    code = forms.CharField(label=_("code"), max_length=40)
    name = forms.CharField(label=_("name"), max_length=120)
    division_code = forms.CharField(label=_("division code"), max_length=6,
                                    help_text=_("Administrative division (GB/T 2260) where the institution is."))

    class Meta:
        model = Institution
        fields = ("kind", "address", "serving_unit")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if Unit.objects.filter(code=data.get("code", "")).exists():
            self.add_error("code", _("A unit with this code exists already."))
        if not (data.get("division_code") or "").isdigit() or len(data.get("division_code") or "") != 6:
            self.add_error("division_code", _("A division code has six digits."))
        serving = data.get("serving_unit")
        if serving is not None and (serving.branch != "police" or serving.level == "department"):
            self.add_error("serving_unit", _("The serving unit must be a police station or bureau, not a department."))
        return data


@admin.register(Institution)
class InstitutionAdmin(AuditedModelAdmin):
    """Institutions are registered here (accounts.actions.register_institution), then their
    staff are added as users of the institution's unit with the role Institution."""

    list_display = ("unit", "kind", "serving_unit", "registered_at")
    list_filter = ("kind",)
    search_fields = ("unit__name", "unit__code")
    fields = ("kind", "address", "serving_unit")

    def get_form(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = InstitutionCreationForm
            kwargs["fields"] = ("kind", "address", "serving_unit")
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.fields if obj else ("code", "name", "division_code", "kind", "address", "serving_unit")

    def save_model(self, request: HttpRequest, obj: Institution, form: Any, change: bool) -> None:
        if change:
            return super().save_model(request, obj, form, change)
        data = form.cleaned_data
        try:
            created = actions.register_institution(
                actor=request.user, code=data["code"], name=data["name"], kind=data["kind"], address=data["address"],
                division_code=data["division_code"], serving_unit=data["serving_unit"])
        except ValidationFailed as exc:
            self.message_user(request, "; ".join(str(m) for ms in (exc.details or {}).values() for m in ms),
                              messages.ERROR)
            return
        obj.pk = created.pk
        obj._state.adding = False
