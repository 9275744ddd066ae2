"""An answer's schema built by the view (``dvc.api_schema.BuiltOut``): checked once when made, taken as it is when
django-ninja checks the answer, and still able to read a model row as django-ninja's own ``Schema`` does."""

import datetime as dt
import uuid

import pytest
from ninja import Schema
from pydantic import ValidationError

from dvc.api_schema import BuiltOut


class PaperOut(BuiltOut):
    id: int
    name: str
    at: dt.datetime | None


class ResolvedOut(BuiltOut):
    id: int
    label: str

    @staticmethod
    def resolve_label(obj):
        return f"#{obj['id'] if isinstance(obj, dict) else obj.id}"


class PlainOut(Schema):
    id: int
    name: str
    at: dt.datetime | None


def test_an_instance_is_taken_as_it_is_and_bad_values_are_refused_when_made():
    paper = PaperOut(id=1, name="Giấy khai sinh", at=None)
    assert PaperOut.model_validate(paper) is paper
    with pytest.raises(ValidationError):
        PaperOut(id="một", name="x", at=None)
    with pytest.raises(ValidationError):
        PaperOut(id=1, name="x", at="không phải ngày")


def test_keywords_give_what_django_ninjas_schema_gives():
    values = {"id": 7, "name": "Tờ khai", "at": "2026-12-07T08:00:00+07:00"}
    assert PaperOut(**values).model_dump() == PlainOut(**values).model_dump()
    assert PaperOut(**values).at == dt.datetime(2026, 12, 7, 1, 0, tzinfo=dt.UTC)


def test_a_row_is_read_as_django_ninja_reads_it():
    class Row:
        id = 3
        at = None

        def name(self):  # django-ninja calls what is callable
            return "gọi"

    assert PaperOut.model_validate(Row()).model_dump() == {"id": 3, "name": "gọi", "at": None}
    assert PaperOut.model_validate(Row()).model_dump() == PlainOut.model_validate(Row()).model_dump()


def test_a_schema_with_resolvers_still_uses_them():
    assert ResolvedOut.model_validate({"id": 5, "label": "bỏ qua"}).label == "#5"
    made = ResolvedOut.model_construct(id=6, label="bỏ qua")  # an instance too is read through its resolvers
    assert ResolvedOut.model_validate(made).label == "#6"


def test_an_answer_in_a_list_is_not_checked_again():
    from pydantic import TypeAdapter

    papers = [PaperOut(id=n, name=str(uuid.uuid4()), at=None) for n in range(3)]
    checked = TypeAdapter(list[PaperOut]).validate_python(papers)
    assert all(a is b for a, b in zip(checked, papers, strict=True))
