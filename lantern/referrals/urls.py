from django.urls import path

from lantern.referrals import views

app_name = "referrals"

urlpatterns = [
    path("", views.workspace, name="workspace"),
    path("<int:referral_id>/", views.detail, name="detail"),
    path("<int:referral_id>/status/", views.move, name="move"),
    path("<int:referral_id>/notes/", views.note, name="note"),
    path("cases/<int:case_id>/", views.refer, name="refer"),
    path("consents/<int:consent_id>/withdraw/", views.withdraw, name="withdraw"),
]
