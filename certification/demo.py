"""Certification's part of the demo data (``demo.parts``). The synthetic records of ``manage.py generate`` are
described in ``certification.generate``."""

from demo.parts import Part

from . import generate
from .models import (
    Application,
    Assessment,
    AssessmentRound,
    Certification,
    ConflictDeclaration,
    ExpertScore,
    Incubatee,
    Scheme,
    SchemeVersion,
    ServiceRecord,
)

part = Part("certification", tables=[
    ("expert_scores", ExpertScore), ("conflict_declarations", ConflictDeclaration), ("assessments", Assessment),
    ("round_experts", AssessmentRound.experts.through), ("assessment_rounds", AssessmentRound),
    ("certifications", Certification), ("applications", Application), ("service_records", ServiceRecord),
    ("incubatees", Incubatee), ("scheme_versions", SchemeVersion), ("schemes", Scheme),
])

generate.register(part)
