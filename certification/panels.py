"""What certification adds to other apps' pages and records (registered in CertificationConfig.ready): the
certifications panel on a park's and a building's page, and the documents an application takes."""

from django.utils.translation import gettext_lazy as _

from core.attachments.registry import register_attachable, register_kind
from core.surfaces.extensions import add_detail_panel

from . import selectors

APPLICATION_EVIDENCE = register_kind("certification_evidence", _("Supporting document of an application"))


def park_panel(request, park, context):
    return {"certifications": selectors.certifications_of_subject(user=request.user, park=park), "subject": park}


def building_panel(request, building, context):
    return {"certifications": selectors.certifications_of_subject(user=request.user, park=building.park,
                                                                  building=building), "subject": building}


def register():
    add_detail_panel("spaces.park", "certification/subject_panel.html", park_panel)
    add_detail_panel("spaces.building", "certification/subject_panel.html", building_panel)
    register_attachable("certification.application", kinds=[APPLICATION_EVIDENCE],
                        owner=lambda application: application.park, owner_model="spaces.park")
