"""What the load benchmark and the fault drills share: the server's environment, the e-form answers and the
attachment they submit, a free loopback port."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any

# The e-form of 1.004873 (xác nhận tình trạng hôn nhân), answered as the API takes it: the demo answers, for
# another person.
ANSWERS = {
    **json.loads((Path(__file__).resolve().parents[1] / "dvc" / "web" / "demo_answers.json").read_text("utf-8")),
    "nguoi_yeu_cau": {"full_name": "Trần Thị Thử", "birth_date": "1991-02-03", "id_number": "001191000001"},
    "dien_thoai": "0911000001",
}


def pdf(size: int) -> bytes:
    """A PDF of about ``size`` bytes that the upload check accepts (header, body, end marker)."""
    return b"%PDF-1.4\n%" + b"0" * size + b"\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def server_env(database_url: str, var: Path, **extra: str) -> dict[str, str]:
    """The portal's environment for a benchmark: this database and folder, DEBUG off, loopback hosts."""
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("DVC_")},
        "DATABASE_URL": database_url,
        "DVC_VAR_DIR": str(var),
        "DVC_ENV": "development",
        "DVC_DEBUG": "0",
        "DVC_ALLOWED_HOSTS": "127.0.0.1,localhost",
        # The crowd comes from one address: lift the public lookup's per-client and per-day allowances.
        "DVC_LOOKUP_PER_CLIENT": "100000000",
        "DVC_LOOKUP_PER_PREFIX": "100000000",
        **extra,
    }


NGINX = """worker_processes 1;
worker_rlimit_nofile 8192;
pid {root}/nginx.pid;
error_log {root}/nginx-error.log;
user root;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_max_body_size 30m;
  client_body_temp_path {root}/nginx-body;
  proxy_temp_path {root}/nginx-proxy;
  fastcgi_temp_path {root}/nginx-fastcgi;
  uwsgi_temp_path {root}/nginx-uwsgi;
  scgi_temp_path {root}/nginx-scgi;
  upstream portal {{
{servers}
    keepalive 32;
  }}
  server {{
    listen 127.0.0.1:{port} backlog=4096;
    location / {{
      proxy_pass http://portal;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host:$server_port;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_connect_timeout 1s;
      proxy_next_upstream error timeout http_502;  # a node gone: the other answers (GET; a POST is not resent)
    }}
  }}
}}
"""


def start_nginx(root: Path, port: int, nodes: list[int]) -> subprocess.Popen[bytes]:
    """Debian's nginx on ``port`` in front of the web nodes on ``nodes`` (loopback ports), its files in ``root``."""
    servers = "\n".join(f"    server 127.0.0.1:{node} max_fails=1 fail_timeout=30s;" for node in nodes)
    conf = root / "nginx.conf"
    conf.write_text(NGINX.format(root=root, servers=servers, port=port), encoding="utf-8")
    return subprocess.Popen(["nginx", "-c", str(conf), "-p", str(root), "-g", "daemon off;"])  # noqa: S603, S607


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_gunicorn(env: dict[str, str], workers: int) -> tuple[subprocess.Popen[bytes], str]:
    """gunicorn serving the portal on a free loopback port with ``env``, once it answers ``/healthz``."""
    root = Path(__file__).resolve().parents[1]
    port = free_port()
    command = [str(root / ".venv/bin/gunicorn"), "dvc.wsgi", "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
               "--backlog", "4096", "--log-level", "warning"]  # fmt: skip
    server = subprocess.Popen(command, cwd=root, env=env)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    if wait_until_answering(base):
        return server, base
    server.kill()
    raise SystemExit("gunicorn did not start")


def wait_until_answering(base: str, tries: int = 120) -> bool:
    """True once ``base`` answers ``/healthz`` (half a second between tries); False after ``tries``."""
    for _ in range(tries):
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2):  # noqa: S310 -- loopback
                return True
        except OSError:
            time.sleep(0.5)
    return False


def recreate_database(url: str) -> None:
    """Drop the PostgreSQL database ``url`` names and create it empty."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def demo_setup(env: dict[str, str]) -> None:
    """Django in this process on ``env``; migrated, static files collected, demo data loaded."""
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dvc.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from dvc.web.demo import load_demo

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    load_demo()


def send_demo_dossiers(count: int, key: str) -> list[Any]:
    """``count`` marital-status dossiers (1.004873) of the demo citizen at phường Ba Đình, sent online."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dvc.accounts.models import User
    from dvc.agencies.models import Agency
    from dvc.catalog.models import Procedure
    from dvc.dossiers.citizen import drafting, papers, sending

    citizen = User.objects.get(id_number="001085012345")
    procedure = Procedure.objects.get(code="1.004873")
    agency = Agency.objects.get(code="000.01.01.H26")
    identity = procedure.requirements.get(name__startswith="Giấy tờ tùy thân")
    sent = []
    for n in range(count):
        draft = drafting.dossier_start(applicant=citizen, procedure=procedure, agency=agency)
        drafting.dossier_save_draft(
            dossier=draft, actor=citizen, form_data=ANSWERS, submission_method="online", result_method="online",
            delivery_address={}, notify_sms=False, notify_email=False,
        )  # fmt: skip
        upload = SimpleUploadedFile("cccd.pdf", pdf(2000), content_type="application/pdf")
        papers.dossier_attach(dossier=draft, actor=citizen, requirement=identity, upload=upload)
        sent.append(sending.dossier_submit(dossier=draft, actor=citizen, idempotency_key=f"{key}-{n}"))
    return sent
