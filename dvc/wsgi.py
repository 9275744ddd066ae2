import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dvc.settings")
application = get_wsgi_application()
# Load every view module (and the PDF, signature and font libraries behind them) while the worker starts, not
# during its first request: that request waited about 2 seconds, after each deploy and each worker restart.
get_resolver().url_patterns  # noqa: B018 -- the attribute loads them
