"""What the API's answers are built from (django-ninja schemas)."""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import ModelWrapValidatorHandler, ValidationInfo, model_validator


class BuiltOut(Schema):
    """An answer a view builds itself, field by field, from plain values.

    django-ninja's ``Schema`` reads whatever it checks through an attribute reader that turns a related manager or
    a query into a list and calls anything callable: the way to check a model row against a schema. Over values a
    view has already made plain, it only costs time (issue 20: 42 reads of a dossier's fields, and the whole check
    made a second time when django-ninja checks the view's answer against the operation's schema, a third of a
    citizen's list of 50 dossiers). Here an instance is taken as it is, as pydantic itself takes a model's
    instance; the keywords it is made from are checked as they are; anything else (a model row) is read as before.
    A schema with its own ``resolve_`` methods is read as before too.
    """

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(cls, values: Any, handler: ModelWrapValidatorHandler[Any], info: ValidationInfo) -> Any:
        if isinstance(values, cls):
            return values
        if type(values) is dict and not cls._ninja_resolvers:
            return handler(values)
        return super()._run_root_validator(values, handler, info)  # type: ignore[operator]
