"""The demo district's projects reproduce the letter when counted through the selectors the pages use."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from core.models import User
from projects import selectors
from projects.models import Project
from spaces.models import Zone

TODAY = datetime.date(2026, 6, 30)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.django_db
def test_the_demo_projects_reproduce_the_letters_figures(client):
    call_command("load_demo", "--scale", "small", "--seed", "7", "--today", TODAY.isoformat(), stdout=io.StringIO())
    leader = User.objects.get(username="leader")
    huafubei = selectors.project_list(user=leader).get(name="华富北片区棚户区改造项目")
    assert huafubei.relocation_rate_percent == "96.00"
    xiangmihu = selectors.zone_progress(user=leader, zone=Zone.objects.get(code="xiangmihu"))
    assert xiangmihu["area_demolished"] == Decimal("500000.00")  # 拆除历史违建近50万平方米
    assert xiangmihu["land_cleared"] == Decimal("1350000.00")  # 清理土地135万平方米
    hetao = Zone.objects.get(code="hetao")
    assert selectors.zone_progress(user=leader, zone=hetao)["landed"] == 138  # 实质推进和落地项目138个
    supply = list(selectors.future_supply(user=leader, zone=hetao))
    renovation = sum(d.area for d in supply if d.project.code == "KY-HT2")
    assert renovation == Decimal("150000.00")  # 新改造升级15万平方米科研空间, still to come
    assert all(d.expected_on > TODAY for d in supply)
    delivered = Project.objects.get(code="KY-HT1").deliveries.get()
    assert (delivered.status, delivered.area) == ("delivered", Decimal("370000.00"))
    named = set(Project.objects.values_list("name", flat=True))
    for place in ("华富村", "南华村", "长城开发", "三星工业区", "福田村", "岗厦村", "金地工业区", "石厦村", "皇岗口岸",
                  "黄木岗", "皇岗路", "彩梅立交", "梅林危险废物处理站"):
        assert any(place in name for name in named), place
    late = [m for p in Project.objects.filter(status="in_progress") for m in p.milestones.all() if m.is_late(TODAY)]
    assert late  # some milestones are late, so the reminders have something to say
    client.force_login(leader)
    page = client.get(hetao.get_absolute_url()).content.decode()
    assert "河套深圳园区科研空间改造升级" in page and 'data-testid="future-supply"' in page
    assert 'data-testid="landed-projects">138<' in page
