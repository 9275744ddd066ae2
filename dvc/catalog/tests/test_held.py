"""The procedures a process holds for its drafts (issue 20, part 2): never a copy older than the catalog's version."""

import pytest
from django.db import connection

from dvc.catalog import held
from dvc.catalog.models import Procedure

pytestmark = pytest.mark.django_db


def test_a_procedure_read_while_the_catalog_changed_is_not_kept(monkeypatch):
    """Review finding: a read that began before a catalog change committed could be kept under the newer version
    (another thread had emptied the store meanwhile) and served until the next change."""
    pk = Procedure.objects.get(code="1.004873").pk
    monkeypatch.setattr(held, "catalog_version", lambda: 7)

    def another_thread_sees_a_change(execute, sql, params, many, context):
        if "catalog_procedure" in sql and held._version == 7:
            held._version = 8  # the store emptied for the newer version while this read ran
        return execute(sql, params, many, context)

    with connection.execute_wrapper(another_thread_sees_a_change):
        found = held.held_procedure(pk)
    assert found is not None and found.pk == pk  # this request still gets an answer
    assert pk not in held._held  # but it is not kept for the others


def test_a_procedure_is_kept_for_its_version_and_read_again_after_a_change(monkeypatch):
    pk = Procedure.objects.get(code="1.004873").pk
    version = {"now": 1}
    monkeypatch.setattr(held, "catalog_version", lambda: version["now"])
    first = held.held_procedure(pk)
    assert held.held_procedure(pk) is first  # kept
    version["now"] = 2
    assert held.held_procedure(pk) is not first  # read again for the new version
