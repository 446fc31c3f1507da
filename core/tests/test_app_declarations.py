"""What the apps declare for core's pages (home figures and blocks, field templates, map links) shows as the
pages always showed it, and a new app's declarations take their place without core naming the app."""

import re

import pytest
from django.urls import reverse

from core.surfaces import home
from core.surfaces.forms import BaseModelForm

KNOWN = {"园区", "楼宇", "单元", "企业", "生效租约", "90 天内到期租约", "空置超过 6 个月的单元"}


def figures(html: str, only_known=True) -> list[tuple[str, str]]:
    """(label, number) of each figure, without those of apps added since."""
    found = re.findall(r'<div class="col">(?:<a [^>]+>)?<div class="yq-stat"><div class="label">([^<]+)</div>'
                       r'<div class="value[^"]*">([^<]+)</div>', html)
    return [(label, value) for label, value in found if label in KNOWN or not only_known]


def test_the_district_home_shows_the_figures_of_every_app_in_their_order(world, client_for):
    html = client_for(world.users["officer"]).get("/").content.decode()
    assert figures(html) == [("园区", "2"), ("楼宇", "2"), ("单元", "4"), ("企业", "2"), ("生效租约", "2"),
                                 ("90 天内到期租约", "1"), ("空置超过 6 个月的单元", "1")]
    assert f'<a class="text-decoration-none" href="{reverse("leasing:expiry_queue")}">' in html
    assert '<div class="value text-danger">1</div>' in html
    assert 'id="zone-chart"' in html and 'id="zone-data"' in html and "6511" not in html
    assert html.index("echarts.min.js") < html.index("js/home.js")


def test_an_operator_sees_its_own_parks_figures(world, client_for):
    html = client_for(world.users["operator"]).get("/").content.decode()
    assert figures(html) == [("园区", "1"), ("楼宇", "1"), ("单元", "3"), ("企业", "1"), ("生效租约", "1"),
                                 ("90 天内到期租约", "1"), ("空置超过 6 个月的单元", "1")]
    assert "我的园区" in html


def test_an_enterprise_user_sees_its_enterprise_and_leases_and_no_figures(world, client_for):
    html = client_for(world.users["enterprise"]).get("/").content.decode()
    assert figures(html) == [] and "zone-chart" not in html and "echarts" not in html
    assert '<div class="card-header">我的企业</div>' in html and "荣耀终端有限公司" in html
    assert '<div class="card-header">我的租约</div>' in html and "HT-A-001" in html and "HT-B-001" not in html


def test_an_enterprise_user_without_an_enterprise_sees_neither_card(world, client_for):
    world.tenant_a.users.clear()
    html = client_for(world.users["enterprise"]).get("/").content.decode()
    assert "我的租约" not in html and '<div class="card-header">我的企业</div>' not in html


@pytest.fixture
def declarations():
    """Declarations made by a test are taken back afterwards."""
    sections, figures_, context = dict(home.SECTIONS), list(home.FIGURES), {k: list(v) for k, v in home.CONTEXT.items()}
    yield
    home.SECTIONS.clear()
    home.SECTIONS.update(sections)
    home.FIGURES[:] = figures_
    home.CONTEXT.clear()
    home.CONTEXT.update(context)


def test_a_new_apps_figure_and_block_take_the_place_their_weights_give(world, client_for, declarations):
    home.add_figure("spaces.overview", "Parking spaces", lambda request, page: 120, weight=65,
                    url_name="no_such_page")
    home.add_section("parking.free", template="core/home_figures.html", weight=150,
                     context=lambda request, page: {"figures": [{"label": "Free tonight", "value": 7}]}
                     if page.get("occupancy") else None, scripts=("js/home.js", "js/parking.js"))
    html = client_for(world.users["officer"]).get("/").content.decode()
    labels = [label for label, _value in figures(html, only_known=False)]
    assert labels.index("Parking spaces") == labels.index("90 天内到期租约") + 1
    assert labels.index("Parking spaces") + 1 == labels.index("空置超过 6 个月的单元")
    assert html.index("Free tonight") > html.index("zone-data")
    assert html.count("js/home.js") == 1 and "js/parking.js" in html
    assert "Free tonight" not in client_for(world.users["enterprise"]).get("/").content.decode()


def test_fields_bring_their_own_inputs_and_datalists(world, client_for):
    client = client_for(world.users["officer"])
    lease = client.get(reverse("leasing:lease_add")).content.decode()
    assert (f'<div id="yq-unit-options" class="border rounded p-2" style="max-height: 320px; overflow-y: auto" '
            f'data-depends-on="building" data-options-url="{reverse("leasing:unit_options")}">') in lease
    assert lease.count('<datalist id="enterprise-options"></datalist>') == 1
    enterprise = client.get(reverse("enterprises:enterprise_add")).content.decode()
    assert enterprise.count('<datalist id="industry-classes">') == 1 and "enterprise-options" not in enterprise
    unit = client.get(reverse("spaces:unit_add")).content.decode()
    assert "<datalist" not in unit and "yq-unit-options" not in unit


def test_a_template_two_fields_ask_for_is_included_once():
    from django import forms

    from enterprises.forms import EnterpriseField
    from leasing.models import Lease

    class TwoEnterprises(BaseModelForm):
        enterprise = EnterpriseField()
        other = EnterpriseField(required=False)
        note = forms.CharField(required=False)

        class Meta:
            model = Lease
            fields = ["enterprise"]

    assert TwoEnterprises().page_templates == ["enterprises/enterprise_datalist.html"]


def test_a_boundary_links_to_the_map_its_model_names(world, client_for):
    world.zone.geometry = {"type": "Polygon", "coordinates": [[[114.0, 22.5], [114.1, 22.5], [114.1, 22.6],
                                                               [114.0, 22.5]]]}
    world.zone.save()
    html = client_for(world.users["officer"]).get(world.zone.get_absolute_url()).content.decode()
    assert f'边界共 4 个点 <a href="{reverse("spaces:map")}">' in html
