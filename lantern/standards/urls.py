from django.urls import path

from lantern.standards import views

app_name = "standards"

urlpatterns = [
    path("", views.standard_list, name="list"),
    path("new/", views.draft, name="draft"),
    path("<int:template_id>/", views.detail, name="detail"),
    path("<int:template_id>/approve/", views.approve, name="approve"),
    path("<int:template_id>/diff/<int:other_id>/", views.diff, name="diff"),
]
