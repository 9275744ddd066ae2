import datetime as dt

import pytest

from dvc.accounts.tests.factories import UserFactory
from dvc.agencies.models import CalendarDay, StaffRole
from dvc.agencies.services import calendar_day_set, staff_role_grant
from dvc.agencies.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def test_admin_has_no_password_only_login(client):
    response = client.get("/quan-tri/")
    assert response.status_code == 302
    response = client.get(response.url)
    assert response.status_code == 302
    assert response.url.startswith("/dang-nhap/")


def test_a_citizen_cannot_enter_the_admin_and_is_told_so_without_a_redirect_loop(client):
    """Issue 15 (low): /quan-tri/ looped between the admin and the login for a signed-in citizen."""
    client.force_login(UserFactory())
    first = client.get("/quan-tri/")
    assert first.status_code == 302
    second = client.get(first.url)
    assert second.status_code == 403 and "Không có quyền truy cập" in second.content.decode()


def test_the_admins_own_password_change_goes_through_the_portal(client):
    """Issue 15 (low): the stock admin password change skipped the portal (tokens kept, no SMS)."""
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    answer = client.post(
        "/quan-tri/password_change/", {"old_password": "x", "new_password1": "Moi@12345", "new_password2": "Moi@12345"}
    )
    assert answer.status_code in (301, 302) and answer.url == "/tai-khoan/doi-mat-khau/"
    staff.refresh_from_db()
    assert not staff.check_password("Moi@12345")


def test_agency_admin_manages_only_their_agency_calendar(client):
    mine, other = AgencyFactory(name="Trung tâm của tôi"), AgencyFactory(name="Trung tâm khác")
    admin_user = UserFactory()
    staff_role_grant(user=admin_user, agency=mine, role=StaffRole.Role.AGENCY_ADMIN)
    calendar_day_set(agency=mine, date=dt.date(2026, 3, 3), kind=CalendarDay.Kind.DAY_OFF, note="Nghỉ của tôi")
    calendar_day_set(
        agency=other, date=dt.date(2026, 3, 4), kind=CalendarDay.Kind.DAY_OFF, note="Nghỉ của cơ quan khác"
    )
    client.force_login(admin_user)

    listing = client.get("/quan-tri/agencies/calendarday/").content.decode()
    assert "Nghỉ của tôi" in listing
    assert "Nghỉ của cơ quan khác" not in listing
    assert "Trung tâm khác" not in listing

    form = client.get("/quan-tri/agencies/calendarday/add/").content.decode()
    assert "Trung tâm của tôi" in form and "Trung tâm khác" not in form

    response = client.post(
        "/quan-tri/agencies/calendarday/add/",
        {"agency": other.pk, "date": "2026-03-05", "kind": "day_off", "note": "Chen ngang"},
    )
    assert response.status_code == 200  # refused: not one of the choices
    assert not CalendarDay.objects.filter(note="Chen ngang").exists()

    response = client.post(
        "/quan-tri/agencies/calendarday/add/",
        {"agency": mine.pk, "date": "2026-03-06", "kind": "working_day", "note": "Làm bù"},
    )
    assert response.status_code == 302
    day = CalendarDay.objects.get(note="Làm bù")
    assert day.created_by == admin_user


def test_agency_admin_cannot_see_accounts(client):
    admin_user = UserFactory()
    staff_role_grant(user=admin_user, agency=AgencyFactory(), role=StaffRole.Role.AGENCY_ADMIN)
    client.force_login(admin_user)
    assert client.get("/quan-tri/accounts/user/").status_code == 403


def test_admin_pages_are_in_vietnamese(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    html = client.get("/quan-tri/").content.decode()
    assert "Quản trị Cổng Dịch vụ công" in html and "Lịch làm việc điều chỉnh" in html


def test_system_admin_edits_an_account_without_seeing_its_password(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    citizen = UserFactory(full_name="Nguyễn Văn An")
    html = client.get(f"/quan-tri/accounts/user/{citizen.pk}/change/").content.decode()
    assert "Nguyễn Văn An" in html
    assert "argon2" not in html


def test_a_role_added_in_the_admin_opens_the_admin_to_a_new_agency_admin(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    officer, agency = UserFactory(), AgencyFactory()
    response = client.post(
        "/quan-tri/agencies/staffrole/add/",
        {"user": officer.pk, "agency": agency.pk, "role": "agency_admin", "is_active": "on"},
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.is_staff and officer.groups.filter(name="Quản trị cơ quan").exists()


@pytest.mark.parametrize("role", ["leader", "specialist", "one_stop_officer"])
def test_an_agency_admin_cannot_grant_themselves_a_role_that_handles_dossiers(client, role):
    """Issue 15 (separation of duties): an agency admin could make themselves leader and sign results."""
    agency = AgencyFactory()
    admin_user = UserFactory()
    staff_role_grant(user=admin_user, agency=agency, role=StaffRole.Role.AGENCY_ADMIN)
    client.force_login(admin_user)
    mine = {"user": admin_user.pk, "agency": agency.pk, "role": role, "is_active": "on"}
    refused = client.post("/quan-tri/agencies/staffrole/add/", mine)
    assert refused.status_code == 200 and "không tự cấp" in refused.content.decode()
    assert not StaffRole.objects.filter(user=admin_user, role=role).exists()
    own_admin_role = StaffRole.objects.get(user=admin_user, role="agency_admin")
    changed = client.post(
        f"/quan-tri/agencies/staffrole/{own_admin_role.pk}/change/",
        {"user": admin_user.pk, "agency": agency.pk, "role": role, "is_active": "on"},
    )
    assert changed.status_code == 200 and StaffRole.objects.get(pk=own_admin_role.pk).role == "agency_admin"
    colleague = UserFactory()
    granted = client.post("/quan-tri/agencies/staffrole/add/", {**mine, "user": colleague.pk})
    assert granted.status_code == 302 and StaffRole.objects.filter(user=colleague, role=role).exists()


def test_the_agency_admin_enters_the_title_a_leader_signs_under(client):
    """Review of issue 17: a leader without a title cannot sign a templated result, and the admin had no field
    to give one."""
    agency = AgencyFactory()
    admin_user, leader = UserFactory(), UserFactory()
    staff_role_grant(user=admin_user, agency=agency, role=StaffRole.Role.AGENCY_ADMIN)
    client.force_login(admin_user)
    form = client.get("/quan-tri/agencies/staffrole/add/").content.decode()
    assert 'name="title"' in form
    added = client.post(
        "/quan-tri/agencies/staffrole/add/",
        {"user": leader.pk, "agency": agency.pk, "role": "leader", "title": "Phó Chủ tịch", "is_active": "on"},
    )
    assert added.status_code == 302
    assert StaffRole.objects.get(user=leader, role="leader").title == "Phó Chủ tịch"
