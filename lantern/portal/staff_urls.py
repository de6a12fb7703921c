"""Staff pages of the portal app, served beside the referral pages under /referrals/."""

from django.urls import path

from lantern.portal import staff_views

app_name = "families"

urlpatterns = [
    path("waiting/", staff_views.waiting, name="waiting"),
    path("questions/<int:question_id>/answer/", staff_views.answer, name="answer"),
    path("questions/<int:question_id>/extension/", staff_views.extend, name="extend"),
]
