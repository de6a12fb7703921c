"""Nothing decrypted is written to disk (issue 14, item 4): the matching job and the
training run on records holding canaries, with the temporary directory and the working
directory pointed at test folders; afterwards no file there, no output and no row of the
database holds a canary."""

from __future__ import annotations

import dataclasses
import io
import tempfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from lantern.cases.models import Case, Suspect
from lantern.linkage.matching import jobs, synthetic
from tests.cases.helpers import police, report
from tests.cases.test_linxia_scenario import Api
from tests.linkage.helpers import write_csv
from tests.people.test_canary import raw_database_text

pytestmark = pytest.mark.django_db

CANARY_NAMES = ["鸩羽庚", "鸩羽辛", "鸩羽壬"]
CANARY_PHONES = ["13987651111", "13987652222"]
CANARY_ID = "990101198001019994"
CANARIES = [*CANARY_NAMES, *CANARY_PHONES, CANARY_ID, "zhenyugeng", "zhenyuxin"]


def with_canaries(records):
    """Synthetic records, the first few carrying the canaries (twice each: a duplicate pair)."""
    marked = []
    for i, name in enumerate(CANARY_NAMES):
        for j in range(2):
            base = records[2 * i + j]
            marked.append(dataclasses.replace(base, name=name, phone=CANARY_PHONES[i % 2],
                                              id_number=CANARY_ID if i == 0 else base.id_number))
    return marked + records[len(marked):]


def files_holding_canaries(*folders: Path) -> list[str]:
    found = []
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                found += [f"{path}: {c}" for c in CANARIES if c.encode() in data]
    return found


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    """TMPDIR, tempfile's directory and the working directory in test folders."""
    scratch, work = tmp_path / "tmp", tmp_path / "cwd"
    scratch.mkdir()
    work.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.chdir(work)
    return scratch, work


def test_match_people_writes_ids_and_probabilities_only(sandbox, tmp_path):
    records = with_canaries([t.record for t in synthetic.persons(1500, seed=5)])
    inputs = tmp_path / "in"
    inputs.mkdir()
    source = write_csv(inputs / "a.csv", records)
    output = tmp_path / "pairs.csv"
    call_command("match_people", "--input", str(source), "--output", str(output), "--train", stderr=io.StringIO())
    text = output.read_text(encoding="utf-8")
    assert "r0,r1," in text  # the canary pair was matched ...
    assert [c for c in CANARIES if c in text] == []  # ... and is named by its ids only
    assert files_holding_canaries(*sandbox) == []
    assert [c for c in CANARIES if c in raw_database_text()] == []


def test_training_on_the_suspects_keeps_no_value_in_the_model_nor_on_disk(sandbox, units, monkeypatch):
    people = police(units)
    case_id = Api(people["intake"]).post("/cases", report()).json()["id"]
    case = Case.objects.get(pk=case_id)
    records = with_canaries([t.record for t in synthetic.persons(400, seed=6)])
    Suspect.objects.bulk_create([Suspect(case=case, name=r.name, phone=r.phone, id_number=r.id_number, sex=r.sex,
                                         date_of_birth=r.date_of_birth) for r in records])
    monkeypatch.setattr(jobs, "MIN_TRAINING_RECORDS", 300)
    out = io.StringIO()
    with translation.override("en"):
        call_command("train_match_model", "--notes", "canary run", stdout=out)
    assert "Stored version 1" in out.getvalue()
    from lantern.linkage.matching.artefacts import MatchModel

    model = MatchModel.objects.get()
    # the report's two named suspects and the 400: its third has an account only, nothing to match on
    assert model.trained_on == 402 and model.notes == "canary run"
    assert files_holding_canaries(*sandbox) == []
    assert [c for c in CANARIES if c in raw_database_text()] == []  # the suspects are encrypted, the model is numbers


def test_the_in_memory_database_cannot_spill_or_touch_files():
    from lantern.linkage.matching.engines import duckdb_connection

    con = duckdb_connection()
    assert con.execute("SELECT current_setting('temp_directory')").fetchall() == [("",)]
    assert con.execute("SELECT current_setting('enable_external_access')").fetchall() == [(False,)]
    with pytest.raises(Exception, match="disabled"):
        con.execute("COPY (SELECT 1) TO 'leak.csv'")
