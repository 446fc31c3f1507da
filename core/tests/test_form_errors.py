"""The summary above a refused form names the fields to correct, joined by 、 and closed by nothing."""

import re

from django.urls import reverse


def error_summary(response) -> str:
    match = re.search(r'<div[^>]*id="form-errors"[^>]*>(.*?)</div>', response.content.decode(), re.S)
    assert match, "the page has an error summary"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def test_error_summary_names_each_refused_field_once_without_a_trailing_separator(world, client_for):
    client = client_for(world.users["operator"])
    data = {"building": world.building_a.pk, "floor": world.floor_a.pk, "code": "1299", "area": "-5",
            "use": "office", "status": "vacant"}
    one = client.post(reverse("spaces:unit_add"), data)
    assert one.status_code == 400
    assert error_summary(one).endswith("面积（㎡）")
    two = client.post(reverse("spaces:unit_add"), {**data, "code": ""})
    summary = error_summary(two)
    assert summary.endswith("面积（㎡）") and not summary.endswith("、")
    assert summary.count("、") == 1 and "单元号、面积（㎡）" in summary
