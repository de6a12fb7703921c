"""match_people (issue 14, item 5): a generated file with known duplicates deduplicated and
linked against another, precision and recall asserted; malformed rows counted; a file
without an id column refused."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from lantern.linkage.matching import synthetic
from tests.linkage.helpers import generated, quality, read_pairs, write_csv

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    """The command's stderr, in English (the default language is Chinese)."""
    err = io.StringIO()
    with translation.override("en"):
        call_command("match_people", *args, stderr=err)
    return err.getvalue()


@pytest.fixture(scope="module")
def persons():
    """3,000 synthetic records, about a third of the persons with one to three duplicates."""
    return generated(3000, seed=21)


def test_deduplicating_a_generated_file_finds_its_duplicates(persons, tmp_path):
    source = write_csv(tmp_path / "a.csv", [t.record for t in persons])
    run("--input", str(source), "--output", str(tmp_path / "pairs.csv"))
    pairs = read_pairs(tmp_path / "pairs.csv")
    precision, recall = quality(pairs, synthetic.true_pairs(persons))
    # measured 0.996 and 0.977 with the shipped model (seed 21); trained on the file 0.997 and 0.972
    assert precision >= 0.98 and recall >= 0.95, (precision, recall)
    assert all(left < right for left, right in pairs) and all(0.5 <= p <= 1 for p in pairs.values())


def test_a_higher_threshold_trades_recall_for_precision(persons, tmp_path):
    source = write_csv(tmp_path / "a.csv", [t.record for t in persons])
    run("--input", str(source), "--output", str(tmp_path / "low.csv"), "--threshold", "0.5")
    run("--input", str(source), "--output", str(tmp_path / "high.csv"), "--threshold", "0.999")
    low, high = read_pairs(tmp_path / "low.csv"), read_pairs(tmp_path / "high.csv")
    assert set(high) < set(low)
    assert quality(high, synthetic.true_pairs(persons))[0] >= 0.999


def test_training_on_the_file_itself_reaches_the_same_quality(persons, tmp_path):
    source = write_csv(tmp_path / "a.csv", [t.record for t in persons])
    run("--input", str(source), "--output", str(tmp_path / "pairs.csv"), "--train")
    precision, recall = quality(read_pairs(tmp_path / "pairs.csv"), synthetic.true_pairs(persons))
    assert precision >= 0.98 and recall >= 0.95, (precision, recall)


def test_a_list_against_another_links_each_person_to_their_records(persons, tmp_path):
    """Every person's first record in B, the duplicates in A: each A record's person is in B."""
    first: dict[str, str] = {}
    a_records, b_records = [], []
    for t in persons:
        if t.cluster in first:
            a_records.append(t.record)
        else:
            first[t.cluster] = t.record.id
            b_records.append(t.record)
    cluster_of = {t.record.id: t.cluster for t in persons}
    truth = {(r.id, first[cluster_of[r.id]]) for r in a_records}
    run("--input", str(write_csv(tmp_path / "a.csv", a_records)), "--against",
        str(write_csv(tmp_path / "b.csv", b_records, bom=False)), "--output", str(tmp_path / "pairs.csv"))
    found = set(read_pairs(tmp_path / "pairs.csv"))
    hits = len(found & truth)
    assert all(left in {r.id for r in a_records} for left, _right in found)  # left from --input, right from B
    assert hits / len(found) >= 0.98 and hits / len(truth) >= 0.95, (hits / len(found), hits / len(truth))


def test_malformed_and_missing_values_are_counted_not_fatal(tmp_path):
    rows = [["1", "王芳", "1990-02-30", "女", "", "", "138", "ABC"],
            ["2", "王芳", "19900228", "unknown", "", "", "13800000000", ""],
            ["", "无编号", "", "", "", "", "", ""],
            ["2", "重复编号", "", "", "", "", "", ""],
            ["3", "123", "2990-01-01", "", "", "", "", ""]]
    source = write_csv(tmp_path / "a.csv", [], extra_rows=rows)
    summary = run("--input", str(source), "--output", str(tmp_path / "pairs.csv"))
    assert "5 rows read, 3 persons kept" in summary
    for line in ("rows left out (no id): 1", "rows left out (id seen before): 1",
                 "date_of_birth ignored (not a date (YYYY-MM-DD or YYYYMMDD)): 1",
                 "date_of_birth ignored (a date of birth before 1900 or in the future): 1",
                 "sex ignored (neither male nor female): 1", "phone ignored (fewer than 7 digits): 1",
                 "id_number ignored (not 15 to 18 digits or letters): 1", "name ignored (no letters): 1"):
        assert line in summary, (line, summary)
    assert read_pairs(tmp_path / "pairs.csv").keys() <= {("1", "2")}


def test_a_file_without_an_id_column_is_refused_with_what_to_do(tmp_path):
    source = tmp_path / "noid.csv"
    source.write_text("name,date_of_birth\n张三,1990-01-01\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r'no "id" column\. Add a column named id'):
        run("--input", str(source), "--output", str(tmp_path / "pairs.csv"))
    assert not (tmp_path / "pairs.csv").exists()


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    source = tmp_path / "gbk.csv"
    source.write_bytes("id,name\n1,张三\n".encode("gbk"))
    with pytest.raises(CommandError, match="not UTF-8"):
        run("--input", str(source), "--output", str(tmp_path / "pairs.csv"))


def test_training_on_a_small_file_is_refused(tmp_path):
    source = write_csv(tmp_path / "a.csv", [t.record for t in generated(50, seed=1)])
    with pytest.raises(CommandError, match="--train needs at least 1000 persons"):
        run("--input", str(source), "--output", str(tmp_path / "pairs.csv"), "--train")


def test_the_command_exits_non_zero_without_an_id_column(tmp_path):
    import subprocess
    import sys

    source = tmp_path / "noid.csv"
    source.write_text("name\n张三\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "manage.py", "match_people", "--input", str(source), "--output",
                           str(tmp_path / "out.csv")], capture_output=True, text=True, check=False)
    assert done.returncode != 0 and "名为 id 的列" in done.stderr  # in the default language, Chinese
