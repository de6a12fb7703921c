from django.urls import path

from lantern.accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.sign_in, name="login"),
    path("sign-in/verify/", views.verify, name="verify"),
    path("sign-in/enrol/", views.enrol, name="enrol"),
    path("sign-out/", views.sign_out, name="logout"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("password/", views.password_change, name="password_change"),
    path("locked/", views.locked_accounts, name="locked"),
    path("locked/<int:user_id>/unlock/", views.unlock, name="unlock"),
]
