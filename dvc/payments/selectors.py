"""Reads of a dossier's money: what is owed, what was tried, the receipt. The caller has already scoped the
dossier to who asks (the applicant's own, or an officer's agency)."""

from __future__ import annotations

from typing import Any

from dvc.dossiers.models import Dossier
from dvc.payments.models import FeeLine, PaymentAttempt, Receipt


def fee_summary(dossier: Dossier, *, attempts: bool = False) -> dict[str, Any]:
    """The fixed fee lines and their total, the payment receipt, and (for officers) the latest attempts."""
    lines = list(FeeLine.objects.filter(dossier=dossier))
    summary: dict[str, Any] = {
        "lines": lines,
        "total": sum(line.amount for line in lines),
        "payment_receipt": Receipt.objects.filter(dossier=dossier).first(),
    }
    if attempts:
        summary["attempts"] = list(PaymentAttempt.objects.filter(dossier=dossier).order_by("-created_at")[:20])
    return summary
