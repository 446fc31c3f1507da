"""The menu entries of certification (core.surfaces.navigation)."""

from django.utils.translation import gettext_lazy as _

from core.surfaces.navigation import add_entry, add_group  # noqa: F401

add_group("certification", _("Certification"), weight=500)


# ----- schemes and their versions -----------------------------------------------------------------------------
add_entry("certification", _("Certification schemes"), "certification:scheme_list", weight=10,
          visible="certification.Scheme")
add_entry("certification", _("Scheme versions"), "certification:schemeversion_list", weight=20,
          visible="certification.SchemeVersion")


# ----- incubatees, service records, applications and certifications -------------------------------------------
add_entry("certification", _("Applications"), "certification:application_list", weight=30,
          visible="certification.Application")
add_entry("certification", _("Certifications"), "certification:certification_list", weight=40,
          visible="certification.Certification")
add_entry("certification", _("Incubatees"), "certification:incubatee_list", weight=50,
          visible="certification.Incubatee")
add_entry("certification", _("Service records"), "certification:servicerecord_list", weight=60,
          visible="certification.ServiceRecord")


# ----- yearly assessment rounds, experts and scores -----------------------------------------------------------
add_entry("certification", _("Assessment rounds"), "certification:assessmentround_list", weight=40,
          visible="certification.AssessmentRound")
add_entry("certification", _("My reviews"), "certification:my_reviews", weight=45,
          visible=lambda user: getattr(user, "role", None) == "expert")
