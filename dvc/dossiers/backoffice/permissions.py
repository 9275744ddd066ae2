"""Who may do what in the back office: roles held in the dossier's agency (NĐ 118/2025 Điều 18–21)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dvc.accounts.models import User
from dvc.agencies.models import StaffRole
from dvc.dossiers.models import Dossier
from dvc.errors import Forbidden

Role = StaffRole.Role
OFFICER, SPECIALIST, LEADER = Role.ONE_STOP_OFFICER, Role.SPECIALIST, Role.LEADER

# NĐ 118/2025 Điều 18–21: the one-stop officer receives and returns; the specialist appraises and proposes; the
# leader decides and signs.
ALLOWED: dict[str, frozenset[str]] = {
    "view": frozenset({OFFICER, SPECIALIST, LEADER}),
    "receive": frozenset({OFFICER, LEADER}),
    "request_supplement": frozenset({OFFICER, SPECIALIST, LEADER}),
    "refuse": frozenset({OFFICER, LEADER}),
    "suspend": frozenset({LEADER}),
    "assign": frozenset({OFFICER, LEADER}),
    "prepare_result": frozenset({SPECIALIST, LEADER}),
    "propose": frozenset({SPECIALIST, LEADER}),
    "approve": frozenset({LEADER}),
    "send_back": frozenset({LEADER}),
    "return_result": frozenset({OFFICER, LEADER}),
    "extend": frozenset({OFFICER, SPECIALIST, LEADER}),
    "counter_intake": frozenset({OFFICER, LEADER}),
    "payments": frozenset({OFFICER, LEADER}),
}


def roles_in(user: User | object, agency_id: int) -> set[str]:
    """The active roles ``user`` holds in the agency; none for an anonymous visitor."""
    if not isinstance(user, User):
        return set()
    return set(StaffRole.objects.filter(user=user, agency_id=agency_id, is_active=True).values_list("role", flat=True))


def staff_agencies(user: User | object) -> dict[int, set[str]]:
    """The agencies where ``user`` holds an active back-office role, with the roles held there."""
    if not isinstance(user, User):
        return {}
    found: dict[int, set[str]] = {}
    rows = StaffRole.objects.filter(user=user, is_active=True).exclude(role=Role.AGENCY_ADMIN)
    for agency_id, role in rows.values_list("agency_id", "role"):
        found.setdefault(agency_id, set()).add(role)
    return found


def require(user: User, dossier: Dossier, action: str) -> set[str]:
    """The user's roles in the dossier's agency, or ``Forbidden`` when none of them allows ``action``."""
    if dossier.is_group:  # NĐ 63/2024/NĐ-CP: each part is handled by its agency; the group follows its parts
        raise Forbidden(_("Hồ sơ liên thông được giải quyết theo từng phần: mở từng phần trong hàng đợi để xử lý."))
    roles = roles_in(user, dossier.agency_id)
    if not roles & ALLOWED[action]:
        raise Forbidden(_("Bạn không có quyền thực hiện thao tác này với hồ sơ của cơ quan khác hoặc vai trò khác."))
    return roles


def require_appraiser(dossier: Dossier, actor: User, roles: set[str]) -> None:
    """Only the specialist the dossier is assigned to (or a leader) appraises it."""
    if LEADER not in roles and dossier.assigned_to_id != actor.pk:
        raise Forbidden(_("Hồ sơ này được giao cho chuyên viên khác."))
