"""Form 07 of TT 03/2025/TT-VPCP, sổ theo dõi hồ sơ: per agency and period, on screen, as Excel and as PDF."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from dvc.accounts.throttle import client_ip
from dvc.agencies.models import Agency
from dvc.collation import vi_order
from dvc.documents.responses import pdf_response
from dvc.dossiers.backoffice.audit import audit
from dvc.dossiers.backoffice.permissions import staff_agencies
from dvc.dossiers.backoffice.views import date_param, officer_of, staff_required
from dvc.dossiers.documents import register as register_book
from dvc.dossiers.models import Dossier


@staff_required
def register(request: HttpRequest) -> HttpResponse:
    """Form 07, sổ theo dõi hồ sơ: per agency and period, on screen, as Excel and as PDF."""
    officer = officer_of(request)
    mine = staff_agencies(officer)
    agencies = list(Agency.objects.filter(pk__in=mine).order_by(vi_order("name")))
    chosen = next((a for a in agencies if str(a.pk) == request.GET.get("co_quan")), agencies[0])
    today = timezone.localdate()
    start = date_param(request, "tu_ngay") or today.replace(day=1)
    end = date_param(request, "den_ngay") or today
    found = (
        Dossier.objects.filter(agency=chosen, submitted_at__date__gte=start, submitted_at__date__lte=end)
        .exclude(status=Dossier.Status.DRAFT)
        .select_related("procedure", "received_by")
        .order_by("submitted_at", "pk")
    )
    rows = register_book.register_rows(found[:5000])
    period = f"{start:%d/%m/%Y} – {end:%d/%m/%Y}"
    audit(officer, "view_register", ip=client_ip(request), detail=f"{chosen.code} {period}")
    export = request.GET.get("xuat")
    if export == "xlsx":
        response = HttpResponse(
            register_book.register_xlsx(chosen.name, period, rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="so-theo-doi-{chosen.code}-{start:%Y%m%d}.xlsx"'
        response["Cache-Control"] = "private, no-store"
        return response
    if export == "pdf":
        return pdf_response(
            register_book.register_pdf(chosen.name, period, rows), f"so-theo-doi-{chosen.code}-{start:%Y%m%d}.pdf"
        )
    return render(
        request,
        "dossiers/staff/register.html",
        {
            "agencies": agencies,
            "chosen": chosen,
            "start": start,
            "end": end,
            "rows": rows,
            "columns": register_book.REGISTER_COLUMNS,
        },
    )
