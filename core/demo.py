"""Core's part of the demo data (``demo.parts``): the demo accounts, one per role.

The accounts are core's because users, roles and departments are. Which operator or enterprise an account
works for is not: that link is a field of the app that owns the operator (spaces) or the enterprise
(enterprises), whose parts add it when they write those records (``plan.accounts`` is how they find the
accounts). A new app whose records link to accounts does the same in its own part.
"""

from __future__ import annotations

from core.models import Department, DomainEvent, ObjectChange, User
from demo import district as D
from demo.parts import Part
from demo.plan import DistrictPlan

part = Part("core")


@part.district.writes
def write_accounts(plan: DistrictPlan) -> None:
    """The demo accounts. An existing account of the same name is reset only when ``plan.reset_users`` (after a
    flush); otherwise it is left as it is, with a note."""
    departments = {d.code: d for d in Department.objects.all()}
    plan.accounts = {}
    for username, role, display_name, department, superuser in D.USERS:
        user = User.objects.filter(username=username).first()
        if user is not None and not plan.reset_users:
            plan.notes.append(f"用户 {username} 已存在，未修改其角色和密码 (user exists; left unchanged)")
            plan.accounts[username] = user
            continue
        if department and department not in departments:
            raise LookupError(f"Department {department!r} is missing: run `manage.py migrate` first.")
        user = user or User(username=username)
        user.role = role
        user.display_name = display_name
        user.department = departments.get(department) if department else None
        user.is_staff = superuser
        user.is_superuser = superuser
        user.is_active = True
        user.set_password(D.DEMO_PASSWORD)
        user.save()
        plan.accounts[username] = user


@part.flushes
def flush_accounts(*, everything: bool) -> dict:
    """``load_demo --flush`` deletes the demo accounts. One that audit records point at is kept (and reset by
    the load), so that those records go on naming the same account; it is reported under ``users_kept``."""
    if not everything:
        return {}
    kept, deleted = [], 0
    for user in User.objects.filter(username__in=D.DEMO_USERNAMES).order_by("username"):
        if ObjectChange.objects.filter(user=user).exists() or DomainEvent.objects.filter(user=user).exists():
            kept.append(user.username)
        else:
            user.delete()
            deleted += 1
    return {"users": deleted, "users_kept": kept}
