"""Form 07 of TT 03/2025/TT-VPCP, sổ theo dõi hồ sơ: per agency and period, on screen, as Excel and as PDF."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from dvc.accounts.throttle import client_ip
from dvc.agencies.issuer import issuer_of, office_heading
from dvc.agencies.models import Agency
from dvc.agencies.selectors import unit_names
from dvc.catalog.result_form import REGISTERS
from dvc.collation import vi_order
from dvc.documents.responses import pdf_response
from dvc.dossiers.backoffice.audit import audit
from dvc.dossiers.backoffice.civil_register import REGISTER_HEADINGS, register_rows, register_workbook
from dvc.dossiers.backoffice.permissions import staff_agencies
from dvc.dossiers.backoffice.views import date_param, officer_of, staff_required
from dvc.dossiers.documents import register as register_book
from dvc.dossiers.documents.postal_label import handover_pdf
from dvc.dossiers.lifecycle.applicant import postal_address
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


@staff_required
def civil_register(request: HttpRequest) -> HttpResponse:
    """Sổ hộ tịch: the civil-status registers of the officer's agencies, per kind and year, on screen and as Excel."""
    officer = officer_of(request)
    agencies = list(Agency.objects.filter(pk__in=staff_agencies(officer)).order_by(vi_order("name")))
    chosen = next((a for a in agencies if str(a.pk) == request.GET.get("co_quan")), agencies[0])
    asked = request.GET.get("so", "")
    kind = asked if asked in REGISTERS else next(iter(REGISTERS))
    year_text = request.GET.get("nam", "")
    year = int(year_text) if year_text.isascii() and year_text.isdigit() and 2000 <= int(year_text) <= 2100 else 0
    year = year or timezone.localdate().year
    rows = register_rows(chosen.pk, kind, year)
    audit(officer, "view_civil_register", ip=client_ip(request), detail=f"{chosen.code} {kind} {year}")
    if request.GET.get("xuat") == "xlsx":
        response = HttpResponse(
            register_workbook(issuer_of(chosen).name, kind, year, rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="so-ho-tich-{kind}-{chosen.code}-{year}.xlsx"'
        response["Cache-Control"] = "private, no-store"
        return response
    context = {
        "agencies": agencies,
        "chosen": chosen,
        "kinds": REGISTERS.items(),
        "kind": kind,
        "year": year,
        "rows": rows,
        "columns": REGISTER_HEADINGS,
        "issuer": issuer_of(chosen).name,
    }
    return render(request, "dossiers/staff/civil_register.html", context)


@staff_required
def postal_handover(request: HttpRequest) -> HttpResponse:
    """The day's hand-over list for the post office courier: results returned by post that day, with their
    tracking numbers; on screen and as a PDF signed by both sides (QĐ 45/2016/QĐ-TTg)."""
    officer = officer_of(request)
    agencies = list(Agency.objects.filter(pk__in=staff_agencies(officer)).order_by(vi_order("name")))
    chosen = next((a for a in agencies if str(a.pk) == request.GET.get("co_quan")), agencies[0])
    day = date_param(request, "ngay") or timezone.localdate()
    found = list(
        Dossier.objects.filter(
            agency=chosen,
            result_method=Dossier.ResultMethod.POST,
            status=Dossier.Status.RETURNED,
            returned_at__date=day,
        ).order_by("returned_at", "pk")[:1000]
    )
    names = unit_names(
        code
        for d in found
        for code in (str(d.delivery_address.get("commune", "")), str(d.delivery_address.get("province", "")))
    )
    rows = [
        (d.code or "", str(d.applicant_data.get("full_name", "")), postal_address(d, names), d.return_note)
        for d in found
    ]
    audit(officer, "view_postal_handover", ip=client_ip(request), detail=f"{chosen.code} {day:%Y-%m-%d}")
    if request.GET.get("xuat") == "pdf":
        content = handover_pdf(
            office_heading(chosen), chosen.name, issuer_of(chosen).place, day, rows, officer.full_name
        )
        return pdf_response(content, f"giao-buu-gui-{chosen.code}-{day:%Y%m%d}.pdf")
    context = {"agencies": agencies, "chosen": chosen, "day": day, "rows": rows}
    return render(request, "dossiers/staff/postal_handover.html", context)
