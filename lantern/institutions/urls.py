from django.urls import path

from lantern.institutions import views

app_name = "institutions"

urlpatterns = [
    # The institution's pages.
    path("", views.workspace, name="workspace"),
    path("reports/new/", views.new_report, name="new_report"),
    path("reports/<int:report_id>/", views.report, name="report"),
    path("reports/<int:report_id>/questions/", views.ask, name="ask"),
    path("reports/<int:report_id>/files/", views.attach, name="attach"),
    path("checks/", views.checks_page, name="checks"),
    path("checks/bulk/", views.bulk_upload, name="bulk_upload"),
    path("checks/bulk/<int:batch_id>/", views.bulk, name="bulk"),
    path("checks/bulk/<int:batch_id>/next/", views.bulk_next, name="bulk_next"),
    path("duty/", views.duty, name="duty"),
    # The police's forms on the case page.
    path("reports/<int:report_id>/feedback/", views.feedback, name="feedback"),
    path("questions/<int:question_id>/answer/", views.answer, name="answer"),
    path("cases/<int:case_id>/non-reporting/", views.non_reporting, name="non_reporting"),
]
