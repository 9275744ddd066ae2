"""Demo data for `make run`: three agencies with their officers, two citizens. Loading it twice changes nothing.

The agency codes follow the QCVN 102:2016 shape but are examples, not the agencies' official identifiers.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from dvc.accounts.models import User
from dvc.agencies.models import AdminUnit, Agency, StaffRole
from dvc.agencies.services import admin_units_load, office_hours_set, staff_role_grant
from dvc.catalog.models import Procedure
from dvc.catalog.services import catalog_import
from dvc.dossiers.backoffice import appraisal, intake
from dvc.dossiers.citizen import drafting, papers, sending

DEMO_PASSWORD = "Demo@2026"


@dataclass(frozen=True)
class DemoLogin:
    id_number: str
    full_name: str
    phone: str
    description: str


_WEEKDAY_HOURS = [(dt.time(7, 30), dt.time(11, 30)), (dt.time(13, 30), dt.time(17, 0))]
_SATURDAY_MORNING = [(dt.time(7, 30), dt.time(11, 30))]

# (code, name, kind, level, admin unit (level, code), parent code, address, phone, saturday morning)
_AGENCIES = [
    ("000.00.00.H26", "Ủy ban nhân dân Thành phố Hà Nội", Agency.Kind.PROVINCE_COMMITTEE, Agency.Level.PROVINCE,
     ("province", "01"), None, "12 Lê Lai, phường Hoàn Kiếm, Hà Nội", "02438253536", False),
    ("000.00.01.H26", "Trung tâm Phục vụ hành chính công Thành phố Hà Nội", Agency.Kind.PROVINCE_CENTRE,
     Agency.Level.PROVINCE, ("province", "01"), "000.00.00.H26", "258 Võ Chí Công, phường Xuân La, Hà Nội",
     "02432003888", True),
    ("000.01.01.H26", "Trung tâm Phục vụ hành chính công phường Ba Đình", Agency.Kind.COMMUNE_CENTRE,
     Agency.Level.COMMUNE, ("commune", "00004"), "000.00.00.H26", "Số 25 Liễu Giai, phường Ba Đình, Hà Nội",
     "02438433362", True),
    ("000.00.00.H06", "Ủy ban nhân dân Thành phố Bắc Ninh", Agency.Kind.PROVINCE_COMMITTEE, Agency.Level.PROVINCE,
     ("province", "24"), None, "Số 10 Phù Đổng Thiên Vương, phường Kinh Bắc, Bắc Ninh", "02223822569", False),
    ("000.01.01.H06", "Trung tâm Phục vụ hành chính công phường Bắc Giang", Agency.Kind.COMMUNE_CENTRE,
     Agency.Level.COMMUNE, ("commune", "07210"), "000.00.00.H06", "Số 82 Hùng Vương, phường Bắc Giang, Bắc Ninh",
     "02043854478", False),
    # The agencies of the linked procedures' components (issue 19): the ward police and social insurance work on
    # this portal in Hà Nội; Bắc Ninh's social insurance works outside it, through the exchange (its address there).
    ("000.01.02.H26", "Công an phường Ba Đình", Agency.Kind.COMMUNE_POLICE, Agency.Level.COMMUNE,
     ("commune", "00004"), None, "Số 35 Đội Cấn, phường Ba Đình, Hà Nội", "02438456721", False),
    ("000.00.02.H26", "Bảo hiểm xã hội khu vực I", Agency.Kind.SOCIAL_INSURANCE, Agency.Level.PROVINCE,
     ("province", "01"), None, "Số 15 Trần Duy Hưng, phường Yên Hòa, Hà Nội", "02437478999", False),
    ("000.01.02.H06", "Công an phường Bắc Giang", Agency.Kind.COMMUNE_POLICE, Agency.Level.COMMUNE,
     ("commune", "07210"), None, "Số 5 Nguyễn Văn Cừ, phường Bắc Giang, Bắc Ninh", "02043855113", False),
    ("000.00.02.H06", "Bảo hiểm xã hội khu vực XI", Agency.Kind.SOCIAL_INSURANCE, Agency.Level.PROVINCE,
     ("province", "24"), None, "Số 2 Lý Thái Tổ, phường Kinh Bắc, Bắc Ninh", "02223821443", False),
]  # fmt: skip
# Agencies outside this portal: their address on the data-exchange platform (played by the exchange sandbox).
_OUTSIDE = {"000.00.02.H06": "bhxh.gov.vn:khu-vuc-xi"}

# (id number, name, birth date, sex, phone, [(agency code, role)], description)
_PEOPLE = [
    ("001080000001", "Lê Quản Trị", dt.date(1980, 1, 15), "male", "0912000001", [], "Quản trị hệ thống"),
    ("001185000002", "Phạm Thu Hà", dt.date(1985, 4, 2), "female", "0912000002",
     [("000.00.01.H26", StaffRole.Role.AGENCY_ADMIN)], "Quản trị cơ quan — Trung tâm PVHCC Hà Nội"),
    ("001090000011", "Nguyễn Minh Tuấn", dt.date(1990, 6, 20), "male", "0912000011",
     [("000.00.01.H26", StaffRole.Role.ONE_STOP_OFFICER)], "Cán bộ một cửa — Trung tâm PVHCC Hà Nội"),
    ("001191000012", "Đỗ Thị Lan", dt.date(1991, 9, 9), "female", "0912000012",
     [("000.00.01.H26", StaffRole.Role.SPECIALIST)], "Chuyên viên — Trung tâm PVHCC Hà Nội"),
    ("001075000013", "Trần Quốc Hưng", dt.date(1975, 11, 30), "male", "0912000013",
     [("000.00.01.H26", StaffRole.Role.LEADER)], "Lãnh đạo — Trung tâm PVHCC Hà Nội"),
    ("001193000021", "Vũ Thị Mai", dt.date(1993, 2, 14), "female", "0912000021",
     [("000.01.01.H26", StaffRole.Role.ONE_STOP_OFFICER)], "Cán bộ một cửa — phường Ba Đình"),
    ("001088000022", "Hoàng Văn Nam", dt.date(1988, 7, 7), "male", "0912000022",
     [("000.01.01.H26", StaffRole.Role.SPECIALIST)], "Chuyên viên — phường Ba Đình"),
    ("001172000023", "Ngô Thị Hạnh", dt.date(1972, 12, 1), "female", "0912000023",
     [("000.01.01.H26", StaffRole.Role.LEADER)], "Lãnh đạo — phường Ba Đình"),
    ("024094000031", "Dương Văn Khánh", dt.date(1994, 3, 3), "male", "0912000031",
     [("000.01.01.H06", StaffRole.Role.ONE_STOP_OFFICER)], "Cán bộ một cửa — phường Bắc Giang (Bắc Ninh)"),
    ("024187000032", "Lương Thị Thu", dt.date(1987, 8, 18), "female", "0912000032",
     [("000.01.01.H06", StaffRole.Role.SPECIALIST)], "Chuyên viên — phường Bắc Giang (Bắc Ninh)"),
    ("024070000033", "Thân Văn Phúc", dt.date(1970, 5, 25), "male", "0912000033",
     [("000.01.01.H06", StaffRole.Role.LEADER)], "Lãnh đạo — phường Bắc Giang (Bắc Ninh)"),
    # One officer per component agency, in its three roles (a small office): enough to follow a linked dossier.
    ("001089000041", "Đinh Công Sơn", dt.date(1989, 4, 19), "male", "0912000041",
     [("000.01.02.H26", role) for role in (StaffRole.Role.ONE_STOP_OFFICER, StaffRole.Role.SPECIALIST,
                                           StaffRole.Role.LEADER)], "Cán bộ — Công an phường Ba Đình"),
    ("001186000051", "Lý Thị Hoa", dt.date(1986, 1, 27), "female", "0912000051",
     [("000.00.02.H26", role) for role in (StaffRole.Role.ONE_STOP_OFFICER, StaffRole.Role.SPECIALIST,
                                           StaffRole.Role.LEADER)], "Cán bộ — Bảo hiểm xã hội khu vực I (Hà Nội)"),
    ("024091000042", "Tạ Văn Hùng", dt.date(1991, 10, 2), "male", "0912000042",
     [("000.01.02.H06", role) for role in (StaffRole.Role.ONE_STOP_OFFICER, StaffRole.Role.SPECIALIST,
                                           StaffRole.Role.LEADER)], "Cán bộ — Công an phường Bắc Giang (Bắc Ninh)"),
    ("001085012345", "Nguyễn Văn An", dt.date(1985, 3, 12), "male", "0987000001", [], "Công dân (Hà Nội)"),
    ("024192004321", "Trần Thị Bình", dt.date(1992, 10, 5), "female", "0987000002", [], "Công dân (Bắc Ninh)"),
]  # fmt: skip


# The title each demo leader signs under (NĐ 30/2020/NĐ-CP: "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH").
_TITLES = {
    "001075000013": "Giám đốc", "001172000023": "Phó Chủ tịch", "024070000033": "Chủ tịch",
    "001089000041": "Phó Trưởng Công an phường", "001186000051": "Phó Giám đốc",
    "024091000042": "Trưởng Công an phường",
}  # fmt: skip


def _unit(level: str, code: str) -> AdminUnit:
    return AdminUnit.objects.get(level=level, code=code)


DEMO_CATALOG = Path(__file__).resolve().parent.parent / "catalog" / "data" / "demo-catalog.json"


def load_demo() -> list[DemoLogin]:
    """Create or refresh the demo agencies, accounts and catalog; returns the logins to print."""
    if not AdminUnit.objects.exists():
        admin_units_load()
    catalog_import(data=json.loads(DEMO_CATALOG.read_text(encoding="utf-8")))
    logins = []
    with transaction.atomic():
        for code, name, kind, level, (unit_level, unit_code), parent, address, phone, saturday in _AGENCIES:
            agency, _created = Agency.objects.update_or_create(
                code=code,
                defaults={
                    "name": name,
                    "kind": kind,
                    "level": level,
                    "admin_unit": _unit(unit_level, unit_code),
                    "parent": Agency.objects.get(code=parent) if parent else None,
                    "address": address,
                    "phone": phone,
                    # Demo values: a real agency enters its own tax code and registered receipt symbols.
                    "tax_code": "01" + code[-3:].replace("H", "0") + "99999",
                    "receipt_template": "01BLP0-001",
                    "receipt_series": "BL-26E",
                    "exchange_address": _OUTSIDE.get(code, ""),
                },
            )
            hours = {weekday: list(_WEEKDAY_HOURS) for weekday in range(5)}
            if saturday:
                hours[5] = list(_SATURDAY_MORNING)
            office_hours_set(agency=agency, periods=hours)
        hanoi, ba_dinh = _unit("province", "01"), _unit("commune", "00004")
        bac_ninh, bac_giang = _unit("province", "24"), _unit("commune", "07210")
        for id_number, full_name, birth_date, sex, phone, roles, description in _PEOPLE:
            in_bac_ninh = id_number.startswith("024")
            user = User.objects.filter(id_number=id_number).first() or User(id_number=id_number)
            user.full_name = full_name
            user.birth_date = birth_date
            user.sex = sex
            user.phone = "+84" + phone[1:]
            user.province = bac_ninh if in_bac_ninh else hanoi
            user.commune = bac_giang if in_bac_ninh else ba_dinh
            user.is_active = True
            user.phone_verified_at = user.phone_verified_at or timezone.now()
            if id_number == "001080000001":
                user.is_staff = user.is_superuser = True
            if not user.password or not user.check_password(DEMO_PASSWORD):
                user.set_password(DEMO_PASSWORD)
            user.save()
            for agency_code, role in roles:
                staff_role_grant(
                    user=user, agency=Agency.objects.get(code=agency_code), role=role, title=_TITLES.get(id_number, "")
                )
            logins.append(DemoLogin(id_number, full_name, phone, description))
    _demo_dossiers()
    return logins


# The demo citizen's answers to the e-form of 1.004873 (xác nhận tình trạng hôn nhân), as the API takes them; the
# demo dossiers, the tests, the benchmarks and the smoke script all use this one copy.
DEMO_ANSWERS_FILE = Path(__file__).resolve().parent / "demo_answers.json"
MARITAL_ANSWERS: dict[str, object] = json.loads(DEMO_ANSWERS_FILE.read_text(encoding="utf-8"))


def _demo_dossiers() -> None:
    """Three dossiers of the demo citizen at phường Ba Đình, so the officers' queues are not empty on first sight:
    one waiting to be received, one with the specialist, and one whose result goes by post, with the postage
    still to pay online. Made once, without sending any SMS."""
    citizen = User.objects.get(id_number="001085012345")
    if citizen.dossiers.exists():
        return
    agency = Agency.objects.get(code="000.01.01.H26")
    officer = User.objects.get(id_number="001193000021")
    specialist = User.objects.get(id_number="001088000022")
    procedure = Procedure.objects.get(code="1.004873")
    identity = procedure.requirements.get(name__startswith="Giấy tờ tùy thân")
    sent = []
    by_post = {"province": "01", "commune": "00004", "line": "Số 1 Liễu Giai"}
    for n in range(3):
        dossier = drafting.dossier_start(applicant=citizen, procedure=procedure, agency=agency)
        drafting.dossier_save_draft(
            dossier=dossier, actor=citizen, form_data=MARITAL_ANSWERS, submission_method="online",
            result_method="post" if n == 2 else "online", delivery_address=by_post if n == 2 else {},
            notify_sms=False, notify_email=False,
        )  # fmt: skip
        photo = io.BytesIO()
        Image.new("RGB", (320, 200), "#dde").save(photo, "JPEG")
        upload = SimpleUploadedFile("cccd.jpg", photo.getvalue(), content_type="image/jpeg")
        papers.dossier_attach(dossier=dossier, actor=citizen, requirement=identity, upload=upload)
        sent.append(sending.dossier_submit(dossier=dossier, actor=citizen, idempotency_key=f"demo-{n}"))
    received = intake.dossier_receive(dossier=sent[1], actor=officer)
    appraisal.dossier_assign(dossier=received, actor=officer, specialist=specialist)
