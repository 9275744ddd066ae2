"""The citizen's draft: start one for a procedure at a receiving agency, and keep what was typed."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from dvc.accounts.models import User
from dvc.agencies.models import Agency
from dvc.agencies.units import unit_by_id
from dvc.catalog import eform, verified
from dvc.catalog.competence import agency_receives, outside_filing_area
from dvc.catalog.models import Procedure
from dvc.dossiers.citizen.on_behalf import vouching_user
from dvc.dossiers.lifecycle.applicant import applicant_name_key, applicant_snapshot
from dvc.dossiers.lifecycle.events import event_counted, event_for
from dvc.dossiers.lifecycle.states import EDITABLE
from dvc.dossiers.lifecycle.supplement_scope import require_answers_in_scope
from dvc.dossiers.models import Dossier
from dvc.errors import Conflict, DomainError, InvalidInput
from dvc.together import Insert, writes_together

DELIVERY_SCHEMA = {
    "fields": [{"name": "address", "type": "address", "label": "Địa chỉ nhận kết quả", "required": True}]
}


def previous_dossier(applicant: User, procedure: Procedure) -> Dossier | None:
    """The applicant's last sent dossier of this procedure: what "Dùng lại thông tin từ hồ sơ trước" copies."""
    return (
        Dossier.objects.filter(applicant=applicant, procedure=procedure)
        .exclude(status=Dossier.Status.DRAFT)
        .order_by("-submitted_at")
        .first()
    )


def dossier_start(*, applicant: User, procedure: Procedure, agency: Agency, reuse_previous: bool = False) -> Dossier:
    """A new draft. Prefilled only with the applicant's own stable data from the profile; the answers of their last
    dossier of the same procedure only when they ask for it (``reuse_previous``), and never a ticked checkbox: a
    declaration is made afresh each time, and a second child's birth is not the first child's."""
    if procedure.service_level == Procedure.ServiceLevel.INFORMATION or "online" not in procedure.submission_channels:
        raise DomainError(
            _("Thủ tục này chưa nhận hồ sơ trực tuyến. Vui lòng nộp tại bộ phận một cửa."), code="not_online"
        )
    if not agency_receives(procedure, agency):
        raise InvalidInput({"agency": [_("Cơ quan này không tiếp nhận thủ tục đã chọn.")]})
    if outside_filing_area(procedure, agency, applicant.province_id):
        raise InvalidInput(
            {
                "agency": [
                    _(
                        "Thủ tục này nộp tại cơ quan tiếp nhận trong tỉnh, thành phố nơi bạn cư trú (%(province)s). "
                        "Nếu bạn đã chuyển nơi ở, hãy cập nhật địa chỉ trong mục Tài khoản."
                    )
                    % {"province": getattr(unit_by_id(applicant.province_id), "name", "")}
                ]
            }
        )
    schema = procedure.form_schema or {}
    answers = eform.prefill_answers(schema, applicant)
    previous = previous_dossier(applicant, procedure) if reuse_previous else None
    if previous is not None:
        kept = {
            spec["name"]
            for spec in schema.get("fields", [])
            if not spec.get("prefill") and spec.get("type") != "checkbox"
        }
        answers.update({k: v for k, v in previous.form_data.items() if k in kept})
    snapshot = {**applicant_snapshot(applicant), "verified_fields": verified.names(schema, applicant)}
    dossier = Dossier(
        procedure=procedure,
        agency=agency,
        applicant=applicant,
        applicant_data=snapshot,
        applicant_name=applicant_name_key(snapshot),
        form_data=answers,
        notify_email=bool(applicant.email),
        result_method=Dossier.ResultMethod.ONLINE
        if "online" in procedure.result_channels
        else Dossier.ResultMethod.COUNTER,
    )
    event = event_for(dossier, actor=applicant, action="created", after=Dossier.Status.DRAFT)
    # The draft and its history row in one statement on PostgreSQL, with no BEGIN and COMMIT round trips (issue 20,
    # part 2). A draft's creation feeds no figure: nothing else is written with it.
    writes_together([Insert(dossier), Insert(event)])
    event_counted(event)
    return dossier


