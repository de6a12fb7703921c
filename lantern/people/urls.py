from django.urls import path

from lantern.people import views

app_name = "people"

urlpatterns = [
    path("break-glass/", views.break_glass, name="break_glass"),
    path("break-glass/reviews/", views.reviews, name="reviews"),
    path("break-glass/reviews/<int:grant_id>/close/", views.close_review, name="close_review"),
    path("access-report/", views.snooping_report, name="snooping"),
    path("cases/<int:case_id>/seal/", views.seal, name="seal"),
]
