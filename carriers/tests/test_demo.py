"""The demo district's carriers reproduce the letter when counted through the selectors the pages use: 44
approved in 2020, the platforms it names, the 5G centre seeking national level, an upgrade with its history."""

import datetime
import io
import re

import pytest
from django.core.management import call_command

from carriers import selectors
from carriers.models import Carrier
from core.models import User

TODAY = datetime.date(2026, 6, 30)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.django_db
def test_the_demo_counts_44_new_carriers_in_2020_and_names_the_letters_platforms(client):
    call_command("load_demo", "--scale", "small", "--seed", "7", "--today", TODAY.isoformat(), stdout=io.StringIO())
    officer = User.objects.get(username="officer")
    counts = selectors.carrier_counts(user=officer)
    assert counts.new_in(2020) == 44
    assert counts.total == selectors.current_carriers(user=officer).count() > 200
    assert 150 < counts.municipal_or_above < 250  # below 凤巢计划's 250
    named = Carrier.objects.filter(approved_on__year=2020, host_enterprise__isnull=True)
    assert set(named.values_list("name", flat=True)) >= {
        "深圳国际量子研究院", "国家药品监督管理局药品审评检查大湾区分中心", "国家药品监督管理局医疗器械技术审评检查大湾区分中心",
        "粤港澳大湾区人工智能研究院", "广东省5G中高频器件创新中心", "商汤人工智能研究中心", "国家金融科技测评中心"}
    centre = Carrier.objects.get(name="广东省5G中高频器件创新中心")
    assert (centre.level, centre.target_level, centre.kind, centre.zone.code) == (
        "provincial", "national", "manufacturing_centre", "hetao")
    upgraded = Carrier.objects.get(status="upgraded")
    assert [c.level for c in upgraded.history()] == ["municipal", "provincial"]
    assert Carrier.objects.filter(status="revoked").count() == 5
    # The demo accounts see their share: the operator its buildings' carriers, the enterprise the one it hosts.
    operator = User.objects.get(username="operator")
    assert 0 < selectors.carrier_list(user=operator).count() < Carrier.objects.count()
    assert selectors.carrier_list(user=User.objects.get(username="enterprise")).count() == 1
    client.force_login(officer)
    page = client.get("/carriers/counts/").content.decode()
    row = re.search(r'\?year=2020">2020</a></td>(.*?)</tr>', page).group(1)
    assert '<td class="text-end fw-semibold">44</td>' in row
