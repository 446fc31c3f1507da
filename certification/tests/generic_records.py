"""Generic test classes (collected through test_generic.py): incubatees, service records, applications and
certifications."""

import datetime
import itertools

from certification.choices import (
    CertificationStatus,
    SchemeCategory,
    SchemeLevel,
    ServiceArea,
    SubjectKind,
    VersionStatus,
)
from certification.models import Application, Certification, Incubatee, Scheme, SchemeVersion, ServiceRecord
from core.models import User
from core.reference.choices import Role
from yuanqu.generic_tests import ModelTests

_serial = itertools.count(1)

# A criterion the records answer (no value to supply): the area the park controls, at least 100 ㎡.
AREA_CRITERIA = {"all": [{"fact": "subject.area_controlled", "op": "ge", "value": 10000, "label": "管理面积"}]}


def sample_scheme(code="records-park", *, subject_kind=SubjectKind.PARK, criteria=None, validity_years=3,
                  effective_from=datetime.date(2020, 1, 1), level=SchemeLevel.DISTRICT) -> Scheme:
    """A scheme with one published version in force since 2020 (made once per code)."""
    scheme, made = Scheme.objects.get_or_create(code=code, defaults={
        "name": f"样本认定办法{code}", "category": SchemeCategory.SCIENCE_PARK, "subject_kind": subject_kind,
        "level": level, "issuer": "福田区科技创新局"})
    if made:
        SchemeVersion.objects.create(
            scheme=scheme, number=1, status=VersionStatus.PUBLISHED, effective_from=effective_from,
            validity_years=validity_years, criteria=criteria if criteria is not None else AREA_CRITERIA,
            source_document="福科规〔2020〕1号", content_hash="0" * 64)
    return scheme


def second_officer() -> User:
    """An officer other than the world's: the reviewer of the samples, so that either of the world's bureau
    users may approve them."""
    from core.models import Department

    user, made = User.objects.get_or_create(username="t_reviewer", defaults={
        "role": Role.BUREAU_OFFICER, "display_name": "初审经办人", "department": Department.objects.get(code="kcj")})
    return user


class TestIncubatee(ModelTests):
    model = Incubatee
    expected = {"admin": "vacd", "officer": "vacd", "leader": "v", "operator": "vacd", "enterprise": "", "expert": ""}
    update = {"note": "已签订孵化协议"}

    def sample(self, world, side, **overrides):
        return Incubatee.objects.create(**{
            "park": world.on(side).park, "enterprise": world.on(side).tenant,
            "entered_on": datetime.date(2024, 1, 1) + datetime.timedelta(days=next(_serial)), **overrides})

    def create_data(self, world, side):
        return {"park": world.on(side).park, "enterprise": world.on(side).tenant.credit_code,
                "entered_on": "2025-03-01", "industry_match": True}

    def api_create_data(self, world, side):
        return {**self.create_data(world, side), "enterprise": world.on(side).tenant.pk}

    def import_row(self, world, obj):
        return {"园区编码": obj.park.code, "统一社会信用代码": obj.enterprise.credit_code,
                "入孵日期": obj.entered_on.isoformat(), "备注": "已签订孵化协议"}


class TestServiceRecord(ModelTests):
    model = ServiceRecord
    expected = {"admin": "vacd", "officer": "vacd", "leader": "v", "operator": "vacd", "enterprise": "", "expert": ""}
    update = {"outcome": "企业获得科技贷款200万元"}

    def sample(self, world, side, **overrides):
        day = datetime.date(2026, 1, 1) + datetime.timedelta(days=2 * next(_serial) + (0 if side == "a" else 1))
        return ServiceRecord.objects.create(**{
            "park": world.on(side).park, "enterprise": world.on(side).tenant, "area": ServiceArea.FINANCE,
            "served_on": day, "description": "组织银企对接会", **overrides})

    def create_data(self, world, side):
        return {"park": world.on(side).park, "enterprise": world.on(side).tenant.credit_code,
                "area": ServiceArea.MARKET, "served_on": "2026-02-10", "description": "参加高交会展位对接"}

    def api_create_data(self, world, side):
        return {**self.create_data(world, side), "enterprise": world.on(side).tenant.pk}

    def import_row(self, world, obj):
        return {"园区编码": obj.park.code, "统一社会信用代码": obj.enterprise.credit_code, "服务领域": "科技金融",
                "服务日期": obj.served_on.isoformat(), "服务成效": "企业获得科技贷款200万元"}


class TestApplication(ModelTests):
    model = Application
    # An operator applies for its own parks and changes or deletes a draft; officers decide (the actions).
    expected = {"admin": "vacd", "officer": "vacd", "leader": "v", "operator": "vacd", "enterprise": "", "expert": ""}
    update = {"reference_date": datetime.date(2026, 1, 31)}

    def sample(self, world, side, **overrides):
        serial = next(_serial)
        # Reviewed and decided by another officer, so that a test may put it in any state (an approved one has
        # its decider) and either of the world's bureau users may take the next step.
        overrides.setdefault("reviewed_by", second_officer())
        overrides.setdefault("decided_by", second_officer())
        return Application.objects.create(**{
            "number": f"SQ-T{'A' if side == 'a' else 'B'}-{serial:04d}", "scheme": sample_scheme(),
            "park": world.on(side).park, "reference_date": datetime.date(2025, 12, 31), **overrides})

    def create_data(self, world, side):
        return {"park": world.on(side).park, "scheme": sample_scheme(), "reference_date": "2026-03-31"}


class TestCertification(ModelTests):
    model = Certification
    expected = {"admin": "vacd", "officer": "vacd", "leader": "v", "operator": "v", "enterprise": "", "expert": ""}
    update = {"valid_until": datetime.date(2029, 6, 30)}

    def sample(self, world, side, **overrides):
        scheme = sample_scheme()
        return Certification.objects.create(**{
            "scheme": scheme, "version": scheme.versions.get(), "park": world.on(side).park, "level": scheme.level,
            "certificate_number": f"FTKC-RZ-2019-{'A' if side == 'a' else 'B'}{next(_serial):04d}",
            "valid_from": datetime.date(2026, 7, 1), "valid_until": datetime.date(2029, 6, 30) - datetime.timedelta(
                days=1), "status": CertificationStatus.VALID, **overrides})

    def create_data(self, world, side):
        scheme = sample_scheme()
        return {"park": world.on(side).park, "scheme": scheme, "version": scheme.versions.get(),
                "level": SchemeLevel.DISTRICT, "certificate_number": f"FTKC-RZ-2018-{side.upper()}001",
                "valid_from": "2018-07-01", "valid_until": "2021-06-30", "status": CertificationStatus.EXPIRED}
