"""The generic tests (yuanqu/generic_tests.py) of innovation carriers: officers keep them, leaders read them; an
operator sees the carriers in its parks' buildings and an enterprise those it hosts, and neither changes them."""

import datetime

from carriers.models import ENDED, Carrier
from yuanqu.generic_tests import ModelTests

NAME = {"a": "甲", "b": "乙"}


class TestCarrier(ModelTests):
    model = Carrier
    expected = {"admin": "vacd", "officer": "vacd", "leader": "v", "operator": "v", "enterprise": "v", "expert": ""}
    update = {"field": "第五代移动通信"}

    def sample(self, world, side, **overrides):
        if overrides.get("status") in ENDED:  # a revoked or upgraded carrier has the day it ended
            overrides = {"ended_on": datetime.date(2023, 3, 1), "end_reason": "撤销认定", **overrides}
        return Carrier.objects.create(**{
            "code": f"gen-{side}", "name": f"样本载体{NAME[side]}", "kind": "key_lab", "level": "municipal",
            "approved_on": datetime.date(2020, 6, 30), "host_enterprise": world.on(side).tenant,
            "zone": world.area, "building": world.on(side).building, **overrides})

    def create_data(self, world, side):
        return {"code": f"new-{side}", "name": "深圳市新型显示重点实验室", "kind": "key_lab", "level": "municipal",
                "status": "operating", "approved_on": "2021-03-15", "host_enterprise": world.on(side).tenant.credit_code,
                "zone": world.area, "building": world.on(side).building}

    def api_create_data(self, world, side):
        return {**self.create_data(world, side), "host_enterprise": world.on(side).tenant.pk}

    def import_row(self, world, obj):
        return {"载体编码": obj.code, "领域": "第五代移动通信"}
