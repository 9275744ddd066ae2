"""Rewrite dvc/tests/api_operations.json from the live schema, after a deliberate change to the API."""

import json
import os
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dvc.settings")
django.setup()

from dvc.api import api  # noqa: E402

schema = api.get_openapi_schema()
found = sorted(
    [path, method.upper(), op["operationId"]] for path, ops in schema["paths"].items() for method, op in ops.items()
)
target = Path(__file__).resolve().parent.parent / "dvc" / "tests" / "api_operations.json"
before = json.loads(target.read_text(encoding="utf-8"))
rows = ",\n".join("  " + json.dumps(op, ensure_ascii=False) for op in found)
target.write_text(f"[\n{rows}\n]\n", encoding="utf-8")
print("added:", [op for op in found if op not in before], "removed:", [op for op in before if op not in found])
