"""Several writes in one statement (``dvc.together``): what each write leaves is what ``save()`` or ``update()``
would leave, on either database, and the writes succeed or fail together."""

import uuid

import pytest
from django.db import IntegrityError, ProgrammingError, connection, transaction

from dvc.accounts.models import User
from dvc.accounts.tests.factories import UserFactory
from dvc.notify.models import Message, Notice
from dvc.together import Insert, Update, writes_together


@pytest.mark.django_db
def test_rows_written_together_are_those_save_writes():
    user = UserFactory()
    notice = Notice(user=user, template="t", title="Tiêu đề", body="Nội dung có dấu")
    message = Message(channel=Message.Channel.SMS, recipient="0912345678", template="t", body="Nội dung")
    keys = writes_together([Insert(notice), Insert(message)])
    assert keys == [notice.pk, message.pk] and isinstance(notice.pk, int)
    assert not notice._state.adding and not message._state.adding
    kept = Notice.objects.get(pk=notice.pk)
    assert (kept.user_id, kept.title, kept.body, kept.created_at) == (user.pk, "Tiêu đề", "Nội dung có dấu",
                                                                      notice.created_at)  # fmt: skip
    sent = Message.objects.get(pk=message.pk)
    assert (sent.recipient, sent.status, sent.attempts) == ("0912345678", Message.Status.PENDING, 0)


@pytest.mark.django_db
def test_an_update_says_how_many_rows_it_changed_or_what_the_one_it_changed_holds():
    user = UserFactory()
    first, _second, third = (Notice.objects.create(user=user, template="t", title=f"{n}", body="b") for n in range(3))
    changed, title, none = writes_together(
        [
            Update(Notice.objects.filter(user=user).exclude(pk=first.pk), {"body": "mới"}),
            Update(Notice.objects.filter(pk=first.pk), {"title": "đổi"}, returning="title"),
            Update(Notice.objects.filter(pk=third.pk, title="không có"), {"title": "x"}, returning="title"),
        ]
    )
    assert (changed, title, none) == (2, "đổi", None)
    assert set(Notice.objects.values_list("title", "body")) == {("đổi", "b"), ("1", "mới"), ("2", "mới")}


@pytest.mark.run_last
@pytest.mark.django_db(transaction=True)
def test_when_one_write_fails_none_is_kept():
    """Outside any transaction of the caller's: on PostgreSQL the one statement fails whole; elsewhere the writes'
    own transaction is rolled back."""
    from dvc.dossiers.tests.factories import ensure_catalog

    ensure_catalog()  # a transactional test starts from an empty database
    user = UserFactory()
    taken = Message.objects.create(channel=Message.Channel.SMS, recipient="0912345678", template="t", body="b")
    notice = Notice(user=user, template="t", title="không được giữ", body="b")
    twice = Message(id=taken.pk, channel=Message.Channel.SMS, recipient="0987654321", template="t", body="b")
    with pytest.raises(IntegrityError):
        writes_together([Insert(notice), Insert(twice)])
    assert not Notice.objects.filter(title="không được giữ").exists()
    assert Message.objects.get().recipient == "0912345678"


@pytest.mark.django_db
def test_a_clause_of_ones_own_runs_only_where_it_can():
    user = UserFactory()
    notice = Notice(user=user, template="t", title="t", body="b")
    before = ("extra", "SELECT 1", [])
    if connection.vendor == "postgresql":
        assert writes_together([Insert(notice)], before=before) == [notice.pk]
    else:
        with pytest.raises(ValueError, match="PostgreSQL"):
            writes_together([Insert(notice)], before=before)
        assert not Notice.objects.exists()


@pytest.mark.django_db
def test_what_a_write_returns_is_read_as_the_orm_reads_it_on_either_database():
    user = UserFactory()
    notice = Notice.objects.create(user=user, template="t", title="t", body="b")
    message = Message.objects.create(channel=Message.Channel.SMS, recipient="0912345678", template="t", body="b")
    moment, key = writes_together(
        [
            Update(Notice.objects.filter(pk=notice.pk), {"body": "c"}, returning="created_at"),
            Update(Message.objects.filter(pk=message.pk), {"body": "c"}, returning="id"),
        ]
    )
    assert moment == notice.created_at and moment.tzinfo is not None
    assert key == message.pk and isinstance(key, uuid.UUID)


@pytest.mark.django_db
def test_a_value_returned_from_several_rows_is_refused_and_nothing_is_kept():
    user = UserFactory()
    for n in range(2):
        Notice.objects.create(user=user, template="t", title=f"{n}", body="b")
    with pytest.raises(ProgrammingError), transaction.atomic():
        writes_together([Update(Notice.objects.filter(user=user), {"body": "c"}, returning="title")])
    assert set(Notice.objects.values_list("body", flat=True)) == {"b"}


@pytest.mark.django_db
def test_a_row_that_points_to_an_unsaved_one_is_refused_as_save_refuses_it():
    unsaved = User(full_name="Chưa lưu")
    with pytest.raises(ValueError, match="unsaved"):
        writes_together([Insert(Notice(user=unsaved, template="t", title="t", body="b"))])
    assert not Notice.objects.exists()


@pytest.mark.django_db
def test_a_row_written_together_has_its_models_save_signals_and_an_update_none():
    """As ``save()``: a model's ``pre_save`` receivers may fill a field (django-tasks-db's fills a task row's
    ``run_after``), and ``post_save`` says the row was created; as ``update()``, an update sends neither."""
    from django.db.models.signals import post_save, pre_save

    heard = []

    def before(sender, instance, **kwargs):
        instance.title = "điền trước khi ghi"
        heard.append(("pre", instance.pk))

    def after(sender, instance, created, **kwargs):
        heard.append(("post", instance.pk, created))

    pre_save.connect(before, sender=Notice, dispatch_uid="together-test-pre")
    post_save.connect(after, sender=Notice, dispatch_uid="together-test-post")
    try:
        user = UserFactory()
        notice = Notice(user=user, template="t", title="", body="b")
        writes_together([Insert(notice)])
        writes_together([Update(Notice.objects.filter(pk=notice.pk), {"body": "c"})])
    finally:
        pre_save.disconnect(sender=Notice, dispatch_uid="together-test-pre")
        post_save.disconnect(sender=Notice, dispatch_uid="together-test-post")
    assert heard == [("pre", None), ("post", notice.pk, True)]
    assert Notice.objects.get(pk=notice.pk).title == "điền trước khi ghi"
