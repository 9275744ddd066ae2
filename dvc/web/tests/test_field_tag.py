"""The ``{% field %}`` tag every form page shows its fields with (issue 20: written in Python instead of an included
template): the label tied to the widget, the required mark read by screen readers, the help and each error tied
to the widget by their ids, a check box inside its label, and every text escaped."""

import re

import pytest
from django import forms
from django.template import engines
from django.urls import reverse
from django.utils import translation


class Sample(forms.Form):
    name = forms.CharField(label="Họ và tên", max_length=5, help_text="Như trên CCCD.")
    note = forms.CharField(label="Ghi chú", required=False)
    agree = forms.BooleanField(label="Tôi đồng ý")
    maybe = forms.BooleanField(label="Nhận thư", required=False)
    hostile = forms.CharField(label="<b>Tên</b>", help_text="<script>x()</script>", required=False)


def _shown(form: forms.Form, name: str, extra: str = "") -> str:
    page = engines["django"].from_string("{% load dvc %}{% field form." + name + extra + " %}")
    with translation.override("vi"):
        return page.render({"form": form})


def test_a_required_field_with_help_and_an_error_is_tied_together():
    form = Sample({"name": "quá dài"})
    form.is_valid()
    html = _shown(form, "name")
    assert html.startswith('<div class="field field-error">')
    assert '<label for="id_name">Họ và tên <span class="req" aria-hidden="true">*</span>' in html
    assert '<span class="sr-only">(bắt buộc)</span></label>' in html
    widget = re.search(r"<input [^>]*>", html)[0]
    assert 'aria-describedby="id_name_help id_name_error"' in widget
    assert 'aria-invalid="true"' in widget
    assert 'value="quá dài"' in widget
    assert '<p class="help" id="id_name_help">Như trên CCCD.</p>' in html
    assert re.search(r'<p class="error" id="id_name_error" role="alert">[^<]*5[^<]*</p>', html)
    assert html.index("<label") < html.index("<input") < html.index('class="help"') < html.index('class="error"')


def test_an_optional_field_has_no_mark_unless_the_page_asks_for_it():
    form = Sample()
    plain = _shown(form, "note")
    assert plain.startswith('<div class="field">')
    assert 'class="req"' not in plain and "bắt buộc" not in plain
    assert "aria-describedby" not in plain and "<p " not in plain
    marked = _shown(form, "note", " mark_required=True")
    assert '<label for="id_note">Ghi chú <span class="req" aria-hidden="true">*</span>' in marked
    assert "(bắt buộc)" in marked


def test_a_check_box_sits_inside_its_label_before_the_text():
    form = Sample()
    required = _shown(form, "agree")
    assert re.search(r'<label class="check"><input type="checkbox" name="agree"[^>]*> Tôi đồng ý', required)
    assert required.count('class="req"') == 1
    optional = _shown(form, "maybe")
    assert '<label class="check"><input type="checkbox" name="maybe"' in optional
    assert 'class="req"' not in optional and "<label for=" not in optional


def test_label_help_and_errors_are_escaped():
    form = Sample({"hostile": "x"})
    form.add_error("hostile", "<img src=x onerror=alert(1)>")
    html = _shown(form, "hostile")
    assert "<b>" not in html and "<script>" not in html and "<img" not in html
    assert "&lt;b&gt;Tên&lt;/b&gt;" in html
    assert "&lt;script&gt;x()&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_a_field_the_form_does_not_have_shows_nothing():
    """As the included template it replaces: a template's missing variable shows nothing, never an error page."""
    assert _shown(Sample(), "nope") == ""


@pytest.mark.django_db
def test_the_lookup_page_ties_its_error_to_the_code_field(client):
    response = client.get(reverse("dossiers:lookup"), {"ma": "X" * 41})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<div class="field field-error">' in html
    assert re.search(r'<input [^>]*name="ma"[^>]*aria-describedby="id_ma_error"', html)
    assert '<p class="error" id="id_ma_error" role="alert">' in html
    assert '<p class="help" id="id_bm_help">' in html
