"""What an applicant owes: the procedure's fees at the online rate, per copy where asked, plus postage.

Fees and charges follow the procedure's catalog entry (Luật Phí và lệ phí 2015; the online rate where a
Thông tư of the Bộ Tài chính sets one); the public postal service's price is paid by the applicant
(QĐ 45/2016/QĐ-TTg). The lines are fixed when the dossier is sent.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from dvc.catalog import eform
from dvc.catalog.services import fee_amount
from dvc.dossiers.models import Dossier
from dvc.errors import Conflict
from dvc.payments.models import FeeLine

# The e-form field that asks how many copies are wanted (the catalog's civil-status procedures).
COPIES = "so_ban_sao"


def fee_lines_for(dossier: Dossier) -> list[FeeLine]:
    """What the applicant owes (unsaved lines): the procedure's fees at the online rate, per copy where the
    e-form asks how many copies (``so_ban_sao``), plus the post office's price for the postal choices."""
    lines: list[FeeLine] = []
    online = dossier.channel == Dossier.Channel.ONLINE
    copies = copies_asked(dossier)
    for fee in dossier.procedure.fees.all():
        quantity = 1 if fee.unit == fee.Unit.CASE else copies
        if quantity <= 0:  # a fee per copy is charged only when copies are asked for
            continue
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


# A dossier refused, withdrawn or never sent takes no money (issue 15: payments on closed dossiers).
NOT_PAYABLE = (Dossier.Status.DRAFT, Dossier.Status.REFUSED, Dossier.Status.WITHDRAWN)


def require_payable(dossier: Dossier) -> None:
    """``Conflict`` unless the dossier is open and owes something."""
    if dossier.status in NOT_PAYABLE:
        raise Conflict(_("Hồ sơ đã bị từ chối, đã rút hoặc chưa gửi: không thanh toán được."), code="not_payable")
    if dossier.fee_status != Dossier.FeeStatus.UNPAID or amount_due(dossier) <= 0:
        raise Conflict(_("Hồ sơ này không có khoản phí nào chờ thanh toán."), code="nothing_to_pay")


def copies_asked(dossier: Dossier) -> int:
    """How many copies the answers ask for (``so_ban_sao``), read from the *cleaned* answer: a whole number in
    the field's bounds, 0 when blank or not valid (nothing is billed for an answer that cannot be sent). A
    procedure whose e-form does not ask charges its per-copy fee once."""
    schema = dossier.procedure.form_schema or {}
    if not any(spec.get("name") == COPIES for spec in schema.get("fields", [])):
        return 1
    checked = eform.validate_answers(schema, dossier.form_data)
    copies = checked.answers.get(COPIES)
    if COPIES in checked.errors or not isinstance(copies, int) or isinstance(copies, bool):
        return 0
    return max(copies, 0)


def fee_lines_set(dossier: Dossier, *, first: bool = False) -> int:
    """Fix the dossier's fee lines (at submission); returns the total in đồng. ``first``: a draft being sent,
    which never has lines (they are written only in the same transaction that sends it), so none to remove."""
    lines = fee_lines_for(dossier)
    if not first:
        FeeLine.objects.filter(dossier=dossier).delete()
    FeeLine.objects.bulk_create(lines)
    return sum(line.amount for line in lines)


def amount_due(dossier: Dossier) -> int:
    return sum(FeeLine.objects.filter(dossier=dossier).values_list("amount", flat=True))
