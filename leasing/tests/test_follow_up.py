"""The renewal follow-up of expiring leases (待跟进 / 洽谈中 / 已续约 / 不续约): recorded from the expiry queue,
kept as a history, shown, filtered and exported; its overdue next contacts read by followups_due."""

import csv
import datetime
import io
import json
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import DomainEvent
from leasing import selectors, services
from leasing.choices import FollowUpStatus
from leasing.models import Lease
from yuanqu.testing import bearer

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)
QUEUE = "/leasing/expiring/"


def follow_up(world, status, note="", next_contact_on=None, user_key="operator", lease=None):
    return services.lease_follow_up(user=world.users[user_key], instance=lease or world.lease_a, status=status,
                                    note=note, next_contact_on=next_contact_on)


def rows(response):
    return [(lease.contract_number, lease.get_follow_up_display()) for lease in response.context["page"]]


def test_each_entry_is_kept_and_the_latest_is_the_lease_follow_up(world, client_for):
    follow_up(world, FollowUpStatus.TALKING, "企业希望租金不涨", TODAY + 7 * DAY)
    follow_up(world, FollowUpStatus.DECLINED, "企业明年迁往南山", user_key="officer")
    world.lease_a.refresh_from_db()
    assert (world.lease_a.follow_up, world.lease_a.next_contact_on) == (FollowUpStatus.DECLINED, None)
    entries = list(world.lease_a.follow_ups.order_by("pk").values_list("status", "note", "next_contact_on", "user_name"))
    assert entries == [("talking", "企业希望租金不涨", TODAY + 7 * DAY, "t_operator"),
                       ("declined", "企业明年迁往南山", None, "t_officer")]
    events = DomainEvent.objects.filter(name="leasing.lease.follow_up").order_by("pk")
    assert [e.data["status"] for e in events] == ["talking", "declined"]
    assert events[0].data["next_contact_on"] == (TODAY + 7 * DAY).isoformat() and events[0].user_name == "t_operator"
    page = client_for(world.users["officer"]).get(world.lease_a.get_absolute_url()).content.decode()
    history = page[page.index('id="follow-ups"'):]
    assert history.index("企业明年迁往南山") < history.index("企业希望租金不涨")  # newest first
    assert "t_operator" in history and "洽谈中" in history and "不续约" in history


def test_a_lease_without_entries_is_to_be_followed_up(world, client_for):
    response = client_for(world.users["operator"]).get(QUEUE)
    assert rows(response) == [("HT-A-001", "待跟进")]
    page = client_for(world.users["operator"]).get(world.lease_a.get_absolute_url()).content.decode()
    assert "还没有跟进记录：本租约待跟进。" in page


def test_renewed_is_not_a_choice_a_person_makes(world, client):
    with pytest.raises(ValidationError) as error:
        follow_up(world, FollowUpStatus.RENEWED)
    assert "status" in error.value.message_dict
    response = client.post(f"/api/leasing/leases/{world.lease_a.pk}/follow_up", json.dumps({"status": "renewed"}),
                           content_type="application/json", **bearer(world.users["officer"]))
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "status"
    assert not world.lease_a.follow_ups.exists()


def test_a_next_contact_before_today_is_refused(world, client_for):
    with pytest.raises(ValidationError) as error:
        follow_up(world, FollowUpStatus.TALKING, next_contact_on=TODAY - DAY)
    assert error.value.message_dict["next_contact_on"] == ["下次联系日期不能早于今天。"]
    response = client_for(world.users["operator"]).post(
        reverse("leasing:lease_follow_up", args=[world.lease_a.pk]),
        {"status": "talking", "next_contact_on": (TODAY - DAY).isoformat()})
    assert response.status_code == 400 and "下次联系日期：下次联系日期不能早于今天。" in response.content.decode()


def test_another_operator_cannot_follow_up_and_leaders_and_enterprises_may_not(world, client, client_for):
    url = f"/api/leasing/leases/{world.lease_a.pk}/follow_up"
    body = json.dumps({"status": "talking"})
    assert client.post(url, body, content_type="application/json", **bearer(world.users["operator_b"])).status_code == 404
    for key in ("leader", "enterprise"):
        assert client.post(url, body, content_type="application/json", **bearer(world.users[key])).status_code == 403
    assert client_for(world.users["operator_b"]).get(
        reverse("leasing:lease_follow_up", args=[world.lease_a.pk])).status_code == 404
    assert not world.lease_a.follow_ups.exists()


