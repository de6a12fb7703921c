from django.urls import path

from lantern.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.sign_in, name="sign_in"),
    path("code/", views.sign_in_with_code, name="sign_in_with_code"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("case/", views.case, name="case"),
    path("questions/", views.ask, name="ask"),
    path("reconsideration/", views.reconsideration, name="reconsideration"),
    path("consents/<int:consent_id>/withdraw/", views.withdraw_consent, name="withdraw_consent"),
    path("notices/<int:notice_id>.pdf", views.notice, name="notice"),
    path("decisions/<int:proceeding_id>.pdf", views.decision, name="decision"),
]
