from django.urls import path

from .views import AccountView, VerifyView

urlpatterns = [
    path("login/verify/", VerifyView.as_view(), name="two_factor_verify"),
    path("account/two-factor/", AccountView.as_view(), name="two_factor_account"),
]
