from django.urls import path

from lantern.campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("", views.figures, name="dashboard"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("list/", views.campaign_list, name="list"),
    path("create/", views.create, name="create"),
    path("<int:campaign_id>/close/", views.close, name="close"),
]
