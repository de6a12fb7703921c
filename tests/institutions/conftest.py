import pytest

from lantern.access.roles import Role
from lantern.accounts import actions
from tests.factories import make_user


@pytest.fixture
def schools(units):
    """Two institutions served by the Chengguan station: a primary school and a hospital."""
    school = actions.register_institution(actor=None, code="T-SCHOOL", name="测试第一小学", kind="school",
                                          address="测试镇学府路1号", division_code="990121",
                                          serving_unit=units["QS-CGPCS"])
    hospital = actions.register_institution(actor=None, code="T-HOSP", name="测试县人民医院", kind="hospital",
                                            address="测试镇医院路2号", division_code="990121",
                                            serving_unit=units["QS-CGPCS"])
    units.update({"T-SCHOOL": school.unit, "T-HOSP": hospital.unit})
    return {"school": school, "hospital": hospital,
            "teacher": make_user(units, "T-SCHOOL", Role.INSTITUTION, username="teacher"),
            "doctor": make_user(units, "T-HOSP", Role.INSTITUTION, username="doctor")}


def mandatory_report(**overrides):
    body = {"observed_at": "2026-11-30T09:00:00+08:00",
            "narrative": "合成情况：体育课后发现学生腿部有淤伤，学生称被人侵害。",
            "child": {"name": "测试学生甲", "sex": "female", "date_of_birth": "2017-03-01"},
            "indicators": ["genital_injury"], "reporter": {"name": "测试老师", "phone": "13800000011",
                                                           "position": "班主任"}}
    body.update(overrides)
    return body