def test_the_queue_row_records_a_follow_up_and_returns_to_the_filtered_queue(world, client_for):
    client = client_for(world.users["operator"])
    queue = f"{QUEUE}?park={world.park_a.pk}&within=60"
    page = client.get(queue).content.decode()
    link = reverse("leasing:lease_follow_up", args=[world.lease_a.pk]) + "?next=" + quote(queue, safe="")
    assert f'href="{link}"' in page.replace("&amp;", "&")
    form = client.get(link).content.decode()
    assert f'name="next" value="{queue.replace("&", "&amp;")}"' in form
    response = client.post(reverse("leasing:lease_follow_up", args=[world.lease_a.pk]), {
        "status": "talking", "note": "约下周二面谈", "next_contact_on": (TODAY + 5 * DAY).isoformat(), "next": queue})
    assert response.status_code == 302 and response["Location"] == queue
    after = client.get(queue)
    assert rows(after) == [("HT-A-001", "洽谈中")]
    assert "约下周二面谈" in after.content.decode()


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)",
                                    "\\\\evil.example", "/\\evil.example", "leasing/expiring/"])
def test_next_takes_only_a_local_path(world, client_for, target):
    client = client_for(world.users["operator"])
    url = reverse("leasing:lease_follow_up", args=[world.lease_a.pk])
    page = client.get(url, {"next": target}).content.decode()
    form = page[page.index('<form method="post" class="card'):]
    assert '<input type="hidden" name="next"' not in form
    assert f'<a class="btn btn-link" href="{world.lease_a.get_absolute_url()}">' in form  # 取消 leads to the lease
    response = client.post(url, {"status": "talking", "next": target})
    assert response.status_code == 302 and response["Location"] == world.lease_a.get_absolute_url()


def test_the_queue_filters_by_follow_up(world, client_for):
    many = [Lease(enterprise=world.tenant_a, park=world.park_a, contract_number=f"HT-Q-{n}", start_date=TODAY - 100 * DAY,
                  end_date=TODAY + (10 + n) * DAY, monthly_rent=Decimal("100"), leased_area=Decimal("10"))
            for n in range(3)]
    Lease.objects.bulk_create(many)
    follow_up(world, FollowUpStatus.TALKING, lease=Lease.objects.get(contract_number="HT-Q-0"))
    follow_up(world, FollowUpStatus.DECLINED, lease=Lease.objects.get(contract_number="HT-Q-1"))
    services.lease_renew(user=world.users["operator"], instance=world.lease_a, end_date=TODAY + 800 * DAY,
                         monthly_rent=Decimal("150"), contract_number="HT-A-002")
    client = client_for(world.users["operator"])
    assert rows(client.get(QUEUE)) == [("HT-Q-0", "洽谈中"), ("HT-Q-1", "不续约"), ("HT-Q-2", "待跟进"),
                                       ("HT-A-001", "已续约")]
    assert rows(client.get(QUEUE, {"follow_up": "pending"})) == [("HT-Q-2", "待跟进")]
    assert rows(client.get(QUEUE, {"follow_up": "renewed"})) == [("HT-A-001", "已续约")]
    response = client.get(QUEUE, {"follow_up": "talking"})
    assert rows(response) == [("HT-Q-0", "洽谈中")]
    assert [c["count"] for c in response.context["cards"]] == [1, 1, 1]  # the cards follow the filter


def test_the_renew_button_shows_while_renewal_is_possible(world, client_for):
    client = client_for(world.users["operator"])
    renew_link = reverse("leasing:lease_renew", args=[world.lease_a.pk]) + "?next="
    assert renew_link in client.get(QUEUE).content.decode()
    services.lease_renew(user=world.users["operator"], instance=world.lease_a, end_date=TODAY + 800 * DAY,
                         monthly_rent=Decimal("150"))
    page = client.get(QUEUE).content.decode()
    assert renew_link not in page and "已续约" in page
    leader_page = client_for(world.users["leader"]).get(QUEUE).content.decode()
    assert "已续约" in leader_page and 'data-action="' not in leader_page  # a leader reads, takes no action


