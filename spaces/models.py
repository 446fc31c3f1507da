import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import ALL, SearchableModel
from core.reference.choices import Role

from .choices import ParkKind, UnitStatus, UnitUse, ZoneKind

LATITUDE = [MinValueValidator(Decimal("-90")), MaxValueValidator(Decimal("90"))]
LONGITUDE = [MinValueValidator(Decimal("-180")), MaxValueValidator(Decimal("180"))]
POSITIVE_AREA = [MinValueValidator(Decimal("0.01"))]


class Operator(SearchableModel):
    """A park operating organisation (园区运营机构); its users manage its parks."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("users"), blank=True, related_name="operators"
    )

    role_actions = {Role.PARK_OPERATOR: "v"}
    scope_paths = {Role.PARK_OPERATOR: "users"}
    # Only park operators' accounts are linked here (core.services.users_link_check, core.accounts.views.user_save).
    user_links = {"users": Role.PARK_OPERATOR}
    field_roles = {"users": (Role.BUREAU_ADMIN,)}  # only the administrator links accounts

    class Meta:
        ordering = ["name"]
        verbose_name = _("park operator")
        verbose_name_plural = _("park operators")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("spaces:operator_detail", args=[self.pk])


class Zone(SearchableModel):
    """An area of the district's spatial plan: 三大新引擎, 一轴两翼 and their 片区. Nested."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=10, choices=ZoneKind.choices, default=ZoneKind.AREA)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent zone"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    geometry = models.JSONField(_("boundary (GeoJSON)"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    role_actions = {Role.PARK_OPERATOR: "v"}
    scope_paths = {Role.PARK_OPERATOR: ALL}

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("zone")
        verbose_name_plural = _("zones")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("spaces:zone_detail", args=[self.pk])

    def get_map_url(self):
        """Where its boundary is drawn (a detail page links there instead of printing the GeoJSON)."""
        return reverse("spaces:map")

    def clean(self):
        node, seen = self.parent, set()
        while node is not None:
            if node.pk == self.pk and self.pk is not None or node.pk in seen:
                raise ValidationError({"parent": _("A zone cannot be inside itself.")})
            seen.add(node.pk)
            node = node.parent
        if self.geometry is not None:
            from core.reference.geo import geometry_error

            message = geometry_error(self.geometry)
            if message:
                raise ValidationError({"geometry": message})

    def descendant_ids(self) -> list[int]:
        ids, frontier = [self.pk], [self.pk]
        while frontier:
            frontier = list(Zone.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
            ids.extend(frontier)
        return ids


class Park(SearchableModel):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=ParkKind.choices, default=ParkKind.GENERAL)
    zone = models.ForeignKey(Zone, verbose_name=_("zone"), on_delete=models.PROTECT, related_name="parks")
    operator = models.ForeignKey(
        Operator, verbose_name=_("operator"), on_delete=models.PROTECT, null=True, blank=True, related_name="parks"
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True, validators=LATITUDE)
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True, validators=LONGITUDE
    )
    description = models.TextField(_("description"), blank=True)

    role_actions = {Role.PARK_OPERATOR: "vc"}
    scope_paths = {Role.PARK_OPERATOR: "operator__users"}

    class Meta:
        ordering = ["code"]
        verbose_name = _("park")
        verbose_name_plural = _("parks")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("spaces:park_detail", args=[self.pk])


class Building(SearchableModel):
    park = models.ForeignKey(Park, verbose_name=_("park"), on_delete=models.PROTECT, related_name="buildings")
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True, validators=LATITUDE)
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True, validators=LONGITUDE
    )
    floors_above = models.PositiveSmallIntegerField(_("floors above ground"), default=1)
    floors_below = models.PositiveSmallIntegerField(_("floors below ground"), default=0)
    gross_floor_area = models.DecimalField(
        _("gross floor area (m²)"), max_digits=12, decimal_places=2, null=True, blank=True, validators=POSITIVE_AREA
    )
    completed_year = models.PositiveSmallIntegerField(
        _("year completed"), null=True, blank=True, validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )

    role_actions = {Role.PARK_OPERATOR: "vacd"}
    scope_via = "park"

    class Meta:
        ordering = ["code"]
        verbose_name = _("building")
        verbose_name_plural = _("buildings")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("spaces:building_detail", args=[self.pk])


