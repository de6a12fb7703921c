from django.urls import path

from lantern.intake import record_views, views

app_name = "intake"

urlpatterns = [
    path("", views.register, name="register"),
    path("duplicates/", views.duplicates, name="duplicates"),
    path("receipt/", views.receipt, name="receipt"),
    path("receipt.pdf", views.receipt_pdf, name="receipt_pdf"),
    # Adding to the record after intake (the case page's "Additions and corrections").
    path("cases/<int:case_id>/suspects/", record_views.add_suspect, name="add_suspect"),
    path("cases/<int:case_id>/indicators/", record_views.add_indicator, name="add_indicator"),
    path("cases/<int:case_id>/supplements/", record_views.supplement, name="supplement"),
    path("cases/<int:case_id>/corrections/", record_views.correct, name="correct"),
    path("people/<int:person_id>/identifiers/", record_views.add_identifier, name="add_identifier"),
    path("identifiers/<int:identifier_id>/retract/", record_views.retract_identifier, name="retract_identifier"),
]
