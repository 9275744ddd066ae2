"""Staff reports: an agency's figures per procedure for a period, on screen, as Excel and as CSV; for leaders,
each specialist's workload and lateness."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dvc.accounts.throttle import client_ip
from dvc.agencies.models import Agency, StaffRole
from dvc.catalog.models import Procedure
from dvc.collation import vi_order
from dvc.documents.spreadsheet import append_row, csv_bytes, new_sheet, workbook_bytes
from dvc.dossiers.backoffice.audit import audit
from dvc.dossiers.backoffice.permissions import staff_agencies
from dvc.dossiers.backoffice.views import officer_of, staff_required
from dvc.stats.selectors import Figures, Scope, figures, workload
from dvc.stats.views import date_or_none

COLUMNS = (
    _("Mã thủ tục"), _("Thủ tục"), _("Tiếp nhận trực tuyến"), _("Tiếp nhận trực tiếp"), _("Đã xử lý"),
    _("Trước hạn"), _("Đúng hạn"), _("Trễ hạn"), _("Tỉ lệ trễ hạn (%)"), _("Đang xử lý"), _("Quá hạn"),
    _("Từ chối"), _("Rút"), _("Số ngày xử lý TB"),
)  # fmt: skip


def _row(code: str, name: str, f: Figures) -> list[Any]:
    return [code, name, f.received_online, f.received_counter, f.processed, f.early, f.on_time, f.late,
            f.late_rate if f.late_rate is not None else "", f.in_progress, f.overdue, f.refused, f.withdrawn,
            f.average_days if f.average_days is not None else ""]  # fmt: skip


@staff_required
def report(request: HttpRequest) -> HttpResponse:
    mine = staff_agencies(request.user)
    agencies = list(Agency.objects.filter(pk__in=mine).order_by(vi_order("name")))
    chosen = next((a for a in agencies if str(a.pk) == request.GET.get("co_quan")), agencies[0])
    today = timezone.localdate()
    start = date_or_none(request.GET.get("tu_ngay")) or today.replace(day=1)
    end = date_or_none(request.GET.get("den_ngay")) or today
    start, end = min(start, end), max(start, end)
    per_procedure = figures(Scope(agency=chosen.code, start=start, end=end), group_by="procedure")
    names = dict(Procedure.objects.filter(pk__in=[k for k in per_procedure if k]).values_list("pk", "code"))
    titles = dict(Procedure.objects.filter(pk__in=[k for k in per_procedure if k]).values_list("pk", "name"))
    rows = [_row(names.get(k, ""), titles.get(k, ""), f) for k, f in per_procedure.items() if k]
    rows.sort(key=lambda r: r[0])
    totals = figures(Scope(agency=chosen.code, start=start, end=end)).get(None) or Figures()
    audit(officer_of(request), "view_report", ip=client_ip(request), detail=f"{chosen.code} {start}..{end}")
    name = f"bao-cao-{chosen.code}-{start:%Y%m%d}-{end:%Y%m%d}"
    export = request.GET.get("xuat")
    if export == "csv":
        response = HttpResponse(csv_bytes([[str(c) for c in COLUMNS], *rows]), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    if export == "xlsx":
        book, sheet = new_sheet("Bao cao")
        append_row(sheet, [f"{chosen.name}: {start:%d/%m/%Y} – {end:%d/%m/%Y}"])
        append_row(sheet, [str(c) for c in COLUMNS])
        for row in rows:
            append_row(sheet, row)
        response = HttpResponse(
            workbook_bytes(book), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    is_leader = StaffRole.Role.LEADER in mine.get(chosen.pk, set())
    return render(
        request,
        "stats/report.html",
        {
            "agencies": agencies,
            "chosen": chosen,
            "start": start,
            "end": end,
            "columns": COLUMNS,
            "rows": rows,
            "totals": totals,
            "read_at": timezone.localtime(),
            "workload": workload(chosen, start, end) if is_leader else None,
        },
    )
