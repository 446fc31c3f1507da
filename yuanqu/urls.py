from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.utils.module_loading import module_has_submodule
from django.views.generic import RedirectView

from core.accounts.lockout import LoginForm
from core.attachments import api as attachments_api
from core.reminders import api as reminders_api
from core.runtime.project import project_apps
from core.surfaces.api import api, mount_surfaces
from core.surfaces.views import home
from core.urls import account_urlpatterns

# Every app of the project that has a urls module is served under its label (/spaces/, /leasing/, …).
app_urlpatterns = [path(f"{config.label}/", include(f"{config.name}.urls")) for config in project_apps()
                   if module_has_submodule(config.module, "urls")]

# Surfaces register themselves when their urls are imported; the API is built from them afterwards.
urlpatterns = [
    path("", home, name="home"),
    path("favicon.ico", RedirectView.as_view(url=static("favicon.ico"), permanent=True)),
    path("login/", auth_views.LoginView.as_view(template_name="registration/login.html",
                                                authentication_form=LoginForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    *app_urlpatterns,
    path("admin/", admin.site.urls),
    *account_urlpatterns,
]
mount_surfaces()
attachments_api.mount()
reminders_api.mount()
urlpatterns.append(path("api/", api.urls))
