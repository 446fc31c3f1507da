"""Rules read, checked and then written, under writers that meet (PostgreSQL: real threads, real transactions):
unique codes and credit codes, the accounts linked to an operator, an import's commit and rollback, and the
lockout after failed logins."""

import json
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from stdnum.cn import uscc

from core import services as core_services
from core.accounts.tokens import token_create
from core.accounts.views import UserForm, user_save
from core.actions import Refused
from core.importing import jobs
from core.models import ApiToken, DomainEvent, ImportBatch, ImportStatus, ObjectChange, User
from core.reference.choices import Role
from core.reference.validators import check_credit_code, organisation_code_check_char
from core.surfaces import surface_for
from enterprises.models import Enterprise
from spaces.models import Operator, Park, Unit
from yuanqu.racing import call_api, postgres_only, race
from yuanqu.testing import PASSWORD, units_file

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]

ROUNDS = 20


def credit_codes(count: int) -> list[str]:
    codes = []
    for n in range(10_000_000, 10_100_000):
        head = f"91440304{n}{organisation_code_check_char(str(n))}"
        code = head + uscc.calc_check_digit(head)
        if check_credit_code(code).ok:
            codes.append(code)
            if len(codes) == count:
                return codes
    raise AssertionError("not enough credit codes")


# ----- a code two people take at the same moment -------------------------------------------------------------
def enterprise_body(world, number, which, codes):
    return {"name": f"竞争企业{number}-{which}", "credit_code": codes[number]}


def park_body(world, number, which, codes):
    return {"code": f"race-{number}", "name": f"竞争园区{number}-{which}", "kind": "general",
            "zone": world.area.pk, "operator": world.op_a.pk}


@pytest.mark.parametrize(("path", "body", "field"), [
    ("/api/enterprises/enterprises", enterprise_body, "credit_code"),
    ("/api/spaces/parks", park_body, "code"),
])
def test_one_code_saved_twice_at_once_is_stored_once_and_the_other_gets_the_field_message(
        world, live_server, path, body, field):
    key = token_create(user=world.users["officer"], name="race")[1]
    codes = credit_codes(ROUNDS)

    def writer(which):
        return lambda number: call_api(live_server.url, path, body(world, number, which, codes), key=key)

    outcomes = race([writer(0), writer(1)], rounds=ROUNDS)

    for number, pair in enumerate(outcomes):
        assert sorted(status for status, _body in pair) == [201, 400], (number, pair)  # never a 500
        (error,) = next(reply for status, reply in pair if status == 400)["errors"]
        # The very message a later attempt gets from the form, before any write.
        status, later = call_api(live_server.url, path, body(world, number, 2, codes), key=key)
        assert status == 400 and error == later["errors"][0], (number, error, later)
        assert error["field"] == field
    assert Enterprise.objects.filter(credit_code__in=codes).count() in (0, ROUNDS)
    assert Park.objects.filter(code__startswith="race-").count() in (0, ROUNDS)


# ----- the accounts linked to an operator ------------------------------------------------------------------------
def test_an_account_linked_while_its_role_changes_is_never_left_linked_with_another_role(world):
    admin = world.users["admin"]
    accounts = [User.objects.create(username=f"race_op{n}", role=Role.PARK_OPERATOR) for n in range(30)]
    operators = [Operator.objects.create(name=f"竞争运营机构{n}") for n in range(30)]

    def link(number):
        return core_services.object_update(user=admin, instance=operators[number], data={"users": [accounts[number]]})

    def make_enterprise_account(number):
        account = User.objects.get(pk=accounts[number].pk)
        form = UserForm(data={"username": account.username, "display_name": "", "email": "",
                              "role": Role.ENTERPRISE, "is_active": "on"}, instance=account, user=admin)
        assert form.is_valid(), form.errors
        return user_save(actor=admin, form=form)

    outcomes = race([link, make_enterprise_account], rounds=len(accounts))

    for number, (linked, changed) in enumerate(outcomes):
        account = User.objects.get(pk=accounts[number].pk)
        is_linked = operators[number].users.filter(pk=account.pk).exists()
        assert not (is_linked and account.role != Role.PARK_OPERATOR), number
        refused = [o for o in (linked, changed) if isinstance(o, ValidationError)]
        assert len(refused) == 1, (number, linked, changed)  # one of the two, never a database error
        if isinstance(linked, ValidationError):
            assert "users" in linked.message_dict and account.role == Role.ENTERPRISE and not is_linked
        else:
            assert "role" in changed.message_dict and is_linked and account.role == Role.PARK_OPERATOR


