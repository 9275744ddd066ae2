import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from dvc.catalog.services import catalog_export


class Command(BaseCommand):
    help = "Write the catalog as JSON (docs/catalog-format.md) to standard output or a file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", default="-")
        parser.add_argument("--code", action="append", dest="codes", help="only these procedure codes")

    def handle(self, *args: Any, output: str, codes: list[str] | None, **options: Any) -> None:
        text = json.dumps(catalog_export(codes=codes), ensure_ascii=False, indent=2) + "\n"
        if output == "-":
            sys.stdout.write(text)
        else:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
