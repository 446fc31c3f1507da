"""A file's name is data shown to others: the direction marks that make 合同‮fdp.exe read as 合同exe.pdf are taken
out of it before it is stored, shown or sent back in a download's Content-Disposition."""

import pytest
from django.urls import reverse

from core.attachments import files
from core.models import Attachment
from core.tests import attachment_files as samples

RLO = "\u202e"


@pytest.mark.parametrize("mark", ["\u202a", "\u202b", "\u202c", "\u202d", RLO, "\u2066", "\u2067", "\u2068",
                                  "\u2069", "\u200e", "\u200f", "\u061c"])
def test_a_file_name_loses_its_direction_marks(mark):
    assert files.clean_name(f"租赁合同{mark}fdp.exe") == "租赁合同fdp.exe"


@pytest.mark.usefixtures("attachment_root")
def test_a_spoofed_name_is_neither_stored_shown_nor_downloaded(world, client_for):
    client = client_for(world.users["operator"])
    url = reverse("core:attachment_upload", args=["leasing.lease", world.lease_a.pk])
    response = client.post(url, {"kind": "lease_contract", "title": "",
                                 "file": samples.upload(f"合同{RLO}gnp.pdf\"; x=\"y", samples.PNG)})
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    version = attachment.document.versions.get()
    assert RLO not in version.original_name and RLO not in attachment.document.title
    assert RLO not in client.get(world.lease_a.get_absolute_url()).content.decode()
    download = client.get(reverse("core:attachment_download", args=[attachment.pk]))
    disposition = download["Content-Disposition"]
    assert download.status_code == 200 and "%E2%80%AE" not in disposition and "\n" not in disposition
    assert disposition.startswith("attachment; filename*=utf-8''") and disposition.endswith(".png")
