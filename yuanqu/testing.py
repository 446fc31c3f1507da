"""A small, fixed district for tests: two operators with a park each, one user per role.

Loaded as a pytest plugin (see conftest.py): tests ask for the ``world`` fixture.
"""

import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from core.calendar.seed import calendar_seed
from core.models import Department, User
from core.reference.choices import Role
from core.reference.departments import ensure_departments
from enterprises.models import Contact, Enterprise, IndustryCategory, QualificationRule
from enterprises.reference import ensure_industries, ensure_qualification_rules
from leasing.models import Lease
from spaces.choices import UnitStatus
from spaces.models import Building, Floor, Operator, Park, Unit, Zone

PASSWORD = "yuanqu-test-pass"
TODAY = datetime.date.today()


@dataclass
class World:
    users: dict
    zone: Zone
    area: Zone
    op_a: Operator
    op_b: Operator
    park_a: Park
    park_b: Park
    building_a: Building
    building_b: Building
    floor_a: Floor
    floor_b: Floor
    unit_a1: Unit
    unit_a2: Unit
    unit_b1: Unit
    tenant_a: Enterprise
    tenant_b: Enterprise
    lease_a: Lease
    lease_b: Lease
    contact_a: Contact
    made: dict = field(default_factory=dict)  # samples made when a test first asks for them

    def objects(self, model_name: str, side: str):
        """The world's own in-scope ('a': operator A's) or out-of-scope ('b') object of a model, for the tests
        that change it in place; new tests make one with ``yuanqu.generic_tests.sample`` instead."""
        mapping = {
            "park": (self.park_a, self.park_b), "building": (self.building_a, self.building_b),
            "floor": (self.floor_a, self.floor_b), "unit": (self.unit_a1, self.unit_b1),
            "lease": (self.lease_a, self.lease_b), "enterprise": (self.tenant_a, self.tenant_b),
            "operator": (self.op_a, self.op_b),
        }
        if model_name in mapping:
            a, b = mapping[model_name]
            return a if side == "a" else b
        if model_name not in self.made:
            self.made[model_name] = getattr(self, f"_make_{model_name}")()
        return self.made[model_name][0 if side == "a" else 1]

    # Samples that cost more to make than most tests need. Each pair is (a, b): 'b' is outside the scope of at
    # least one role that sees 'a'.
    def _make_contact(self):
        contact_b = Contact.objects.create(enterprise=self.tenant_b, name="李四光", mobile="13900001111")
        return self.contact_a, contact_b

    def _make_apitoken(self):
        """Operator A's token and operator B's: each operator sees only its own, the administrator both."""
        from core.accounts import tokens

        return (tokens.token_create(user=self.users["operator"], name="ERP")[0],
                tokens.token_create(user=self.users["operator_b"], name="ERP")[0])

    def _make_user(self):
        """Two accounts of their own (the role users' own stay signed in while a test deactivates these):
        operators and enterprise users see only their own account."""
        dept = Department.objects.get(code="kcj")
        return make_user("t_account_a", Role.BUREAU_OFFICER, dept), make_user("t_account_b", Role.BUREAU_OFFICER, dept)

    def _make_importbatch(self):
        """A checked file of units the officer uploaded for operator A's building, and one operator B uploaded:
        each operator sees only its own batches."""
        from core.importing import jobs
        from core.surfaces import surface_for

        surface = surface_for(Unit)
        mine = jobs.batch_create(user=self.users["officer"], surface=surface, filename="units-a.xlsx",
                                 content=units_file([["a-1", "12", "1290", "100", "办公", "120"]]))
        theirs = jobs.batch_create(user=self.users["operator_b"], surface=surface, filename="units-b.xlsx",
                                   content=units_file([["b-1", "3", "390", "100", "办公", "120"]]))
        return jobs.batch_check(mine), jobs.batch_check(theirs)

    def on(self, side: str) -> "Side":
        """What side "a" (operator A's park, enterprise A) or side "b" (operator B's) holds."""
        if side == "a":
            return Side(self.op_a, self.park_a, self.building_a, self.floor_a, self.tenant_a)
        return Side(self.op_b, self.park_b, self.building_b, self.floor_b, self.tenant_b)


@dataclass
class Side:
    operator: Operator
    park: Park
    building: Building
    floor: Floor
    tenant: Enterprise


def make_user(username, role, department=None):
    user = User(username=username, role=role, department=department, display_name=username)
    user.set_password(PASSWORD)
    user.save()
    return user


