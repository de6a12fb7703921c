"""Demo units and accounts (API.md, "Demo data"). Demo credentials live here only, never
in settings. Place names are fictional (division codes 99xxxx are unused in GB/T 2260)."""

from __future__ import annotations

from django.utils import timezone

from lantern.access.roles import Role
from lantern.accounts import actions
from lantern.accounts.models import Unit, User
from lantern.accounts.models.units import Branch, Level
from lantern.audit.events import Event
from lantern.audit.services import record
from lantern.core.actions import action

DEMO_PASSWORD = "lantern-demo"
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP"

# (code, name, English name, branch, level, division, parent code)
UNITS = [
    ("HX-GAT", "河西省公安厅", "Hexi Provincial Public Security Department", Branch.POLICE, Level.PROVINCE, "990000", None),
    ("AP-GAJ", "安平州公安局", "Anping Prefecture Public Security Bureau", Branch.POLICE, Level.PREFECTURE, "990100", "HX-GAT"),
    ("QS-GAJ", "清水县公安局", "Qingshui County Public Security Bureau", Branch.POLICE, Level.COUNTY, "990121", "AP-GAJ"),
    ("QS-XZDD", "清水县公安局刑事侦查大队", "Qingshui County Criminal Investigation Brigade", Branch.POLICE, Level.DEPARTMENT, "990121", "QS-GAJ"),
    ("QS-CGPCS", "清水县公安局城关派出所", "Chengguan Police Station, Qingshui County", Branch.POLICE, Level.STATION, "990121", "QS-GAJ"),
    ("HX-JCY", "河西省人民检察院", "Hexi Provincial People's Procuratorate", Branch.PROCURATORATE, Level.PROVINCE, "990000", None),
    ("AP-JCY", "安平州人民检察院", "Anping Prefecture People's Procuratorate", Branch.PROCURATORATE, Level.PREFECTURE, "990100", "HX-JCY"),
    ("QS-JCY", "清水县人民检察院", "Qingshui County People's Procuratorate", Branch.PROCURATORATE, Level.COUNTY, "990121", "AP-JCY"),
    ("QS-JCY-WJ", "清水县人民检察院未成年人检察办公室", "Minors' Office, Qingshui County Procuratorate", Branch.PROCURATORATE, Level.DEPARTMENT, "990121", "QS-JCY"),
    ("QS-FLYZ", "清水县法律援助中心", "Qingshui County Legal Aid Centre", Branch.PARTNER, Level.COUNTY, "990121", None),
    ("QS-XLZX", "清水县未成年人心理辅导中心", "Qingshui County Youth Counselling Centre", Branch.PARTNER, Level.COUNTY, "990121", None),
    ("AP-JW", "安平州纪委监委", "Anping Prefecture Discipline Inspection Commission", Branch.DISCIPLINE, Level.PREFECTURE, "990100", None),
    ("HX-XXZX", "河西省公安厅信息中心", "Hexi Provincial Information Centre", Branch.ADMINISTRATION, Level.PROVINCE, "990000", None),
]

MINORS_OFFICES = {"QS-JCY-WJ"}

# The units that issue documents to complainants: the prefix of their document numbers and
# the telephone printed on them (fictional: area code 0000 does not exist).
LETTERHEADS = {
    "HX-GAT": ("河公（刑）", "0000-6100110"),
    "AP-GAJ": ("安州公（刑）", "0000-6200110"),
    "QS-GAJ": ("清县公（刑）", "0000-6210110"),
    "QS-CGPCS": ("清县公（城关）", "0000-6211110"),
    "AP-JCY": ("安州检", "0000-6200309"),
    "QS-JCY": ("清县检", "0000-6210309"),
}

