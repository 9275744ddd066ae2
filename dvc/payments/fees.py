"""What an applicant owes: the procedure's fees at the online rate, per copy where asked, plus postage.

Fees and charges follow the procedure's catalog entry (Luật Phí và lệ phí 2015; the online rate where a
Thông tư of the Bộ Tài chính sets one); the public postal service's price is paid by the applicant
(QĐ 45/2016/QĐ-TTg). The lines are fixed when the dossier is sent.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from dvc.catalog.services import fee_amount
from dvc.dossiers.models import Dossier
from dvc.payments.models import FeeLine


def fee_lines_for(dossier: Dossier) -> list[FeeLine]:
    """What the applicant owes (unsaved lines): the procedure's fees at the online rate, per copy where the
    e-form asks how many copies (``so_ban_sao``), plus the post office's price for the postal choices."""
    lines: list[FeeLine] = []
    online = dossier.channel == Dossier.Channel.ONLINE
    copies = dossier.form_data.get("so_ban_sao")
    copies = int(copies) if isinstance(copies, int | str) and str(copies).isdigit() and int(copies) > 0 else 1
    for fee in dossier.procedure.fees.all():
        quantity = 1 if fee.unit == fee.Unit.CASE else copies
        amount = fee_amount(fee, quantity=quantity, online=online)
        if amount:
            lines.append(FeeLine(dossier=dossier, kind=fee.kind, name=fee.name, quantity=quantity, amount=amount,
                                 note=fee.note[:500], position=len(lines)))  # fmt: skip
    # QĐ 45/2016/QĐ-TTg: the public postal service's price is paid by the applicant.
    if dossier.submission_method == Dossier.SubmissionMethod.POST_PICKUP and settings.DVC_POSTAL_FEE_PICKUP:
        lines.append(FeeLine(dossier=dossier, kind=FeeLine.Kind.POSTAL, name=_("Bưu điện đến nhận hồ sơ tại nhà"),
                             amount=settings.DVC_POSTAL_FEE_PICKUP, position=len(lines)))  # fmt: skip
    if dossier.result_method == Dossier.ResultMethod.POST and settings.DVC_POSTAL_FEE_DELIVERY:
        lines.append(FeeLine(dossier=dossier, kind=FeeLine.Kind.POSTAL, name=_("Chuyển kết quả qua bưu chính"),
                             amount=settings.DVC_POSTAL_FEE_DELIVERY, position=len(lines)))  # fmt: skip
    return lines


def fee_lines_set(dossier: Dossier) -> int:
    """Fix the dossier's fee lines (at submission); returns the total in đồng."""
    lines = fee_lines_for(dossier)
    FeeLine.objects.filter(dossier=dossier).delete()
    FeeLine.objects.bulk_create(lines)
    return sum(line.amount for line in lines)


def amount_due(dossier: Dossier) -> int:
    return sum(FeeLine.objects.filter(dossier=dossier).values_list("amount", flat=True))
