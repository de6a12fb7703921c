from django.urls import path

from lantern.linkage import views

app_name = "linkage"

urlpatterns = [
    path("networks/", views.networks, name="networks"),
    path("networks/<int:network_id>/", views.network, name="network"),
    path("matches/", views.match_queue, name="matches"),
    path("matches/<int:match_id>/confirm/", views.decide_match, {"verdict": "confirm"}, name="confirm_match"),
    path("matches/<int:match_id>/reject/", views.decide_match, {"verdict": "reject"}, name="reject_match"),
    path("cases/<int:case_id>/links/<int:position>/break-glass/", views.break_glass, name="break_glass"),
]
