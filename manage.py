#!/usr/bin/env python3
import os
import sys

# Commands that serve requests or deliver messages must be told the environment (DVC_ENV): without it the portal
# refuses to start rather than run on the development secrets. Housekeeping commands (check, makemigrations,
# migrate, shell ...) default to the development settings, as on a developer's machine.
SERVING = {"runserver", "run_portal", "run_worker", "db_worker"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dvc.settings")
    if len(sys.argv) > 1 and sys.argv[1] not in SERVING:
        os.environ.setdefault("DVC_ENV", "development")
    if not os.environ.get("DVC_ENV"):
        sys.exit("DVC_ENV must be set to 'development' (make run does) or 'production' (see docs/production.md).")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
