"""The apps' parts of the demo data: the order their steps run in, and what a new part may change.

The demo district is planned in memory here (no database): the small scale, a few seconds a build.
"""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured

from demo import parts as registry
from demo.parts import DISTRICT, SYNTHETIC, Part
from demo.plan import DistrictPlan

TODAY = datetime.date(2025, 6, 30)


def test_steps_run_in_the_order_the_parts_declare():
    # The first three parts draw from one random source in turn: this order is part of the data.
    assert [s.key for s in registry.steps(DISTRICT)] == [
        "spaces.places",
        "enterprises.named",
        "leasing.occupancy",
        "enterprises.population",
        "leasing.leases",
        "enterprises.details",
    ]
    assert [s.key for s in registry.steps(SYNTHETIC)] == ["spaces.places", "enterprises.people", "spaces.units",
                                                          "certification.records", "policies.facts"]
    assert [p.app for p in registry.parts()] == ["core", "spaces", "enterprises", "leasing", "certification", "policies",
                                                 "carriers", "finance", "projects"]
    # Flushes empty the last part's tables first, so no foreign key is left pointing at a deleted row.
    tables = [name for p in reversed(registry.parts()) for name, _model in p.tables]
    assert tables.index("lease_units") < tables.index("units") and tables.index("leases") < tables.index("enterprises")
    assert tables.index("enterprises") < tables.index("operators")  # an enterprise may be registered by an operator
    assert tables.index("carriers") < tables.index("enterprises") and tables.index("carriers") < tables.index("buildings")
    assert tables.index("fund_investments") < tables.index("funds") < tables.index("fund_managers")
    assert tables.index("guidance_commitments") < tables.index("funds") and tables.index("funds") < tables.index("enterprises")
    assert tables.index("supervision_checks") < tables.index("funds") and tables.index("fund_services") < tables.index("funds")
    assert tables.index("fund_investments") < tables.index("enterprises")
    assert tables.index("cohort_resources") < tables.index("cohort_members") < tables.index("intakes") < tables.index(
        "programmes") < tables.index("parks")
    assert tables.index("cohort_members") < tables.index("enterprises")
    assert tables.index("certifications") < tables.index("parks") and tables.index("incubatees") < tables.index("enterprises")


def test_a_step_naming_a_missing_step_or_waiting_in_a_circle_is_refused(monkeypatch):
    first, second = Part("first"), Part("second")
    first.district.step("a")(lambda plan: None)
    second.district.step("b", after=["first.a"], before=["first.c"])(lambda plan: None)
    monkeypatch.setattr(registry, "parts", lambda: (first, second))
    with pytest.raises(ImproperlyConfigured, match="names first.c, which no installed part declares"):
        registry.steps(DISTRICT)

    first.district.step("c", after=["second.b"])(lambda plan: None)
    second.district.step("d", before=["first.a"])(lambda plan: None)  # after second.b, itself after first.a
    with pytest.raises(ImproperlyConfigured, match="wait for each other: first.a, first.c, second.b, second.d"):
        registry.steps(DISTRICT)


def district_records(plan):
    return (
        [(e.name, e.credit_code, e.established, e.address) for e in plan.enterprises],
        [(u.building.code, u.code, u.cents, u.status, u.vacant_since) for p in plan.parks for b in p.buildings
         for u in b.units],
        [(le.contract_number, le.tenant.name, le.start, le.end, le.rent) for le in plan.leases],
        [(q.enterprise.name, q.certificate_number) for q in plan.qualifications],
        [(c.name, c.mobile) for c in plan.contacts],
    )


def test_a_new_part_drawing_from_its_own_stream_changes_no_other_record(monkeypatch):
    installed = registry.parts()
    before = district_records(DistrictPlan(seed=11, scale="small", today=TODAY).build())

    drawn = {}

    def with_extra(source):
        """A part whose step runs between spaces and enterprises and draws 500 numbers from ``source``."""
        extra = Part("extra")

        @extra.district.step("certificates", after=["spaces.places"], before=["enterprises.named"])
        def draw(plan):
            rng = plan.stream("extra") if source == "stream" else plan.rng
            drawn[source] = [rng.random() for _ in range(500)]

        return (*installed, extra)

    monkeypatch.setattr(registry, "parts", lambda: with_extra("stream"))
    assert [s.key for s in registry.steps(DISTRICT)][:2] == ["spaces.places", "extra.certificates"]
    assert district_records(DistrictPlan(seed=11, scale="small", today=TODAY).build()) == before
    # Its own draws are the same each time and its own: another seed or name gives others.
    assert DistrictPlan(seed=11).stream("extra").random() == drawn["stream"][0]
    assert DistrictPlan(seed=12).stream("extra").random() != drawn["stream"][0]
    assert DistrictPlan(seed=11).stream("other").random() != drawn["stream"][0]

    # The same part drawing from the shared source would have changed every enterprise and lease after it.
    monkeypatch.setattr(registry, "parts", lambda: with_extra("shared"))
    enterprises, units, leases, _q, _c = district_records(DistrictPlan(seed=11, scale="small", today=TODAY).build())
    assert [u[:3] for u in units] == [u[:3] for u in before[1]]  # areas were planned before the new step
    assert [u[3:] for u in units] != [u[3:] for u in before[1]]  # which units are let was planned after it
    assert [e[1] for e in enterprises] != [e[1] for e in before[0]]
    assert leases != before[2]
