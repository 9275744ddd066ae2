"""Public catalog pages: search with filters and life-event tiles, the procedure page, template downloads."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render

from dvc.agencies.models import Agency
from dvc.catalog import eform, selectors
from dvc.catalog.models import Procedure
from dvc.catalog.printable import blank_form_pdf
from dvc.catalog.search_index import catalog_version
from dvc.catalog.services import fee_amount
from dvc.collation import vi_order
from dvc.stats.selectors import usual_days
from dvc.web.caching import anonymous_page_cache

PAGE_SIZE = 20


def _filters(request: HttpRequest) -> selectors.Filters:
    get = request.GET
    return selectors.Filters(
        q=get.get("q", "")[:200],
        sector=get.get("linh_vuc", "")[:64],
        level=get.get("cap", "")[:16],
        service_level=get.get("muc_do", "")[:16],
        agency=get.get("co_quan", "")[:16],
        life_event=get.get("su_kien", "")[:64],
    )


@anonymous_page_cache(300, version=catalog_version)
def catalog_home(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    searching = bool(filters.q or filters.narrowing)
    page = None
    if searching:
        page = Paginator(selectors.search(filters), PAGE_SIZE).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    context = {
        "filters": filters,
        "searching": searching,
        "page": page,
        "query_string": query.urlencode(),
        "sectors": selectors.sectors(),
        "life_events": selectors.life_events(),
        "levels": Procedure.Level.choices,
        "service_levels": Procedure.ServiceLevel.choices,
        # Above the communes only: the 3,321 commune centres all take the same commune procedures (the level filter
        # says as much), and a list of thousands is no choice on a phone. A commune chosen elsewhere still shows.
        "agencies": Agency.objects.filter(effective_to__isnull=True)
        .filter(~Q(level=Agency.Level.COMMUNE) | Q(code=filters.agency))
        .order_by(vi_order("name"))
        .only("code", "name"),
        "life_event": next((e for e in selectors.life_events() if e.code == filters.life_event), None),
    }
    return render(request, "catalog/home.html", context)


@anonymous_page_cache(300, version=catalog_version)
def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    procedure = selectors.procedure_detail(code)
    if procedure is None:
        raise Http404
    fees = [(fee, fee_amount(fee), fee_amount(fee, online=True)) for fee in procedure.fees.all()]
    context = {
        "procedure": procedure,
        "fees": fees,
        "widgets": eform.layout(procedure.form_schema, eform.prefill_answers(procedure.form_schema, request.user)),
        "has_form": bool((procedure.form_schema or {}).get("fields")),
        "accepts_online": "online" in procedure.submission_channels
        and procedure.service_level != Procedure.ServiceLevel.INFORMATION,
        "usual_days": usual_days(procedure.pk),
        "linked_groups": selectors.linked_groups_of(procedure.code),
        "parts": selectors.parts_of(procedure),
    }
    return render(request, "catalog/detail.html", context)


def requirement_template(request: HttpRequest, code: str, requirement_id: int) -> HttpResponseBase:
    procedure = selectors.procedure_detail(code)
    requirement = procedure.requirements.filter(pk=requirement_id).first() if procedure else None
    if procedure is None or requirement is None:
        raise Http404
    if requirement.template:
        return FileResponse(
            requirement.template.open("rb"), as_attachment=True, filename=requirement.template.name.rsplit("/", 1)[-1]
        )
    if requirement.template_is_eform and procedure.form_schema.get("fields"):
        return printable_form(request, code)
    raise Http404


def printable_form(request: HttpRequest, code: str) -> HttpResponse:
    procedure = selectors.procedure_detail(code)
    if procedure is None or not (procedure.form_schema or {}).get("fields"):
        raise Http404
    response = HttpResponse(blank_form_pdf(procedure), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="to-khai-{procedure.code}.pdf"'
    return response
