from core.models import Department
from core.surfaces.base import Column, Surface, register
from core.surfaces.filters import BaseFilterSet
from core.surfaces.forms import BaseModelForm


class DepartmentForm(BaseModelForm):
    class Meta:
        model = Department
        fields = ["name", "short_name", "code", "description"]


class DepartmentFilterSet(BaseFilterSet):
    class Meta:
        model = Department
        fields = ["q"]


department = register(Surface(
    model=Department, filterset=DepartmentFilterSet, form=DepartmentForm, slug="departments",
    columns=[Column("name", link=True), Column("short_name"), Column("code")],
))
