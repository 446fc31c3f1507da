"""The generic tests (yuanqu/generic_tests.py) of enterprises, qualifications and contacts."""

import datetime
from decimal import Decimal

from enterprises.choices import QualificationKind
from enterprises.models import Contact, Enterprise, FinancialYear, Qualification
from yuanqu.generic_tests import ModelTests, credit_code

NAME = {"a": "甲", "b": "乙"}


class TestEnterprise(ModelTests):
    model = Enterprise
    # An operator records its tenants and changes them, but deletes none; an enterprise user sees its own.
    expected = {"admin": "vacd", "officer": "vacd", "leader": "v", "operator": "vac", "enterprise": "v", "expert": ""}
    create_sides = "a"  # an enterprise an operator records is registered by that operator: always its own
    update = {"address": "深圳市福田区福华三路88号"}

    def sample(self, world, side, **overrides):
        # Side a: registered by operator A, and enterprise A's account is linked to it.
        enterprise = Enterprise.objects.create(**{
            "name": f"样本科技{NAME[side]}有限公司", "credit_code": credit_code(1 if side == "a" else 2),
            "registered_by": world.on(side).operator, **overrides})
        if side == "a":
            enterprise.users.add(world.users["enterprise"])
        return enterprise

    def create_data(self, world, side):
        return {"name": "深圳新登记科技有限公司", "credit_code": credit_code(3), "industry": "6511",
                "established_on": "2020-05-20", "registered_capital": "500"}

    def import_row(self, world, obj):
        return {"统一社会信用代码": obj.credit_code, "注册地址": "深圳市福田区福华三路88号"}


class TestQualification(ModelTests):
    model = Qualification
    expected = {"admin": "vacd", "officer": "vacd", "leader": "v", "operator": "v", "enterprise": "v", "expert": ""}
    update = {"certificate_number": "GR202444209999"}
    ISSUED = datetime.date(2024, 12, 2)

    def sample(self, world, side, **overrides):
        return Qualification.objects.create(**{
            "enterprise": world.on(side).tenant, "kind": QualificationKind.HIGH_TECH, "issued_on": self.ISSUED,
            "certificate_number": f"GR2024442000{1 if side == 'a' else 2}", **overrides})

    def create_data(self, world, side):
        return {"enterprise": world.on(side).tenant.credit_code, "kind": QualificationKind.HIGH_TECH,
                "certificate_number": "GR202344200123", "issued_on": "2023-11-15"}

    def api_create_data(self, world, side):
        return {**self.create_data(world, side), "enterprise": world.on(side).tenant.pk}

    def import_row(self, world, obj):
        return {"统一社会信用代码": obj.enterprise.credit_code, "资质类型": "国家高新技术企业",
                "发证日期": "2024年12月2日", "证书编号": "GR202444209999"}


class TestContact(ModelTests):
    model = Contact
    expected = {"admin": "vacd", "officer": "vacd", "leader": "v", "operator": "vac", "enterprise": "v", "expert": ""}
    update = {"title": "财务总监"}
    PERSON = {"a": ("王小明", "13900001111"), "b": ("赵小红", "13700002222")}  # listed masked: 王**, 赵**

    def sample(self, world, side, **overrides):
        name, mobile = self.PERSON[side]
        return Contact.objects.create(**{"enterprise": world.on(side).tenant, "name": name, "mobile": mobile,
                                         "title": "行政主管", **overrides})

    def create_data(self, world, side):
        return {"enterprise": world.on(side).tenant.credit_code, "name": "孙立", "title": "董事会秘书",
                "mobile": "13600003333", "email": "sunli@example.cn"}


class TestFinancialYear(ModelTests):
    model = FinancialYear
    # An enterprise reports its own figures; operators read their tenants'.
    expected = {"admin": "vacd", "officer": "vacd", "leader": "v", "operator": "v", "enterprise": "vac", "expert": ""}
    update = {"revenue": Decimal("13800000.00")}

    def sample(self, world, side, **overrides):
        return FinancialYear.objects.create(**{
            "enterprise": world.on(side).tenant, "year": 2024, "revenue": Decimal("12000000.00"),
            "rd_expense": Decimal("1500000.00"), **overrides})

    def create_data(self, world, side):
        return {"enterprise": world.on(side).tenant.credit_code, "year": 2025, "revenue": "15000000",
                "rd_expense": "2100000", "tax_paid": "800000", "source": "年度审计报告"}

    def api_create_data(self, world, side):
        return {**self.create_data(world, side), "enterprise": world.on(side).tenant.pk}

    def import_row(self, world, obj):
        return {"统一社会信用代码": obj.enterprise.credit_code, "年度": str(obj.year), "营业收入": "1380万"}
