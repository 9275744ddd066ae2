"""Writes of the notify app: queue a message for delivery, put back deliveries whose task was lost."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.template import Context, Engine, TemplateDoesNotExist
from django.utils import timezone, translation
from django_tasks.signals import task_enqueued
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from dvc.notify.models import Message, Notice
from dvc.notify.tasks import deliver_message
from dvc.together import Insert, writes_together

logger = logging.getLogger(__name__)


def _render(template: str, suffix: str, context: dict[str, Any]) -> str:
    # Citizens read messages in Vietnamese whatever language the page that caused them was in. Messages are plain
    # text (SMS, text e-mail, the "Thông báo" page escapes when it shows them): no HTML escaping here.
    with translation.override("vi"):
        source = Engine.get_default().get_template(f"notify/messages/{template}.{suffix}")
        return str(source.render(Context(context, autoescape=False))).strip()


def message_send(**fields: Any) -> Message:
    """Queue one message (``message_for``'s arguments) and enqueue its delivery in the same transaction as the
    change that caused it (no savepoint of its own: inside that change, a failure here undoes the change)."""
    message = message_for(**fields)
    told_save([message])
    return message


def message_for(
    *,
    channel: str,
    recipient: str,
    template: str,
    context: dict[str, Any],
    sensitive: bool = False,
    expires_at: dt.datetime | None = None,
    attachment: tuple[str, str] | None = None,
) -> Message:
    """The message ``message_send`` queues, not yet written: for ``told_save`` with the others of the same change."""
    return Message(
        channel=channel,
        recipient=recipient,
        template=template,
        subject=_render(template, "subject.txt", context) if channel == Message.Channel.EMAIL else "",
        body=_render(template, "txt", context),
        sensitive=sensitive,
        expires_at=expires_at,
        # (file name, storage path): a PDF attached to an e-mail, within DVC_EMAIL_ATTACH_MAX_BYTES.
        **(
            {"attachment_name": attachment[0][:120], "attachment_path": attachment[1][:255]}
            if attachment and channel == Message.Channel.EMAIL
            else {}
        ),
    )


def told_save(told: list[Notice | Message]) -> None:
    """Write the notices and messages of one change and the task rows that deliver the messages, in one statement
    on PostgreSQL (issue 20, part 2: a submission's notice, SMS and task were a round trip each), in the transaction
    of the change (no savepoint of its own: a failure here undoes the change)."""
    if not told:
        return
    messages = [item for item in told if isinstance(item, Message)]
    with transaction.atomic(savepoint=False):
        backend, tasks = _delivery_rows(messages)
        writes_together([Insert(item) for item in [*told, *tasks]])
        for row in tasks:
            task_enqueued.send(type(backend), task_result=row.task_result)
        if not tasks:
            for message in messages:
                deliver_message.enqueue(message_id=str(message.id))


def _delivery_rows(messages: list[Message]) -> tuple[Any, list[DBTaskResult]]:
    """The task rows that deliver ``messages``, not yet written, to go in the messages' statement (issue 20, part
    2: the database's task backend wrote each in a round trip of its own). They are the rows its ``enqueue``
    writes. No rows for another backend, or one that makes its own ids: each message is then enqueued as usual."""
    backend = deliver_message.get_backend()
    if not messages or type(backend) is not DatabaseBackend or backend.options.get("id_function"):
        return backend, []
    backend.validate_task(deliver_message)
    rows: list[DBTaskResult] = [
        DBTaskResult(
            args_kwargs={"args": [], "kwargs": {"message_id": str(message.id)}},
            priority=deliver_message.priority,
            task_path=deliver_message.module_path,
            queue_name=deliver_message.queue_name,
            run_after=deliver_message.run_after,  # type: ignore[misc] # None: its pre_save sets "whenever"
            backend_name=backend.alias,
        )
        for message in messages
    ]
    return backend, rows


def messages_requeue_stranded(*, older_than: dt.timedelta = dt.timedelta(minutes=10)) -> int:
    """Enqueue delivery again for pending messages whose task was lost (e.g. the worker's database was reset)."""
    cutoff = timezone.now() - older_than
    count = 0
    stranded = Message.objects.filter(status=Message.Status.PENDING, created_at__lt=cutoff).filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=timezone.now())
    )
    for message_id in stranded.values_list("pk", flat=True):
        with transaction.atomic():
            deliver_message.enqueue(message_id=str(message_id))
        count += 1
    return count


def notice_post(*, user: Any, template: str, context: dict[str, Any], link: str = "") -> Notice:
    """Keep the notice in the person's "Thông báo" page, in the transaction of the change it tells of."""
    notice = notice_for(user=user, template=template, context=context, link=link)
    notice.save(force_insert=True)
    return notice


def notice_for(*, user: Any, template: str, context: dict[str, Any], link: str = "") -> Notice:
    """The notice ``notice_post`` keeps, not yet written (``told_save``): its title is the e-mail's subject when the
    message has one, its text the message's."""
    try:
        title = _render(template, "subject.txt", context)
    except TemplateDoesNotExist:
        title = ""
    body = _render(template, "txt", context).removeprefix("DVC: ")
    return Notice(user=user, template=template, title=(title or body)[:255], body=body, link=link[:255])


def notices_mark_read(*, user_id: Any) -> int:
    """The person's notices, once shown on their page, count as read."""
    return Notice.objects.filter(user=user_id, read_at__isnull=True).update(read_at=timezone.now())
