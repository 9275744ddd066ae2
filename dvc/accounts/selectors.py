"""Reads of the accounts app that depend on who asks."""

from __future__ import annotations

from dataclasses import dataclass

from dvc.accounts.models import User
from dvc.accounts.validators import display_phone, mask_phone
from dvc.agencies.models import StaffRole


def masked_phone(e164: str) -> str:
    return mask_phone(e164)


@dataclass(frozen=True)
class ProfileSummary:
    user: User
    phone: str
    address: str
    roles: list[StaffRole]


def full_address(user: User) -> str:
    parts = [user.address_line, user.commune.name if user.commune else "", user.province.name if user.province else ""]
    return ", ".join(part for part in parts if part)


def profile_summary(*, user: User) -> ProfileSummary:
    """What the signed-in person sees of their own account, with the staff roles they hold."""
    user = User.objects.select_related("province", "commune").get(pk=user.pk)
    roles = list(
        StaffRole.objects.filter(user=user, is_active=True).select_related("agency").order_by("agency__name", "role")
    )
    return ProfileSummary(user=user, phone=display_phone(user.phone), address=full_address(user), roles=roles)
