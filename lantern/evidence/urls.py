from django.urls import path

from lantern.evidence import views

app_name = "evidence"

urlpatterns = [
    path("cases/<int:case_id>/", views.register, name="register"),
    path("<int:item_id>/custody/", views.hand_over, name="hand_over"),
    path("<int:item_id>/files/", views.attach, name="attach"),
    path("files/<uuid:file_id>/", views.download, name="download"),
    path("<int:item_id>/lab/", views.send_to_lab, name="send_to_lab"),
    path("<int:item_id>/lab/arrival/", views.lab_arrival, name="lab_arrival"),
    path("<int:item_id>/lab/result/", views.lab_result, name="lab_result"),
    path("cases/<int:case_id>/interviews/", views.interview, name="interview"),
    path("cases/<int:case_id>/interviews/repeat/", views.repeat_request, name="repeat_request"),
    path("interviews/repeat/<int:request_id>/decision/", views.repeat_decision, name="repeat_decision"),
]