# (username, display name, unit code, roles)
ACCOUNTS = [
    ("intake", "接警员（演示）", "QS-CGPCS", [Role.INTAKE_OFFICER]),
    ("investigator", "侦查员甲（演示）", "QS-XZDD", [Role.INVESTIGATOR]),
    ("investigator2", "侦查员乙（演示）", "QS-XZDD", [Role.INVESTIGATOR]),
    ("supervisor", "大队长（演示）", "QS-XZDD", [Role.SUPERVISOR]),
    ("county_head", "县局领导（演示）", "QS-GAJ", [Role.UNIT_HEAD]),
    ("prosecutor", "检察官（演示）", "QS-JCY-WJ", [Role.PROSECUTOR]),
    # One level up: decides the victim's appeal against a county decision not to prosecute (CPL art. 180).
    ("prefecture_prosecutor", "州检察院检察官（演示）", "AP-JCY", [Role.PROSECUTOR]),
    ("partner_legal_aid", "法律援助律师（演示）", "QS-FLYZ", [Role.PARTNER_CASEWORKER]),
    ("partner_counselling", "心理咨询师（演示）", "QS-XLZX", [Role.PARTNER_CASEWORKER]),
    ("analyst", "专项行动分析员（演示）", "AP-GAJ", [Role.CAMPAIGN_ANALYST]),
    ("inspector", "纪检监察员（演示）", "AP-JW", [Role.DISCIPLINE_INSPECTOR]),
    ("admin", "系统管理员（演示）", "HX-XXZX", [Role.ADMINISTRATOR]),
    # Institutions (强制报告, 入职查询): a primary school and a hotel served by the Chengguan station.
    ("school", "城关第一小学（演示）", "QS-CGXX", [Role.INSTITUTION]),
    ("hotel", "河畔宾馆前台（演示）", "QS-HPBG", [Role.INSTITUTION]),
]

# (code, name, English name, kind, fictional address, division, serving unit code)
INSTITUTIONS = [
    ("QS-CGXX", "清水县城关第一小学", "Chengguan No. 1 Primary School, Qingshui County", "school",
     "清水县城关镇学府路1号", "990121", "QS-CGPCS"),
    ("QS-HPBG", "清水县河畔宾馆", "Riverside Hotel, Qingshui County", "hotel", "清水县城关镇滨河路8号",
     "990121", "QS-CGPCS"),
]


@action
def enrol_demo_second_factor(*, user: User) -> None:
    user.totp_secret, user.totp_confirmed_at = DEMO_TOTP_SECRET, timezone.now()
    user.save(update_fields=["totp_secret", "totp_confirmed_at"])
    record(actor=None, action=Event.ACCOUNT_SECOND_FACTOR_ENROLLED, obj=user, details={"demo": True})


def load_units() -> dict[str, Unit]:
    units: dict[str, Unit] = {u.code: u for u in Unit.objects.all()}
    for code, name, name_en, branch, level, division, parent in UNITS:
        prefix, phone = LETTERHEADS.get(code, ("", ""))
        if code not in units:
            units[code] = actions.create_unit(
                actor=None, code=code, name=name, name_en=name_en, branch=branch, level=level,
                division_code=division, parent=units[parent] if parent else None,
                handles_minors=code in MINORS_OFFICES, contact_phone=phone, document_prefix=prefix)
        elif prefix and not units[code].document_prefix:  # a demo database from before the letterheads
            Unit.objects.filter(pk=units[code].pk).update(document_prefix=prefix, contact_phone=phone)
            units[code].refresh_from_db()
    for code, name, name_en, kind, address, division, serving in INSTITUTIONS:
        if code not in units:
            units[code] = actions.register_institution(
                actor=None, code=code, name=name, name_en=name_en, kind=kind, address=address,
                division_code=division, serving_unit=units[serving]).unit
    return units


def load_accounts(units: dict[str, Unit]) -> list[User]:
    created = []
    for username, display, unit_code, roles in ACCOUNTS:
        if User.objects.filter(username=username).exists():
            continue
        user = actions.create_user(actor=None, username=username, password=DEMO_PASSWORD,
                                   unit=units[unit_code], roles=roles, display_name=display,
                                   email=f"{username}@demo.lantern.invalid", validate=False)
        enrol_demo_second_factor(user=user)
        created.append(user)
    return created


def load() -> list[User]:
    return load_accounts(load_units())
