"""Assessment rounds under writers that meet (PostgreSQL: real threads, real transactions): closing a round twice at
once, and an expert scoring while the round closes. Both take the round's row lock before they read."""

import pytest
from django.http import Http404

from certification import services
from certification.choices import Grade, RoundStatus
from certification.models import Assessment, AssessmentRound, ConflictDeclaration, ExpertScore
from core.actions import Refused
from core.models import DomainEvent
from yuanqu.racing import postgres_only, race

from .generic_rounds import assessment_of, certification_of, round_of, scheme_with_version

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]

ROUNDS = 10


def scoring_rounds(world, count):
    made = []
    for _number in range(count):
        scheme, version = scheme_with_version()
        round_ = round_of(world, "a", scheme, version, status=RoundStatus.SCORING)
        assessment = assessment_of(round_, certification_of(world, "a", scheme, version),
                                   computed={"subject.incubatee_count": 50, "subject.occupancy": 9000})
        made.append((round_, assessment))
    return made


def test_closing_a_round_twice_at_once_closes_it_once(world):
    officer = world.users["officer"]
    rounds = scoring_rounds(world, ROUNDS)

    def close(number):
        round_ = AssessmentRound.objects.get(pk=rounds[number][0].pk)
        return services.round_close(user=officer, instance=round_)

    outcomes = race([close, close], rounds=ROUNDS)

    for number, pair in enumerate(outcomes):
        refused = [o for o in pair if isinstance(o, Refused)]
        done = [o for o in pair if isinstance(o, list)]
        assert (len(done), len(refused)) == (1, 1), (number, pair)  # never a database error
        assert "不能" in refused[0].message
        round_, assessment = rounds[number]
        assert DomainEvent.objects.filter(name="certification.assessmentround.close",
                                          object_id=str(round_.pk)).count() == 1
        assessment.refresh_from_db()
        assert (assessment.score, assessment.grade, assessment.rank) == (7000, Grade.C, 1)


def test_an_expert_scoring_while_the_round_closes_is_counted_or_refused(world):
    officer, expert = world.users["officer"], world.users["expert"]
    rounds = scoring_rounds(world, ROUNDS)
    for round_, _assessment in rounds:
        ConflictDeclaration.objects.create(round=round_, expert=expert, certification=None)

    def close(number):
        return services.round_close(user=officer, instance=AssessmentRound.objects.get(pk=rounds[number][0].pk))

    def score(number):
        assessment = Assessment.objects.get(pk=rounds[number][1].pk)
        return services.expert_scores_save(user=expert, assessment=assessment, scores={"E1": (100, "服务完善")})

    outcomes = race([close, score], rounds=ROUNDS)

    for number, (closed, scored) in enumerate(outcomes):
        assert isinstance(closed, list), (number, closed)
        assert isinstance(scored, (list, Refused)) and not isinstance(scored, Http404), (number, scored)
        _round, assessment = rounds[number]
        assessment.refresh_from_db()
        saved = ExpertScore.objects.filter(assessment=assessment).exists()
        # Scored first: the score is in the result (70 + 30 = 100). Closed first: refused, and nothing saved.
        assert saved is isinstance(scored, list), (number, scored)
        assert assessment.score == (10000 if saved else 7000), number
