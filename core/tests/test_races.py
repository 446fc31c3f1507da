"""Rules read, checked and then written, under writers that meet (PostgreSQL: real threads, real transactions):
unique codes and credit codes, the accounts linked to an operator, an import's commit and rollback, and the
lockout after failed logins."""


import pytest
from django.core.exceptions import ValidationError
from stdnum.cn import uscc

from core import services as core_services
from core.accounts import UserForm, user_save
from core.choices import Role
from core.models import User
from core.tokens import token_create
from core.validators import check_credit_code, organisation_code_check_char
from enterprises.models import Enterprise
from spaces.models import Operator, Park
from yuanqu.racing import call_api, postgres_only, race

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