class Floor(SearchableModel):
    building = models.ForeignKey(Building, verbose_name=_("building"), on_delete=models.PROTECT, related_name="floors")
    number = models.SmallIntegerField(_("floor number"), help_text=_("Negative for basement floors, e.g. -1."))
    name = models.CharField(_("name"), max_length=30, blank=True, help_text=_("As shown in the lift, e.g. 12F or B1."))

    role_actions = {Role.PARK_OPERATOR: "vacd"}
    scope_via = "building"
    search_fields = ("name",)

    class Meta:
        ordering = ["building", "-number"]
        verbose_name = _("floor")
        verbose_name_plural = _("floors")
        constraints = [
            models.UniqueConstraint(fields=["building", "number"], name="floor_unique_number_in_building"),
        ]

    def __str__(self):
        return f"{self.building.name} {self.label}" if self.building_id else self.label

    @property
    def label(self):
        if self.name:
            return self.name
        return f"B{-self.number}" if self.number < 0 else f"{self.number}F"

    def get_absolute_url(self):
        return reverse("spaces:floor_detail", args=[self.pk])

    def clean(self):
        if self.number == 0:
            raise ValidationError({"number": _("There is no floor 0: use 1 for the ground floor, -1 for the first basement.")})


def floor_number(value) -> int:
    """A floor as people write it: 12 · 12F · 12层 · 12楼 · B1 · -1 · 地下1层 · 负1层."""
    from core.importing import values

    raw = values.code(value).upper()
    match = re.fullmatch(r"(?:(B|-|负|地下)?)(\d+)(?:F|层|楼)?", raw)
    if not match or int(match.group(2)) == 0:
        raise ValueError(_("“%(value)s” is not a floor: write 12, 12F, B1 or -1") % {"value": value})
    number = int(match.group(2))
    return -number if match.group(1) else number


class Unit(SearchableModel):
    """A leasable piece of space. Its status follows its leases (see leasing.services)."""

    building = models.ForeignKey(Building, verbose_name=_("building"), on_delete=models.PROTECT, related_name="units")
    floor = models.ForeignKey(Floor, verbose_name=_("floor"), on_delete=models.PROTECT, related_name="units")
    code = models.CharField(_("unit number"), max_length=30)
    area = models.DecimalField(_("area (m²)"), max_digits=10, decimal_places=2, validators=POSITIVE_AREA)
    use = models.CharField(_("use"), max_length=12, choices=UnitUse.choices, default=UnitUse.OFFICE)
    asking_rent = models.DecimalField(
        _("asking rent (yuan/m²/month)"), max_digits=8, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    government_owned = models.BooleanField(_("government-owned"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=UnitStatus.choices, default=UnitStatus.VACANT)
    vacant_since = models.DateField(_("vacant since"), null=True, blank=True)

    role_actions = {Role.PARK_OPERATOR: "vacd"}
    scope_via = "building"
    search_fields = ("code",)

    class Meta:
        ordering = ["building", "-floor__number", "code"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(fields=["floor", "code"], name="unit_unique_code_on_floor"),
            models.CheckConstraint(condition=models.Q(area__gt=0), name="unit_area_positive"),
            models.CheckConstraint(
                condition=models.Q(asking_rent__isnull=True) | models.Q(asking_rent__gte=0),
                name="unit_asking_rent_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["status", "vacant_since"]),
                   # Sorting the unit list by area (the id tie-break follows the direction, core.surfaces.views).
                   models.Index(fields=["area", "id"], name="unit_area_id")]

    def __str__(self):
        return f"{self.building.name} {self.code}" if self.building_id else self.code

    def get_absolute_url(self):
        return reverse("spaces:unit_detail", args=[self.pk])

    @property
    def status_color(self):
        return UnitStatus.color(self.status)

    def clean(self):
        if self.floor_id and self.building_id and self.floor.building_id != self.building_id:
            raise ValidationError({"floor": _("The floor must belong to the unit's building.")})