def test_an_overdue_next_contact_is_marked_and_due(world, client_for):
    follow_up(world, FollowUpStatus.TALKING, "等企业回复", TODAY + 2 * DAY)
    assert list(selectors.followups_due(TODAY)) == []
    assert list(selectors.followups_due(TODAY + 2 * DAY)) == []  # due from the day after
    assert list(selectors.followups_due(TODAY + 3 * DAY)) == [world.lease_a]
    Lease.objects.filter(pk=world.lease_a.pk).update(next_contact_on=TODAY - DAY)
    page = client_for(world.users["operator"]).get(QUEUE).content.decode()
    assert "逾期" in page


def test_followups_due_leaves_out_closed_talks_and_other_scopes(world):
    follow_up(world, FollowUpStatus.PENDING, next_contact_on=TODAY + DAY)
    follow_up(world, FollowUpStatus.DECLINED, next_contact_on=TODAY + DAY, lease=world.lease_b, user_key="officer")
    later = TODAY + 10 * DAY
    assert list(selectors.followups_due(later)) == [world.lease_a]
    assert list(selectors.followups_due(later, user=world.users["operator_b"])) == []
    assert list(selectors.followups_due(later, user=world.users["operator"])) == [world.lease_a]
    services.lease_renew(user=world.users["operator"], instance=world.lease_a, end_date=TODAY + 800 * DAY,
                         monthly_rent=Decimal("150"))
    assert list(selectors.followups_due(later)) == []  # renewing closes the talks


def test_the_export_has_the_follow_up_columns(world, client_for):
    follow_up(world, FollowUpStatus.TALKING, "=HYPERLINK(\"x\")", TODAY + 7 * DAY)
    response = client_for(world.users["operator"]).get(reverse("leasing:expiry_export"), {"format": "csv"})
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert lines[0][-3:] == ["续约跟进", "跟进情况", "下次联系日期"]
    assert lines[1][7:] == ["HT-A-001", "洽谈中", "'=HYPERLINK(\"x\")", (TODAY + 7 * DAY).isoformat()]


def test_an_enterprise_sees_no_follow_up(world, client_for):
    follow_up(world, FollowUpStatus.DECLINED, "企业资金紧张，恐难续约")
    client = client_for(world.users["enterprise"])
    response = client.get(QUEUE, {"follow_up": "talking"})
    assert [lease.contract_number for lease in response.context["page"]] == ["HT-A-001"]  # the filter is not offered
    assert "恐难续约" not in response.content.decode() and "不续约" not in response.content.decode()
    assert "恐难续约" not in client.get(world.lease_a.get_absolute_url()).content.decode()
    export = client.get(reverse("leasing:expiry_export"), {"format": "csv"})
    header = b"".join(export.streaming_content).decode("utf-8-sig").splitlines()[0]
    assert "续约跟进" not in header


def test_a_terminated_lease_without_entries_shows_no_follow_up(world, client_for):
    services.lease_terminate(user=world.users["officer"], instance=world.lease_a, terminated_on=TODAY)
    page = client_for(world.users["officer"]).get(world.lease_a.get_absolute_url()).content.decode()
    assert 'id="follow-ups"' not in page and "待跟进" not in page
    page = client_for(world.users["officer"]).get(world.lease_b.get_absolute_url()).content.decode()
    assert 'id="follow-ups"' in page and "待跟进" in page


def test_the_openapi_schema_shows_each_action_inputs(world, client):
    paths = client.get("/api/openapi.json", **bearer(world.users["officer"])).json()["paths"]

    def inputs(verb):
        operation = paths[f"/api/leasing/leases/{{pk}}/{verb}"]["post"]
        return operation["requestBody"]["content"]["application/json"]["schema"]

    renew = inputs("renew")
    assert renew["required"] == ["end_date", "monthly_rent"]
    assert renew["properties"]["end_date"] == {"type": "string", "format": "date", "title": "end date"}
    move = inputs("move")
    assert move["properties"]["units"]["type"] == "array" and set(move["required"]) == {"units", "moved_on"}
    follow = inputs("follow_up")
    assert follow["properties"]["status"]["enum"] == ["pending", "talking", "declined"]
