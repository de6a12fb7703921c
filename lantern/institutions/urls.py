from django.urls import path

from lantern.institutions import views

app_name = "institutions"

urlpatterns = [
    path("reports/<int:report_id>/feedback/", views.feedback, name="feedback"),
    path("questions/<int:question_id>/answer/", views.answer, name="answer"),
    path("cases/<int:case_id>/non-reporting/", views.non_reporting, name="non_reporting"),
]
