"""The published API surface: every path, method and operationId of ``/api/v1/openapi.json``. Clients generated
from the document name their methods after the operationIds, so moving code must not rename them; a deliberate
change to the API updates ``api_operations.json`` in the same commit."""

import json
from pathlib import Path

from dvc.api import api

PUBLISHED = Path(__file__).with_name("api_operations.json")


def test_paths_methods_and_operation_ids_are_the_published_ones():
    schema = api.get_openapi_schema()
    found = sorted(
        [path, method.upper(), op["operationId"]] for path, ops in schema["paths"].items() for method, op in ops.items()
    )
    assert found == json.loads(PUBLISHED.read_text(encoding="utf-8"))
