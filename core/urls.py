from django.urls import path

from core.accounts import views as accounts
from core.actions.views import place_urlpatterns
from core.attachments import views as attachment_views
from core.calendar import views as calendar_views
from core.importing import views as import_views
from core.models import ApiToken, ImportBatch, User
from core.reminders import views as reminder_views
from core.surfaces.department import department
from core.surfaces.reminder_rule import reminder_rule
from core.surfaces.urls import surface_urlpatterns

app_name = "core"

urlpatterns = [
    *surface_urlpatterns(department),
    *surface_urlpatterns(reminder_rule),
    path("attachments/<str:label>/<int:pk>/upload/", attachment_views.attachment_upload, name="attachment_upload"),
    path("attachments/<str:label>/<int:pk>/attach/", attachment_views.attachment_attach, name="attachment_attach"),
    path("attachments/<int:pk>/version/", attachment_views.attachment_version, name="attachment_version"),
    path("attachments/<int:pk>/detach/", attachment_views.attachment_detach, name="attachment_detach"),
    path("attachments/<int:pk>/download/", attachment_views.attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/versions/<int:number>/download/", attachment_views.attachment_download,
         name="attachment_version_download"),
]

account_urlpatterns = [
    path("users/", accounts.user_list, name="user_list"),
    path("users/add/", accounts.user_edit, name="user_add"),
    path("users/<int:pk>/", accounts.user_detail, name="user_detail"),
    path("users/<int:pk>/edit/", accounts.user_edit, name="user_edit"),
    *place_urlpatterns(User),  # deactivate, reactivate
    path("changes/", accounts.change_list, name="change_list"),
    path("password/", accounts.password_change, name="password_change"),
    path("tokens/", accounts.token_list, name="token_list"),
    *place_urlpatterns(ApiToken),  # revoke
    path("reminders/", reminder_views.reminder_inbox, name="reminder_inbox"),
    path("reminders/<int:pk>/read/", reminder_views.reminder_read, name="reminder_read"),
    path("reminders/read-all/", reminder_views.reminders_read_all, name="reminders_read_all"),
    path("calendar/", calendar_views.calendar_years, name="calendar_years"),
    path("calendar/notice/", calendar_views.calendar_notice, name="calendar_notice"),
    path("calendar/<int:year>/", calendar_views.calendar_year, name="calendar_year"),
    path("imports/", import_views.import_list, name="import_list"),
    path("imports/<int:pk>/", import_views.import_detail, name="import_detail"),
    path("imports/<int:pk>/progress/", import_views.import_progress, name="import_progress"),
    *place_urlpatterns(ImportBatch),  # commit, rollback
    path("imports/<int:pk>/retry/", import_views.import_retry, name="import_retry"),
    path("imports/<int:pk>/discard/", import_views.import_discard, name="import_discard"),
    path("imports/<int:pk>/errors.xlsx", import_views.import_errors, name="import_errors"),
]
