from django.urls import path

from . import accounts
from .department_surface import department

app_name = "core"

urlpatterns = [*department.urlpatterns()]

account_urlpatterns = [
    path("users/", accounts.user_list, name="user_list"),
    path("users/add/", accounts.user_edit, name="user_add"),
    path("users/<int:pk>/", accounts.user_detail, name="user_detail"),
    path("users/<int:pk>/edit/", accounts.user_edit, name="user_edit"),
    path("changes/", accounts.change_list, name="change_list"),
    path("tokens/", accounts.token_list, name="token_list"),
    path("tokens/<int:pk>/revoke/", accounts.token_revoke, name="token_revoke"),
]
