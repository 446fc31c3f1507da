"""Choice sets: value, label and colour of every status and kind in one place."""

from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _


class ChoiceSet(models.TextChoices):
    """A TextChoices whose members may carry a Bootstrap colour name in ``COLORS``."""

    @classmethod
    def color(cls, value: str) -> str:
        colors = getattr(cls, "_colors", None) or {}
        return colors.get(value, "secondary")


def choice_set_of(field) -> type[ChoiceSet] | None:
    """The ChoiceSet a model field's choices were declared with (Django keeps only the list): the one whose
    choices are the field's, found once per field."""
    if not hasattr(field, "_choice_set"):
        wanted = list(field.choices or ())
        pending, found = list(ChoiceSet.__subclasses__()), None
        while pending and found is None:
            candidate = pending.pop()
            pending.extend(candidate.__subclasses__())
            if wanted and list(candidate.choices) == wanted:
                found = candidate
        field._choice_set = found
    return field._choice_set


class Role(ChoiceSet):
    BUREAU_ADMIN = "bureau_admin", _("Bureau administrator")
    BUREAU_OFFICER = "bureau_officer", _("Bureau officer")
    LEADER = "leader", _("Leader")
    PARK_OPERATOR = "park_operator", _("Park operator")
    ENTERPRISE = "enterprise", _("Enterprise")
    # Scores the qualitative indicators of the assessment rounds it is assigned to, and sees nothing else.
    EXPERT = "expert", _("Assessment expert")


class TokenState(ChoiceSet):
    """An API token's state, read from its dates (core.models.ApiToken.state)."""

    ACTIVE = "active", pgettext_lazy("API token", "Active")
    REVOKED = "revoked", pgettext_lazy("API token", "Revoked")
    EXPIRED = "expired", pgettext_lazy("API token", "Expired")


class AccountState(ChoiceSet):
    """A user account's state, read from ``is_active`` (core.models.User.state)."""

    ACTIVE = "active", _("Enabled")
    INACTIVE = "inactive", _("Disabled")


class ChangeAction(ChoiceSet):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")


class ImportStatus(ChoiceSet):
    PENDING = "pending", _("Waiting")
    CHECKING = "checking", _("Checking")
    CHECKED = "checked", _("Checked")
    COMMITTING = "committing", _("Importing")
    COMMITTED = "committed", _("Imported")
    REFUSED = "refused", _("Not imported")
    FAILED = "failed", _("Failed")
    ROLLED_BACK = "rolled_back", _("Rolled back")
    DISCARDED = "discarded", _("Discarded")


class ReminderResolution(ChoiceSet):
    ENDED = "ended", _("No longer due")
    SUPERSEDED = "superseded", _("Replaced by a nearer reminder")
    RULE_OFF = "rule_off", _("Rule switched off")


class CalendarSource(ChoiceSet):
    """Where a year of the working-day calendar comes from (core.calendar)."""

    SEED = "seed", _("Seeded from the chinese-calendar library")
    NOTICE = "notice", _("State Council holiday notice")


Role._colors = {
    "bureau_admin": "danger",
    "bureau_officer": "primary",
    "leader": "info",
    "park_operator": "success",
    "enterprise": "warning",
}
TokenState._colors = {"active": "success", "revoked": "secondary", "expired": "secondary"}
CalendarSource._colors = {"seed": "secondary", "notice": "success"}
AccountState._colors = {"active": "success", "inactive": "secondary"}
ChangeAction._colors = {"create": "success", "update": "primary", "delete": "danger"}
ImportStatus._colors = {
    "pending": "warning", "checking": "warning", "checked": "primary", "committing": "warning",
    "committed": "success", "refused": "danger", "failed": "danger", "rolled_back": "secondary",
    "discarded": "secondary",
}
# A batch in one of these is being checked or imported, or waits for the worker to do so.
IMPORT_RUNNING = (ImportStatus.PENDING, ImportStatus.CHECKING, ImportStatus.COMMITTING)


def yes_no(value) -> str:
    """是 / 否: how pages, change records, exports and import previews show a yes-or-no value."""
    return gettext("Yes") if value else gettext("No")