# ----- an import's commit and rollback ---------------------------------------------------------------------------
def checked(world, rows, user="admin") -> ImportBatch:
    batch = jobs.batch_create(user=world.users[user], surface=surface_for(Unit), filename="units.xlsx",
                              content=units_file(rows))
    batch = jobs.batch_check(batch)
    assert batch.status == ImportStatus.CHECKED, (batch.message, batch.errors)
    return batch


def fresh(batch) -> ImportBatch:
    return ImportBatch.objects.select_related("user", "content_type").get(pk=batch.pk)


def test_two_commits_of_one_batch_at_once_import_it_once(world):
    batches = [checked(world, [["a-1", "12", f"C{n}-{k}", "100", "办公", "90"] for k in range(3)]) for n in range(10)]

    def commit(number):
        return jobs.batch_commit(fresh(batches[number]))

    race([commit, commit], rounds=len(batches))

    for number, batch in enumerate(batches):
        batch.refresh_from_db()
        assert batch.status == ImportStatus.COMMITTED, (number, batch.message)
        assert Unit.objects.filter(code__startswith=f"C{number}-").count() == 3
        assert ObjectChange.objects.filter(request_id=str(batch.uuid), action="create").count() == 3
        events = DomainEvent.objects.filter(name="core.import.commit", data__batch=str(batch.uuid))
        assert events.count() == 1, number


def test_two_confirmations_of_one_batch_at_once_import_it_once(world):
    """The commit action (two clicks, two API calls): one takes the batch under its row lock, the other finds it
    taken and is refused; the rows are written once."""
    batches = [checked(world, [["a-1", "12", f"Q{n}-{k}", "100", "办公", "90"] for k in range(3)]) for n in range(10)]

    def confirm(number):
        return jobs.batch_commit_start(user=world.users["admin"], instance=fresh(batches[number]))

    outcomes = race([confirm, confirm], rounds=len(batches))

    for number, (batch, pair) in enumerate(zip(batches, outcomes, strict=True)):
        batch.refresh_from_db()
        assert batch.status == ImportStatus.COMMITTED, (number, batch.message, pair)
        assert sorted(type(o).__name__ for o in pair) == ["ImportBatch", "Refused"], (number, pair)
        assert Unit.objects.filter(code__startswith=f"Q{number}-").count() == 3
        assert DomainEvent.objects.filter(name="core.import.confirm", data__batch=str(batch.uuid)).count() == 1
        assert DomainEvent.objects.filter(name="core.import.commit", data__batch=str(batch.uuid)).count() == 1


def same(a, b) -> bool:
    """Stored values as change records write them: 200 and 200.00 are one area."""
    try:
        return Decimal(str(a)) == Decimal(str(b))
    except (ArithmeticError, ValueError):
        return a == b


def audit_chain_holds(unit) -> bool:
    """Each change record of the unit starts where the one before it ended, and the last ends as it is stored:
    no write was lost between a check and the write that trusted it."""
    from core import audit

    records = list(ObjectChange.objects.filter(content_type__model="unit", object_id=str(unit.pk)).order_by("id"))
    ends = [(r.data_before or {}, r.data_after or {}) for r in records]
    for (_before, after), (before, _after) in zip(ends, ends[1:], strict=False):
        if not all(same(after[k], before[k]) for k in after.keys() & before.keys()):
            return False
    stored = audit.snapshot(Unit.objects.get(pk=unit.pk))
    last = ends[-1][1]
    return all(same(stored[k], last[k]) for k in stored.keys() & last.keys())


