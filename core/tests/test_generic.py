"""Every model with a surface has its generic test class (yuanqu/generic_tests.py); the department's is here."""

import os
import subprocess
import sys
from pathlib import Path

from core.access.permissions import in_scope
from core.models import Department, ReminderRule
from core.surfaces import discover
from leasing.choices import LeaseStatus
from leasing.models import Lease
from yuanqu.generic_tests import ModelTests, declared_classes, models_without_class, sample
from yuanqu.testing import TODAY

ROOT = Path(__file__).resolve().parents[2]


class TestDepartment(ModelTests):
    model = Department
    # Departments are the administrator's alone: to everyone else the pages and the API do not exist.
    expected = {"admin": "vacd", "officer": "", "leader": "", "operator": "", "enterprise": "", "expert": ""}
    create_sides = "a"  # a department belongs to no operator
    update = {"description": "负责全区科技创新和产业空间工作"}

    def sample(self, world, side, **overrides):
        return Department.objects.create(**{"name": f"样本部门{'甲' if side == 'a' else '乙'}",
                                            "code": f"gen-{side}", **overrides})

    def create_data(self, world, side):
        return {"name": "福田区政务服务数据管理局", "short_name": "区政数局", "code": "zsj"}


class TestReminderRule(ModelTests):
    model = ReminderRule
    # Rules are the administrator's alone (系统管理 › 提醒规则): to everyone else they do not exist.
    expected = {"admin": "vacd", "officer": "", "leader": "", "operator": "", "enterprise": "", "expert": ""}
    create_sides = "a"  # a rule belongs to no operator
    update = {"title": "租约45天内到期", "days_before": 45}

    def sample(self, world, side, **overrides):
        return ReminderRule.objects.create(**{
            "kind": "leasing.lease_expiring", "title": f"样本规则{'甲' if side == 'a' else '乙'}",
            "days_before": 120 if side == "a" else 150, "to_operators": True, "to_bureau": True, **overrides})

    def create_data(self, world, side):
        return {"kind": "enterprises.qualification_lapsing", "title": "资质证书60天内到期", "applies_to": "",
                "days_before": 60, "to_operators": False, "to_enterprise": True, "to_bureau": True, "active": True}


def test_every_model_with_a_surface_has_a_generic_test_class():
    missing = models_without_class()
    assert missing == [], (
        f"no generic test class for {', '.join(missing)}: declare one that inherits yuanqu.generic_tests.ModelTests "
        "in <app>/tests/test_generic.py (see docs/decisions/0018)")


def test_every_generic_test_class_is_collected_and_names_a_surface():
    for model, cls in declared_classes().items():
        assert cls.__name__.startswith("Test"), f"{cls.__qualname__}: pytest collects classes named Test…"
        assert model in discover(), f"{cls.__qualname__}: {model._meta.label} has no surface"


def test_a_model_whose_class_is_missing_is_named():
    declared = declared_classes()
    assert len(declared) == len(discover())
    del declared[Department]
    assert models_without_class(declared) == ["core.Department"]
    del declared[ReminderRule]
    assert models_without_class(declared) == ["core.Department", "core.ReminderRule"]


def test_the_registry_is_whole_before_any_page_is_served():
    """Commands, the worker and the walk above read discover(): it holds core's own surface too, without the
    URLconf (which imports it) having been loaded."""
    code = ("import django; django.setup(); from core.surfaces import discover; "
            "print(sorted(m._meta.label for m in discover()))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                            env={**os.environ, "DJANGO_SETTINGS_MODULE": "yuanqu.settings"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(sorted(model._meta.label for model in discover()))
    assert "core.Department" in result.stdout


def test_a_sample_in_a_given_state_for_tests_of_actions(world):
    """What a test of a declared action starts from: a new object of a side, in the state it asks for."""
    lease = sample(world, Lease, "a", status=LeaseStatus.TERMINATED, terminated_on=TODAY)
    stored = Lease.objects.get(pk=lease.pk)
    assert (stored.status, stored.terminated_on) == (LeaseStatus.TERMINATED, TODAY)
    assert in_scope(world.users["operator"], stored) and in_scope(world.users["enterprise"], stored)
    assert not in_scope(world.users["operator_b"], stored)
    other = sample(world, Lease, "b")
    assert other.status == LeaseStatus.ACTIVE and not in_scope(world.users["operator"], other)
