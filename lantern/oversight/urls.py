from django.urls import path

from lantern.oversight import views

app_name = "oversight"

urlpatterns = [
    path("flags/", views.flags, name="flags"),
]