def test_a_commit_racing_a_rollback_over_the_same_rows_loses_no_change(world):
    """Batch A changed a unit's rent and is being rolled back while batch B, checked before, changes its area:
    either B comes first (and the rollback is refused) or the rollback does (and B, finding the unit changed
    since its check, checks again and writes over the restored unit). Each round has a unit of its own."""
    units = [Unit.objects.create(building=world.building_a, floor=world.floor_a, code=f"K{n}", area=Decimal("200"),
                                 asking_rent=Decimal("90")) for n in range(10)]
    rounds = []
    for n, unit in enumerate(units):
        first = jobs.batch_commit(checked(world, [["a-1", "12", unit.code, "200", "办公", "100"]]))
        assert first.status == ImportStatus.COMMITTED
        rounds.append((first, checked(world, [["a-1", "12", unit.code, str(300 + n), "办公", ""]])))

    def roll_back(number):
        return jobs.batch_rollback(user=world.users["admin"], instance=fresh(rounds[number][0])).undone

    def commit(number):
        return jobs.batch_commit(fresh(rounds[number][1]))

    outcomes = race([roll_back, commit], rounds=len(rounds))

    for number, (undone, committed) in enumerate(outcomes):
        unit = Unit.objects.get(pk=units[number].pk)
        assert isinstance(committed, ImportBatch) and committed.status == ImportStatus.COMMITTED, (
            number, committed, getattr(committed, "message", ""))
        assert unit.area == Decimal(300 + number)
        if undone == 1:  # the rollback came first: B wrote over the restored rent
            assert unit.asking_rent == Decimal("90")
        else:
            assert isinstance(undone, Refused) and unit.asking_rent == Decimal("100"), (number, undone)
        assert audit_chain_holds(unit), number


# ----- the lockout, with passwords tried at the same moment ------------------------------------------------------
@pytest.fixture
def password_checks(monkeypatch):
    """Counts the passwords actually checked; ``slow`` makes each check take as long as a real hash does."""
    original = User.check_password
    state = {"count": 0, "slow": 0.0, "started": threading.Event(), "after": 10**6}
    lock = threading.Lock()

    def check_password(self, raw_password):
        with lock:
            state["count"] += 1
            if state["count"] >= state["after"]:
                state["started"].set()
        if state["slow"]:
            threading.Event().wait(state["slow"])
        return original(self, raw_password)

    monkeypatch.setattr(User, "check_password", check_password)
    return state


def token_request(password):
    """``POST /api/token`` through the whole request handling, from the calling thread (a client of its own)."""
    response = Client().post("/api/token", data=json.dumps({"username": "t_officer", "password": password}),
                             content_type="application/json")
    return response.status_code, response.json()


def test_thirty_wrong_passwords_at_once_check_only_the_threshold_and_lock_the_account(
        world, password_checks, settings, client):
    settings.YUANQU_LOGIN_MAX_FAILURES = 5
    outcomes = race([lambda _n: token_request("wrong-password")] * 30)

    assert [status for status, _body in outcomes[0]] == [401] * 30
    assert password_checks["count"] == 5  # the other 25 were refused before their password was read
    assert DomainEvent.objects.filter(name="core.login.fail").count() == 5
    assert DomainEvent.objects.filter(name="core.account.lock").count() == 1
    status, body = token_request(PASSWORD)
    assert status == 401 and "锁定" in body["detail"]
    page = client.post(reverse("login"), {"username": "t_officer", "password": PASSWORD}).content.decode()
    assert "已锁定" in page and "_auth_user_id" not in client.session
    assert password_checks["count"] == 5 and not ApiToken.objects.exists()


def test_the_right_password_right_after_wrong_ones_at_once_is_refused(world, password_checks, settings):
    """Twelve wrong passwords arrive together and each check takes a while (as PBKDF2 does); the right one comes
    while they are being checked. It is refused: the attempts were counted before any check began."""
    settings.YUANQU_LOGIN_MAX_FAILURES = 5
    password_checks.update(slow=0.3, after=5)

    def right_password(_number):
        assert password_checks["started"].wait(30)
        return token_request(PASSWORD)

    outcomes = race([lambda _n: token_request("wrong-password")] * 12 + [right_password])

    status, body = outcomes[0][-1]
    assert status == 401 and "锁定" in body["detail"], body
    assert not ApiToken.objects.exists()
    assert password_checks["count"] == 5
