from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from core.api import api, mount_reminders, mount_surfaces
from core.security import LoginForm
from core.urls import account_urlpatterns

from . import views

# Surfaces register themselves when their urls are imported; the API is built from them afterwards.
urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", RedirectView.as_view(url=static("favicon.ico"), permanent=True)),
    path("login/", auth_views.LoginView.as_view(template_name="registration/login.html",
                                                authentication_form=LoginForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("core/", include("core.urls")),
    path("spaces/", include("spaces.urls")),
    path("enterprises/", include("enterprises.urls")),
    path("leasing/", include("leasing.urls")),
    path("admin/", admin.site.urls),
    *account_urlpatterns,
]
mount_surfaces()
mount_reminders()
urlpatterns.append(path("api/", api.urls))
