"""What the API's answers are built from (django-ninja schemas)."""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import ModelWrapValidatorHandler, ValidationInfo, model_validator


class BuiltOut(Schema):
    """An answer a view builds itself, field by field, from plain values.

    django-ninja's ``Schema`` reads whatever it checks through an attribute reader that turns a related manager or
    a query into a list and calls anything callable: the way to check a model row against a schema. Over the
    keywords a view builds an answer from, it only costs time: 42 reads for a dossier's answer (issue 20). A list
    answer is also checked a second time against the operation's schema, each of its items read again (a third of a
    citizen's list of 50 dossiers). Here the keywords are checked as they are, and an instance is taken as it is,
    as pydantic itself takes a model's instance; anything else (a model row) is read as before. A schema with its
    own ``resolve_`` methods is read as before in every case.
    """

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(cls, values: Any, handler: ModelWrapValidatorHandler[Any], info: ValidationInfo) -> Any:
        if not cls._ninja_resolvers:
            if isinstance(values, cls):
                return values
            if type(values) is dict:
                return handler(values)
        return super()._run_root_validator(values, handler, info)  # type: ignore[operator]
