from django.urls import path

from lantern.referrals import views

app_name = "referrals"

urlpatterns = [
    path("", views.workspace, name="workspace"),
    path("waiting/", views.waiting, name="waiting"),
    path("<int:referral_id>/", views.detail, name="detail"),
    path("<int:referral_id>/status/", views.move, name="move"),
    path("<int:referral_id>/notes/", views.note, name="note"),
    path("cases/<int:case_id>/", views.refer, name="refer"),
    path("questions/<int:question_id>/answer/", views.answer, name="answer"),
    path("questions/<int:question_id>/extension/", views.extend, name="extend"),
    path("consents/<int:consent_id>/withdraw/", views.withdraw, name="withdraw"),
]