def build_world() -> World:
    # A transactional test's flush empties the reference tables; put them back.
    ensure_departments(Department)
    ensure_industries(IndustryCategory)
    ensure_qualification_rules(QualificationRule)
    calendar_seed()
    dept = Department.objects.get(code="kcj")
    users = {
        "admin": make_user("t_admin", Role.BUREAU_ADMIN, dept),
        "officer": make_user("t_officer", Role.BUREAU_OFFICER, dept),
        "leader": make_user("t_leader", Role.LEADER),
        "operator": make_user("t_operator", Role.PARK_OPERATOR),
        "operator_b": make_user("t_operator_b", Role.PARK_OPERATOR),
        "enterprise": make_user("t_enterprise", Role.ENTERPRISE),
        "expert": make_user("t_expert", Role.EXPERT),
    }
    zone = Zone.objects.create(code="engine", name="三大新引擎", kind="engine")
    area = Zone.objects.create(code="hetao", name="河套深港科技创新合作区", kind="area", parent=zone)
    op_a = Operator.objects.create(name="甲运营公司")
    op_a.users.add(users["operator"])
    op_b = Operator.objects.create(name="乙运营公司")
    op_b.users.add(users["operator_b"])
    park_a = Park.objects.create(code="park-a", name="国际金融科技生态园", zone=area, operator=op_a,
                                 latitude=Decimal("22.52"), longitude=Decimal("114.07"))
    park_b = Park.objects.create(code="park-b", name="车公庙湾区时尚总部中心", zone=area, operator=op_b)
    building_a = Building.objects.create(park=park_a, code="a-1", name="科技楼A座", floors_above=10)
    building_b = Building.objects.create(park=park_b, code="b-1", name="时尚大厦", floors_above=20)
    floor_a = Floor.objects.create(building=building_a, number=12)
    floor_a11 = Floor.objects.create(building=building_a, number=11)
    floor_b = Floor.objects.create(building=building_b, number=3)
    unit_a1 = Unit.objects.create(building=building_a, floor=floor_a, code="1201", area=Decimal("600.00"),
                                  asking_rent=Decimal("150.00"), status=UnitStatus.LEASED)
    unit_a2 = Unit.objects.create(building=building_a, floor=floor_a, code="1202", area=Decimal("200.00"),
                                  asking_rent=Decimal("150.00"), status=UnitStatus.VACANT,
                                  vacant_since=TODAY - datetime.timedelta(days=400))
    Unit.objects.create(building=building_a, floor=floor_a11, code="1101", area=Decimal("200.00"),
                        status=UnitStatus.UNAVAILABLE)
    unit_b1 = Unit.objects.create(building=building_b, floor=floor_b, code="301", area=Decimal("300.00"),
                                  status=UnitStatus.LEASED)
    software = IndustryCategory.objects.get(pk="6511")
    tenant_a = Enterprise.objects.create(name="荣耀终端有限公司", credit_code="914403001922038216", industry=software)
    tenant_a.users.add(users["enterprise"])
    tenant_b = Enterprise.objects.create(name="深圳晶泰科技有限公司", credit_code="91350200776049653A")
    lease_a = Lease.objects.create(enterprise=tenant_a, park=park_a, start_date=TODAY - datetime.timedelta(days=300),
                                   end_date=TODAY + datetime.timedelta(days=45), monthly_rent=Decimal("140.00"),
                                   contract_number="HT-A-001", leased_area=Decimal("600.00"))
    lease_a.units.add(unit_a1)
    lease_b = Lease.objects.create(enterprise=tenant_b, park=park_b, start_date=TODAY - datetime.timedelta(days=100),
                                   end_date=TODAY + datetime.timedelta(days=700), monthly_rent=Decimal("180.00"),
                                   contract_number="HT-B-001", leased_area=Decimal("300.00"))
    lease_b.units.add(unit_b1)
    contact_a = Contact.objects.create(enterprise=tenant_a, name="张三丰", mobile="13812345678", title="行政经理")
    return World(users=users, zone=zone, area=area, op_a=op_a, op_b=op_b, park_a=park_a, park_b=park_b,
                 building_a=building_a, building_b=building_b, floor_a=floor_a, floor_b=floor_b,
                 unit_a1=unit_a1, unit_a2=unit_a2, unit_b1=unit_b1, tenant_a=tenant_a, tenant_b=tenant_b,
                 lease_a=lease_a, lease_b=lease_b, contact_a=contact_a)


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def client_for(client):
    """``client_for(user)`` → the Django test client logged in as that user."""

    def login(user):
        client.force_login(user)
        return client

    return login


def bearer(user) -> dict:
    """Test-client keyword arguments that authenticate an API call as ``user`` with a fresh token."""
    from core.accounts import tokens

    _token, key = tokens.token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def units_file(rows) -> bytes:
    """An .xlsx of units under the import's Chinese headers, one list per row."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["楼宇编码", "楼层", "房号", "面积", "用途", "租金"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def attachment_root(settings, tmp_path):
    """Documents' files of this test go to its own temporary directory (never var/)."""
    settings.YUANQU_ATTACHMENT_ROOT = tmp_path / "attachments"
    return settings.YUANQU_ATTACHMENT_ROOT


@pytest.fixture
def reminder_rules(db):
    """The seed reminder rules of core migration 0011 (a transactional test's flush empties the table)."""
    import importlib

    from core.models import ReminderRule

    importlib.import_module("core.migrations.0011_reminders").seed_rules(ReminderRule)
    return {(rule.kind, rule.days_before): rule for rule in ReminderRule.objects.all()}
