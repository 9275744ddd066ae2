"""Issue 20: the portal's form renderer writes plain widgets directly; it must write exactly what Django's widget
templates write, for single widgets (values to escape, attributes true, false and None, option groups) and for
every field of the citizen's and the officer's form pages."""

import datetime as dt
import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.urls import reverse
from django.utils.safestring import mark_safe

from dvc.accounts.tests.factories import UserFactory
from dvc.catalog.models import Procedure
from dvc.dossiers.citizen.drafting import dossier_start
from dvc.dossiers.tests.factories import DossierFactory, agency_staff, commune_centre
from dvc.web.form_renderer import FormRenderer

CHOICES = [("", "---"), ("a", "A & <b>"), ("Nhóm", [("x", 'X "quoted"'), ("y", "Y")]), (3, "Ba")]
WIDGETS = [
    (forms.TextInput(attrs={"maxlength": 12, "required": True, "disabled": False, "data-x": None}), "x\" <a>&'"),
    (forms.TextInput(), mark_safe("<b>safe</b>")),
    (forms.TextInput(), None),
    (forms.EmailInput(attrs={"autocomplete": "email"}), "a@b.vn"),
    (forms.NumberInput(attrs={"min": 0, "step": "any"}), 12),
    (forms.PasswordInput(render_value=False), "secret"),
    (forms.HiddenInput(), "h"),
    (forms.CheckboxInput(), True),
    (forms.CheckboxInput(), False),
    (forms.DateInput(attrs={"type": "date"}), dt.date(2026, 12, 6)),
    (forms.FileInput(attrs={"accept": ".pdf,image/*"}), None),
    (forms.Select(choices=CHOICES), "y"),
    (forms.Select(choices=CHOICES, attrs={"aria-invalid": "true"}), 3),
    (forms.SelectMultiple(choices=CHOICES), ["a", "x"]),
    (forms.NullBooleanSelect(), None),
    (forms.RadioSelect(choices=CHOICES), "a"),
    (forms.Textarea(attrs={"rows": 3}), "dòng 1\n<dòng 2>"),
    (forms.Textarea(), ""),
    (forms.SplitDateTimeWidget(), dt.datetime(2026, 12, 6, 9, 30, tzinfo=dt.UTC)),
]


@pytest.mark.parametrize(
    ("widget", "value"), WIDGETS, ids=[f"{type(w).__name__}-{n}" for n, (w, _) in enumerate(WIDGETS)]
)
def test_each_widget_is_written_as_djangos_templates_write_it(widget, value):
    attrs = {"id": "id_f", "aria-describedby": "id_f_help"}
    assert widget.render("f", value, attrs=attrs, renderer=FormRenderer()) == widget.render(
        "f", value, attrs=attrs, renderer=DjangoTemplates()
    )


def _without_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


@pytest.mark.django_db
def test_the_form_pages_are_the_same_with_either_renderer(client, settings):
    citizen = UserFactory()
    agency = commune_centre()
    draft = dossier_start(applicant=citizen, procedure=Procedure.objects.get(code="1.001193"), agency=agency)
    sent = DossierFactory(submitted=True, applicant=citizen, agency=agency)
    citizen_pages = [
        reverse("dossiers:lookup") + "?ma=X&bm=<b>",
        reverse("accounts:profile"),
        reverse("dossiers:detail", args=[sent.pk]),  # the withdrawal's text area
        reverse("dossiers:start", args=["1.001193"]),
        *(reverse("dossiers:section", args=[draft.pk, part]) for part in ("to-khai", "giay-to", "nhan-ket-qua")),
    ]
    officer = agency_staff(agency).officer
    officer_pages = [reverse("staff:queue"), reverse("staff:intake"), reverse("staff:register")]
    pages = {}
    for renderer in ("dvc.web.form_renderer.FormRenderer", "django.forms.renderers.DjangoTemplates"):
        settings.FORM_RENDERER = renderer
        client.force_login(citizen)
        written = [_without_tokens(client.get(path).content.decode()) for path in citizen_pages]
        client.force_login(officer)
        written += [_without_tokens(client.get(path).content.decode()) for path in officer_pages]
        pages[renderer] = written
    mine, djangos = pages.values()
    assert all(f"<{tag}" in "".join(mine) for tag in ("select", "textarea", 'input type="text"', 'input type="radio"'))
    for path, one, other in zip([*citizen_pages, *officer_pages], mine, djangos, strict=True):
        assert one == other, path
