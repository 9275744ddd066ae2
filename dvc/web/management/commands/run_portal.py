"""Start the web server and the task worker together, and say where to open the portal and how to log in."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from dvc.dossiers.tasks import schedule_deadline_reminders
from dvc.payments.tasks import schedule_reconciliation
from dvc.web.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Run the portal (web server + background worker) for local use, printing the demo logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--addr", default="127.0.0.1:8000", help="address:port for the web server")

    def handle(self, *args: Any, addr: str, **options: Any) -> None:
        manage = str(Path(settings.BASE_DIR) / "manage.py")
        logins = load_demo()
        schedule_deadline_reminders()  # daily at 07:00 through the worker started below
        schedule_reconciliation()  # every 15 minutes: payments whose IPN never came
        url = f"http://{addr}/"
        lines = [
            "",
            "=" * 72,
            f"  Cổng Dịch vụ công đang chạy tại: {url}",
            f"  Trang quản trị: {url}quan-tri/   API: {url}api/v1/docs",
            f"  Mật khẩu mọi tài khoản thử nghiệm: {DEMO_PASSWORD}",
            f"  Mã OTP (SMS) và thư điện tử được ghi vào: {settings.OUTBOX_DIR}/",
            f"  Đăng nhập bằng định danh điện tử (máy chủ thử nghiệm): {url}dang-nhap/dinh-danh/",
            "",
            *(f"  {login.id_number}  {login.description}" for login in logins),
            "",
            "  Nhấn Ctrl+C để dừng.",
            "=" * 72,
            "",
        ]
        self.stdout.write("\n".join(lines))
        # Links in SMS, e-mails, receipts and QR codes point where this portal answers, unless set otherwise.
        env = {**os.environ, "DVC_SITE_URL": os.environ.get("DVC_SITE_URL", url.rstrip("/"))}
        # Served as a citizen would meet it: the portal's own error pages (not Django's debug pages), static files
        # compressed and cached under hashed names. DVC_DEBUG=1 brings the debug pages back.
        env.setdefault("DVC_DEBUG", "0")
        subprocess.run([sys.executable, manage, "collectstatic", "--noinput", "-v", "0"], env=env, check=True)  # noqa: S603
        processes = [
            subprocess.Popen([sys.executable, manage, "run_worker", "--interval", "0.5"], env=env),  # noqa: S603
            subprocess.Popen([sys.executable, manage, "runserver", addr, "--noreload"], env=env),  # noqa: S603
        ]

        def stop(*_args: Any) -> None:
            for process in processes:
                if process.poll() is None:
                    process.terminate()

        signal.signal(signal.SIGTERM, stop)
        try:
            while all(process.poll() is None for process in processes):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            stop()
            for process in processes:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
