"""Payment endpoints for the applicant (Bearer token): start a payment, read its status, fetch the receipt."""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from ninja import Router, Schema, Status

from dvc.accounts.auth import authed_user, bearer
from dvc.accounts.throttle import client_ip
from dvc.dossiers.citizen import selectors
from dvc.errors import NotFound
from dvc.payments import gateway
from dvc.payments.models import PaymentAttempt, Receipt
from dvc.payments.selectors import fee_summary
from dvc.vault.views import file_response

router = Router(tags=["Thanh toán"])
_ERRORS = {400: dict, 401: dict, 404: dict, 409: dict, 422: dict}


class StartOut(Schema):
    redirect_url: str
    txn_ref: str
    amount: int


class LineOut(Schema):
    kind: str
    name: str
    quantity: int
    amount: int


class AttemptOut(Schema):
    txn_ref: str
    method: str
    amount: int
    status: str
    created_at: dt.datetime
    paid_at: dt.datetime | None
    gateway_txn_no: str


class PaymentsOut(Schema):
    fee_status: str
    total: int
    lines: list[LineOut]
    attempts: list[AttemptOut]
    receipt_number: str | None


@router.post(
    "/dossiers/{dossier_id}/payments", auth=bearer, response={201: StartOut, **_ERRORS}, summary="Bắt đầu thanh toán"
)
def start(request: HttpRequest, dossier_id: uuid.UUID) -> Status[StartOut]:
    """Returns the gateway address to send the payer to; the result arrives by the gateway's IPN."""
    dossier = selectors.dossier_of(authed_user(request), dossier_id)
    attempt, url = gateway.payment_start(dossier=dossier, payer=authed_user(request), ip=client_ip(request))
    return Status(201, StartOut(redirect_url=url, txn_ref=attempt.txn_ref, amount=attempt.amount))


@router.get("/dossiers/{dossier_id}/payments", auth=bearer, response={200: PaymentsOut, 401: dict, 404: dict})
def status(request: HttpRequest, dossier_id: uuid.UUID) -> PaymentsOut:
    dossier = selectors.dossier_of(authed_user(request), dossier_id)
    summary = fee_summary(dossier)
    lines, receipt = summary["lines"], summary["payment_receipt"]
    return PaymentsOut(
        fee_status=dossier.fee_status,
        total=summary["total"],
        lines=[LineOut(kind=x.kind, name=x.name, quantity=x.quantity, amount=x.amount) for x in lines],
        attempts=[
            AttemptOut(
                txn_ref=a.txn_ref,
                method=a.method,
                amount=a.amount,
                status=a.status,
                created_at=a.created_at,
                paid_at=a.paid_at,
                gateway_txn_no=a.gateway_txn_no,
            )
            for a in PaymentAttempt.objects.filter(dossier=dossier).order_by("-created_at")[:50]
        ],
        receipt_number=receipt.number if receipt else None,
    )


@router.get("/dossiers/{dossier_id}/payments/receipt", auth=bearer, response={200: None, 401: dict, 404: dict})
def receipt(request: HttpRequest, dossier_id: uuid.UUID) -> HttpResponseBase:
    """The receipt PDF (biên lai điện tử)."""
    dossier = selectors.dossier_of(authed_user(request), dossier_id)
    found = Receipt.objects.filter(dossier=dossier).select_related("stored_file").first()
    if found is None or found.stored_file is None:
        raise NotFound()
    return file_response(found.stored_file)
