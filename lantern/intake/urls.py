from django.urls import path

from lantern.intake import views

app_name = "intake"

urlpatterns = [
    path("", views.register, name="register"),
    path("duplicates/", views.duplicates, name="duplicates"),
    path("receipt/", views.receipt, name="receipt"),
    path("receipt.pdf", views.receipt_pdf, name="receipt_pdf"),
]
