"""The fuzzy matching engine (issue 14, item 4): records prepared for Splink, the model on
Chinese names, scoring without retraining, blocking keys, charts without personal data."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from lantern.linkage.matching import charts, synthetic
from lantern.linkage.matching.artefacts import MatchModel, current_model, default_model, store_match_model
from lantern.linkage.matching.jobs import train_model
from lantern.linkage.matching.names import pinyin, split_name
from lantern.linkage.matching.records import PersonRecord, id_number_facts, prepare
from lantern.linkage.matching.scoring import blocking_keys, score, table, thresholds

pytestmark = pytest.mark.django_db  # scoring looks up the latest stored model

@pytest.fixture(scope="module")
def trained():
    """A model trained on 3,000 synthetic persons, shared by the tests of this module."""
    return train_model([table(t.record for t in synthetic.persons(3000, seed=3))])


ZHANG = PersonRecord("case-1", name="张伟", date_of_birth=dt.date(1988, 3, 12), sex="male", place="浙江省杭州市",
                     phone="13812345678")


def test_a_compound_surname_is_split_and_latin_names_work_too():
    assert split_name("欧阳娜娜") == ("欧阳", "娜娜")
    assert split_name("王欧阳") == ("王", "欧阳")
    assert split_name("John  Smith") == ("Smith", "John")
    assert pinyin("吕绿") == "lvlv" and pinyin("Smith") == "smith"
    row = prepare(PersonRecord("x", name="司马 光", phone="+86 138-1234-5678"))
    assert (row["surname"], row["given_name"], row["name_py"], row["phone"]) == ("司马", "光", "simaguang",
                                                                                  "13812345678")


def test_a_resident_id_fills_a_missing_date_of_birth_and_sex():
    assert id_number_facts("11010519491231002x".upper()) == (dt.date(1949, 12, 31), "female")
    row = prepare(PersonRecord("x", name="李四", id_number="110105 19491231 0011"))
    assert (row["dob"], row["dob_year"], row["sex"]) == ("19491231", "1949", "male")
    assert prepare(PersonRecord("x", name="李四", id_number="123"))["dob"] is None


def test_a_missing_value_is_null_not_an_empty_string():
    row = prepare(PersonRecord("x", name="李四"))
    assert row["phone"] is None and row["place"] is None and row["dob"] is None


def test_a_homophone_typo_and_a_transposed_birth_date_are_matched_above_the_auto_link_threshold():
    later = PersonRecord("case-2", name="张炜", date_of_birth=dt.date(1988, 12, 3), sex="男", place="浙江省杭州市")
    [match] = score([ZHANG], [later])
    assert match.probability >= thresholds().auto_link, match
    assert thresholds().decision(match.probability) == "link"


def test_a_different_person_with_the_same_common_name_and_another_birth_year_is_not():
    other = PersonRecord("case-3", name="张伟", date_of_birth=dt.date(1975, 6, 2), sex="male", place="广东省深圳市")
    [match] = score([ZHANG], [other])
    assert match.probability < thresholds().review, match
    assert thresholds().decision(match.probability) == "none"


def test_scoring_orders_the_candidates_and_leaves_out_the_person_itself():
    candidates = [PersonRecord("a", name="张伟", date_of_birth=dt.date(1988, 3, 12), phone="13812345678"),
                  PersonRecord("b", name="李娜", date_of_birth=dt.date(1990, 1, 1)), ZHANG]
    matches = score([ZHANG], candidates)
    assert [m.right_id for m in matches] == ["a", "b"]
    assert matches[0].match_weight > matches[1].match_weight


def test_blocking_keys_are_those_of_the_model_rules_and_shared_by_a_homophone():
    keys = dict(blocking_keys(ZHANG))
    assert keys == {"name_py": "zhangwei", "surname_py+dob": "zhang|19880312", "dob+given_py": "19880312|wei",
                    "phone": "13812345678"}
    homophone = PersonRecord("y", name="章伟")
    assert ("name_py", "zhangwei") in blocking_keys(homophone)


def test_the_trained_model_holds_probabilities_and_no_values(trained):
    text = json.dumps(trained, ensure_ascii=False)
    assert all(c not in text for c in "王李张刘陈伟芳")  # no name characters: no term-frequency tables
    assert "linker_uid" not in text
    levels = {c["output_column_name"]: c["comparison_levels"] for c in trained["comparisons"]}
    assert levels["given_name"][2]["label_for_charts"] == "Given name sounds the same (homophone)"
    assert 0 < levels["given_name"][2]["m_probability"] < 1


def test_a_stored_version_is_what_scoring_uses(trained, investigator):
    assert current_model() == default_model()
    tweaked = json.loads(json.dumps(trained))
    tweaked["probability_two_random_records_match"] = 1e-12  # so the new version visibly changes scores
    stored = store_match_model(actor=investigator, settings=tweaked, trained_on=3000, notes="test")
    assert stored.version == 1 and current_model().version == 1
    later = PersonRecord("case-2", name="张炜", date_of_birth=dt.date(1988, 12, 3), sex="male")
    [with_default] = score([ZHANG], [later], default_model())
    [with_stored] = score([ZHANG], [later])
    assert with_stored.match_weight < with_default.match_weight
    assert MatchModel.objects.get().settings["probability_two_random_records_match"] == 1e-12
    from lantern.audit.models import AuditEntry

    entry = AuditEntry.objects.get(action="linkage.match_model_trained")
    assert entry.details == {"version": 1, "trained_on": 3000} and entry.actor_id == investigator.pk


def test_the_model_charts_are_splink_specs():
    weights, mu = charts.match_weights_chart(), charts.m_u_parameters_chart()
    assert weights["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    labels = {v["label_for_charts"] for v in weights["data"]["values"]}
    assert "Given name sounds the same (homophone)" in labels and "Day and month transposed" in labels
    assert mu["data"]["values"]


def test_the_waterfall_of_a_pair_shows_levels_and_weights_but_no_values():
    later = PersonRecord("case-2", name="张炜", date_of_birth=dt.date(1988, 12, 3), sex="male", place="浙江省杭州市",
                         address="滨江区某路1号", phone="13800000000", id_number="33010619881203001X")
    spec = charts.waterfall_chart(ZHANG, later)
    text = json.dumps(spec, ensure_ascii=False)
    for value in ("张伟", "张炜", "zhangwei", "19881203", "19880312", "浙江", "滨江", "13800000000", "13812345678",
                  "33010619881203001X", "value_l", "value_r"):
        assert value not in text, value
    labels = [v["label_for_charts"] for v in spec["data"]["values"]]
    assert "Given name sounds the same (homophone)" in labels and "Day and month transposed" in labels


def test_a_spec_with_a_value_is_refused():
    with pytest.raises(charts.ChartLeak):
        charts.ensure_no_values({"data": {"values": [{"value_l": "张伟"}]}}, [ZHANG])


def test_the_chart_snippet_renders_the_spec_as_json_with_local_scripts():
    from django.template.loader import render_to_string

    html = render_to_string("linkage/_splink_chart.html",
                            {"chart": charts.chart_context(charts.match_weights_chart(), "weights")})
    assert '<script id="weights" type="application/json">' in html
    assert 'data-splink-chart="weights"' in html
    assert "linkage/vendor/vega-interpreter-1.2.0.js" in html and "linkage/splink_chart.js" in html
    assert "cdn" not in html.lower() and "<script>" not in html  # no inline code: the CSP forbids it


def test_the_chart_libraries_are_static_files():
    from django.contrib.staticfiles import finders

    for path in (*charts.LIBRARIES, "linkage/splink_chart.js", "linkage/vendor/LICENSE"):
        assert finders.find(path), path


def test_synthetic_homophones_come_from_pypinyin():
    table_ = synthetic.homophones()
    assert "维" in table_["伟"] and all(pinyin(h) == pinyin("伟") for h in table_["伟"])
