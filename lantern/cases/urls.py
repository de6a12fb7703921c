from django.urls import path

from lantern.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("fugitives/", views.fugitive_list, name="fugitives"),
    path("<int:case_id>/cold-case-reviews/", views.cold_case_review, name="cold_case_review"),
    path("<int:case_id>/suspects/<int:suspect_id>/moves/<slug:name>/", views.suspect_move, name="suspect_move"),
    path("<int:case_id>/suspects/<int:suspect_id>/extension/", views.suspect_extension, name="suspect_extension"),
    path("export.csv", views.case_list_export, {"fmt": "csv"}, name="list_csv"),
    path("export.xlsx", views.case_list_export, {"fmt": "xlsx"}, name="list_xlsx"),
    path("<int:case_id>/", views.case_page, name="detail"),
    path("<int:case_id>/notice.pdf", views.notice_pdf, name="notice_pdf"),
    path("<int:case_id>/reconsideration-decision.pdf", views.decision_pdf, {"kind": "reconsideration"},
         name="reconsideration_pdf"),
    path("<int:case_id>/review-decision.pdf", views.decision_pdf, {"kind": "review"}, name="review_pdf"),
    path("<int:case_id>/supervision-reply.pdf", views.decision_pdf, {"kind": "supervision"},
         name="supervision_reply_pdf"),
    path("<int:case_id>/actions/<slug:name>/", views.take_action, name="action"),
    path("<int:case_id>/checklist/<int:item_id>/", views.checklist_item, name="checklist_item"),
    path("<int:case_id>/checklist/<int:item_id>/not-satisfied/", views.not_satisfied, name="not_satisfied"),
]
