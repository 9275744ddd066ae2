import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from django.db import transaction

from dvc.notify.delivery import SCRUBBED_BODY
from dvc.notify.models import Message
from dvc.notify.services import message_send

pytestmark = pytest.mark.django_db


def send_sms(**kwargs):
    defaults = {"channel": Message.Channel.SMS, "recipient": "+84912345678", "template": "otp"}
    defaults.update(kwargs)
    defaults.setdefault("context", {"code": "123456", "purpose": "đăng nhập", "minutes": 5})
    return message_send(**defaults)


class Gateway:
    """A local SMS gateway: fails the first ``failures`` requests with HTTP 503, then accepts."""

    def __init__(self, failures=0):
        self.failures = failures
        self.requests = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                gateway.requests.append((dict(self.headers), body))
                status = 503 if len(gateway.requests) <= gateway.failures else 200
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}/sms"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def http_sms(settings):
    settings.DVC_SMS_BACKEND = "http"
    settings.DVC_SMS_HTTP_TOKEN = "secret-token"
    settings.DVC_NOTIFY_RETRY_SECONDS = 0
    settings.DVC_SMS_HTTP_TIMEOUT = 2
    return settings


def test_file_backend_writes_one_json_file_per_sms(outbox, tasks):
    send_sms()
    tasks()
    [sms] = outbox.sms()
    assert sms["to"] == "+84912345678"
    assert "123456" in sms["body"] and "đăng nhập" in sms["body"]
    assert sms["sent_at"]
    assert Message.objects.get().status == Message.Status.SENT


def test_delivery_is_enqueued_with_the_transaction_that_caused_it(outbox, tasks):
    with pytest.raises(RuntimeError), transaction.atomic():
        send_sms()
        raise RuntimeError("the cause rolled back")
    tasks()
    assert not Message.objects.exists()
    assert outbox.sms() == []


def test_the_delivery_task_is_written_with_the_message_as_the_task_backend_writes_it(outbox, tasks):
    """Issue 20, part 2: the task row that delivers a message goes in the message's statement instead of a round
    trip of its own; it is the row the database backend's ``enqueue`` writes, it is announced as enqueued (the
    request id the worker logs), and the worker delivers it."""
    from django.dispatch import receiver
    from django_tasks.signals import task_enqueued
    from django_tasks_db.models import DBTaskResult, get_date_max

    from dvc.notify.tasks import deliver_message

    announced = []

    @receiver(task_enqueued)
    def heard(sender, task_result, **kwargs):
        announced.append(str(task_result.id))

    try:
        message = send_sms()
        reference = deliver_message.enqueue(message_id=str(message.id)).id  # as the backend writes it
    finally:
        task_enqueued.disconnect(heard)
    written = DBTaskResult.objects.exclude(pk=reference).get()
    by_backend = DBTaskResult.objects.get(pk=reference)
    fields = [f.name for f in DBTaskResult._meta.concrete_fields if f.name not in {"id", "enqueued_at"}]
    assert {f: getattr(written, f) for f in fields} == {f: getattr(by_backend, f) for f in fields}
    assert written.args_kwargs == {"args": [], "kwargs": {"message_id": str(message.id)}}
    assert written.run_after == get_date_max() and written.status == "READY"
    assert announced == [str(written.pk), str(reference)]
    tasks()
    assert Message.objects.get().status == Message.Status.SENT
    assert len(outbox.sms()) == 1  # the second task found it sent


def test_another_task_backend_enqueues_each_message_itself(outbox, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    send_sms()
    assert Message.objects.get().status == Message.Status.SENT  # run at once by that backend
    assert not DBTaskResult.objects.exists()
    assert len(outbox.sms()) == 1


def test_http_gateway_receives_json_with_token(http_sms, tasks):
    with Gateway() as gateway:
        http_sms.DVC_SMS_HTTP_URL = gateway.url
        message = send_sms()
        tasks()
    [(headers, body)] = gateway.requests
    assert headers["Authorization"] == "Bearer secret-token"
    assert headers["Idempotency-Key"] == str(message.pk)
    assert body["to"] == "+84912345678" and "123456" in body["body"]
    message.refresh_from_db()
    assert message.status == Message.Status.SENT and message.attempts == 1


def test_failing_gateway_is_retried_until_it_accepts(http_sms, tasks):
    with Gateway(failures=2) as gateway:
        http_sms.DVC_SMS_HTTP_URL = gateway.url
        message = send_sms()
        tasks()
    assert len(gateway.requests) == 3
    message.refresh_from_db()
    assert message.status == Message.Status.SENT and message.attempts == 3


def test_gateway_that_never_accepts_marks_the_message_failed_and_keeps_it(http_sms, tasks):
    http_sms.DVC_NOTIFY_MAX_ATTEMPTS = 3
    with Gateway(failures=99) as gateway:
        http_sms.DVC_SMS_HTTP_URL = gateway.url
        message = send_sms(sensitive=True)
        tasks()
    assert len(gateway.requests) == 3
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert "503" in message.last_error
    assert message.body == SCRUBBED_BODY


def test_unreachable_gateway_is_retried(http_sms, tasks, free_port):
    port = free_port()
    http_sms.DVC_SMS_HTTP_URL = f"http://127.0.0.1:{port}/sms"
    http_sms.DVC_NOTIFY_MAX_ATTEMPTS = 2
    message = send_sms()
    tasks()
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED and message.attempts == 2
    assert "unreachable" in message.last_error


def test_a_sent_message_is_not_sent_again(outbox, tasks):
    from dvc.notify.tasks import deliver_message

    message = send_sms()
    tasks()
    deliver_message.enqueue(message_id=str(message.pk))
    tasks()
    assert len(outbox.sms()) == 1


def test_an_otp_not_delivered_before_it_expires_is_dropped(outbox, tasks):
    from django.utils import timezone

    send_sms(sensitive=True, expires_at=timezone.now())
    tasks()
    message = Message.objects.get()
    assert message.status == Message.Status.EXPIRED and message.body == SCRUBBED_BODY
    assert outbox.sms() == []


def test_smtp_path_delivers_to_a_real_smtp_server(settings, tasks, free_port):
    received = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            received.append(envelope)
            return "250 OK"

    port = free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        message_send(
            channel=Message.Channel.EMAIL,
            recipient="an@example.vn",
            template="account_activated",
            context={"id_number": "001085012345", "site_url": "http://dvc.test"},
        )
        tasks()
    finally:
        controller.stop()
    [envelope] = received
    assert envelope.rcpt_tos == ["an@example.vn"]
    text = envelope.content.decode("utf-8", "replace")
    assert "Subject:" in text
    assert Message.objects.get().status == Message.Status.SENT


def test_smtp_failure_is_retried(settings, tasks, free_port):
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.DVC_NOTIFY_RETRY_SECONDS = 0
    settings.DVC_NOTIFY_MAX_ATTEMPTS = 2
    message_send(channel=Message.Channel.EMAIL, recipient="an@example.vn", template="password_changed",
                 context={"id_number": "1", "changed_at": "now"})  # fmt: skip
    tasks()
    message = Message.objects.get()
    assert message.status == Message.Status.FAILED and message.attempts == 2


def test_file_email_backend_writes_into_the_outbox(settings, tasks, outbox):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    message_send(
        channel=Message.Channel.EMAIL,
        recipient="an@example.vn",
        template="account_activated",
        context={"id_number": "001085012345", "site_url": "http://dvc.test"},
    )
    tasks()
    files = list(outbox.path.glob("*.log"))
    assert len(files) == 1 and "an@example.vn" in files[0].read_text()
