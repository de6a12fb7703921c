from django.urls import path

from lantern.discipline import views

app_name = "discipline"

urlpatterns = [
    path("cases/<int:case_id>/trail/", views.trail_page, name="trail"),
    path("cases/<int:case_id>/accountability/", views.record_page, name="record"),
    path("records/", views.records_page, name="records"),
]