def dossier_save_draft(
    *,
    dossier: Dossier,
    actor: User,
    form_data: dict[str, Any],
    submission_method: str,
    result_method: str,
    delivery_address: dict[str, Any],
    notify_sms: bool,
    notify_email: bool,
) -> Dossier:
    """Keep what was typed, valid or not yet: a draft is for coming back later ("Lưu lại").

    Pages and API alike store the cleaned value of every valid answer and the typed text of the others, never a
    raw value the fee or the officer would read otherwise (``eform.draft_answers``).
    """
    # What the electronic identity vouches for stays as verified, whatever was posted (page or API).
    locked = verified.names(dossier.procedure.form_schema, vouching_user(dossier))
    if dossier.status == Dossier.Status.DRAFT:
        form_data = {**form_data, **verified.answers(dossier.procedure.form_schema, vouching_user(dossier))}
    else:  # once sent, what was verified stays as it was sent (a supplement cannot reopen it)
        form_data = {**form_data, **{name: dossier.form_data.get(name) for name in locked}}
    form_data = eform.draft_answers(dossier.procedure.form_schema or {}, form_data)
    require_answers_in_scope(
        dossier,
        form_data,
        {"submission_method": submission_method, "result_method": result_method, "delivery_address": delivery_address},
    )
    if submission_method not in Dossier.SubmissionMethod.values:
        raise InvalidInput({"submission_method": [_("Cách nộp không hợp lệ.")]})
    if result_method not in Dossier.ResultMethod.values:
        raise InvalidInput({"result_method": [_("Cách nhận kết quả không hợp lệ.")]})
    if delivery_address:
        checked = eform.validate_answers(DELIVERY_SCHEMA, {"address": delivery_address})
        if checked.errors:
            raise InvalidInput({"delivery_address": [m for msgs in checked.errors.values() for m in msgs]})
        delivery_address = checked.answers["address"]
    if result_method not in dossier.procedure.result_channels and not (
        result_method == Dossier.ResultMethod.ONLINE and "online" in dossier.procedure.result_channels
    ):
        raise InvalidInput({"result_method": [_("Thủ tục này không trả kết quả theo cách đã chọn.")]})
    if (
        submission_method == Dossier.SubmissionMethod.POST_PICKUP
        and "post" not in dossier.procedure.submission_channels
    ):
        raise InvalidInput({"submission_method": [_("Thủ tục này không nhận hồ sơ qua bưu chính.")]})
    unsigned: dict[str, Any] = {}
    if form_data != dossier.form_data:  # a signature covers the answers it was given: a change asks for it again
        unsigned = {"signed_form": None, "signed_by": "", "signed_content_sha256": ""}
    changes = {
        **unsigned,
        "form_data": form_data,
        "applicant_data": {
            **dossier.applicant_data,
            "verified_fields": locked,
            "identity_verified": dossier.applicant.identity_verified_at is not None and not dossier.owner_basis,
        },
        "submission_method": submission_method,
        "result_method": result_method,
        "delivery_address": delivery_address,
        "notify_sms": notify_sms,
        "notify_email": notify_email,
        "updated_at": timezone.now(),
    }
    # One statement: no transaction of its own (it would add BEGIN and COMMIT round trips).
    if not Dossier.objects.filter(pk=dossier.pk, status__in=EDITABLE).update(**changes):
        raise Conflict(_("Hồ sơ đã được gửi, không sửa được nữa."), code="not_editable")
    # What was just written, without reading it back (issue 20: the re-read also dropped the procedure and agency
    # the answer then loaded again).
    for name, value in changes.items():
        setattr(dossier, name, value)
    return dossier
