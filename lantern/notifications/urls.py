from django.urls import path

from lantern.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read/", views.mark_read, name="mark_read"),
    path("<int:notification>/", views.open_notification, name="open"),
    path("<int:notification>/read/", views.mark_one_read, name="mark_one_read"),
]
