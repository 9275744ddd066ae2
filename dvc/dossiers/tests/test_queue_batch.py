"""Officer productivity (issue 17, part 9): several dossiers received or assigned at once from a queue, each
through its own action; "Việc của tôi hôm nay" lists what waits for this officer's own hand."""

import pytest
from django.urls import reverse

from dvc.dossiers.models import AuditEntry, Dossier
from dvc.dossiers.tests.factories import DossierFactory, agency_staff, commune_centre

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    agency = commune_centre()
    return agency, agency_staff(agency)


def test_the_officer_receives_three_new_dossiers_at_once(client, office):
    agency, staff = office
    new = [DossierFactory(submitted=True, agency=agency) for _ in range(3)]
    foreign = DossierFactory(submitted=True, agency=commune_centre(code="000.02.02.H26"))
    client.force_login(staff.officer)
    page = client.get(reverse("staff:queue") + "?hang=moi").content.decode()
    assert page.count('name="dossier"') == 3 and "Tiếp nhận các hồ sơ đã chọn" in page
    chosen = [str(d.pk) for d in new] + [str(foreign.pk), "not-a-uuid"]
    page = client.post(
        reverse("staff:batch"), {"action": "tiep-nhan", "dossier": chosen, "hang": "moi"}, follow=True
    ).content.decode()
    assert "Đã tiếp nhận 3 hồ sơ" in page and "một hồ sơ không có trong hàng đợi của bạn" in page
    assert foreign.code not in page
    assert all(Dossier.objects.get(pk=d.pk).status == Dossier.Status.PROCESSING for d in new)
    assert Dossier.objects.get(pk=foreign.pk).status == Dossier.Status.SUBMITTED
    assert AuditEntry.objects.filter(action="receive").count() == 3
    # Once more: each says why it cannot be received again, nothing changes.
    page = client.post(
        reverse("staff:batch"), {"action": "tiep-nhan", "dossier": [str(new[0].pk)], "hang": "moi"}, follow=True
    ).content.decode()
    assert "Không thực hiện được" in page and new[0].code in page


def test_the_officer_assigns_several_dossiers_to_a_specialist(client, office):
    agency, staff = office
    waiting = [DossierFactory(processing=True, agency=agency) for _ in range(2)]
    client.force_login(staff.officer)
    page = client.get(reverse("staff:queue") + "?hang=dang-xu-ly").content.decode()
    assert "Giao các hồ sơ đã chọn" in page and staff.specialist.full_name in page
    data = {"action": "giao", "dossier": [str(d.pk) for d in waiting], "specialist": staff.specialist.pk}
    page = client.post(reverse("staff:batch"), {**data, "hang": "dang-xu-ly"}, follow=True).content.decode()
    assert "Đã giao thụ lý 2 hồ sơ" in page
    assert all(Dossier.objects.get(pk=d.pk).assigned_to_id == staff.specialist.pk for d in waiting)
    page = client.post(reverse("staff:batch"), {"action": "giao", "dossier": [str(waiting[0].pk)]}, follow=True)
    assert "Vui lòng chọn chuyên viên." in page.content.decode()


def test_nothing_chosen_is_said_plainly(client, office):
    _agency, staff = office
    client.force_login(staff.officer)
    page = client.post(reverse("staff:batch"), {"action": "tiep-nhan"}, follow=True).content.decode()
    assert "Vui lòng chọn ít nhất một hồ sơ" in page


def test_my_work_today_is_what_waits_for_my_own_hand(client, office):
    agency, staff = office
    new = DossierFactory(submitted=True, agency=agency)
    mine = DossierFactory(processing=True, agency=agency, assigned_to=staff.specialist)
    others = DossierFactory(processing=True, agency=agency, assigned_to=staff.leader)
    proposed = DossierFactory(awaiting_approval=True, agency=agency, assigned_to=staff.specialist)
    ready = DossierFactory(result_ready=True, agency=agency)
    expected = {
        staff.officer: {new, ready},
        staff.specialist: {mine},
        staff.leader: {others, proposed},  # the leader decides; receiving and returning is the counter's
    }
    for who, wanted in expected.items():
        client.force_login(who)
        page = client.get(reverse("staff:queue") + "?hang=viec-cua-toi").content.decode()
        shown = {d for d in (new, mine, others, proposed, ready) if d.code in page}
        assert shown == wanted, who.full_name
