import re

import pytest
from django.urls import reverse

from dvc.accounts.tests.factories import UserFactory
from dvc.dossiers.models import DossierAttachment
from dvc.dossiers.tests.factories import DossierFactory

pytestmark = pytest.mark.django_db


def test_another_citizen_gets_404_everywhere(client, submitted_dossier):
    owner, stranger = UserFactory(), UserFactory()
    dossier = submitted_dossier(owner)
    attachment = DossierAttachment.objects.get(dossier=dossier)
    urls = [
        reverse("dossiers:detail", args=[dossier.pk]),
        reverse("dossiers:edit", args=[dossier.pk]),
        reverse("dossiers:submit", args=[dossier.pk]),
        reverse("dossiers:receipt", args=[dossier.pk]),
        reverse("dossiers:printable", args=[dossier.pk]),
        reverse("dossiers:attachment", args=[dossier.pk, attachment.pk]),
    ]
    client.force_login(stranger)
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("dossiers:withdraw", args=[dossier.pk]), {"reason": "x"}).status_code == 404
    client.force_login(owner)
    for url in urls[:1] + urls[3:]:
        assert client.get(url).status_code == 200, url


def test_attachments_are_served_privately(client, submitted_dossier):
    owner = UserFactory()
    dossier = submitted_dossier(owner)
    attachment = DossierAttachment.objects.get(dossier=dossier)
    client.force_login(owner)
    response = client.get(reverse("dossiers:attachment", args=[dossier.pk, attachment.pk]))
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    assert "sandbox" in response["Content-Security-Policy"]
    client.logout()
    assert client.get(reverse("dossiers:attachment", args=[dossier.pk, attachment.pk])).status_code == 302


def test_my_dossiers_lists_only_mine_in_folders(client, submitted_dossier):
    owner, other = UserFactory(), UserFactory()
    mine = submitted_dossier(owner)
    theirs = submitted_dossier(other, key="k2")
    client.force_login(owner)
    html = client.get(reverse("dossiers:mine") + "?muc=da-gui").content.decode()
    assert mine.code in html and theirs.code not in html
    # 1.004873 has no fee line, so it is not waiting for payment.
    assert mine.code not in client.get(reverse("dossiers:mine") + "?muc=cho-thanh-toan").content.decode()
    assert mine.code not in client.get(reverse("dossiers:mine") + "?muc=chua-gui").content.decode()


@pytest.mark.parametrize(
    ("status", "shown"),
    [
        ("processing", ["done", "done", "current", "todo", "todo"]),
        ("needs_supplement", ["done", "current", "todo", "todo", "todo"]),
        ("returned", ["done", "done", "done", "done", "done"]),
        ("refused", ["done", "todo", "todo", "todo", "todo"]),
    ],
)
def test_the_dossier_page_shows_where_the_dossier_stands(client, status, shown):
    """Issue 16, part 2: a status timeline nộp → tiếp nhận → xử lý → có kết quả → đã trả."""
    dossier = DossierFactory(submitted=True, status=status)
    client.force_login(dossier.applicant)
    page = client.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    timeline = re.search(r'<ol class="timeline"[^>]*>(.*?)</ol>', page, re.S).group(1)
    assert re.findall(r'class="step-(\w+)"', timeline) == shown
    if status == "needs_supplement":
        assert "Chờ bạn bổ sung" in timeline
