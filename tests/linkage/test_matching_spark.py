"""The same model on Splink's Spark backend in local mode (issue 14, item 6): match_people
--backend spark on a small file finds what DuckDB finds. Select with -m spark."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from lantern.linkage.matching import synthetic
from tests.linkage.helpers import generated, quality, read_pairs, write_csv

pytest.importorskip("pyspark", reason="requirements/spark.txt (make test installs it)")
pytestmark = [pytest.mark.django_db, pytest.mark.spark]


def test_match_people_on_spark_finds_what_duckdb_finds(tmp_path, monkeypatch):
    persons = generated(600, seed=8)
    source = write_csv(tmp_path / "a.csv", [t.record for t in persons])
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # Spark's scratch directories go here and are removed
    for backend in ("duckdb", "spark"):
        call_command("match_people", "--input", str(source), "--output", str(tmp_path / f"{backend}.csv"),
                     "--backend", backend, stderr=io.StringIO())
    on_duckdb, on_spark = read_pairs(tmp_path / "duckdb.csv"), read_pairs(tmp_path / "spark.csv")
    assert set(on_spark) == set(on_duckdb)
    assert all(abs(on_spark[k] - on_duckdb[k]) < 1e-6 for k in on_spark)
    precision, recall = quality(on_spark, synthetic.true_pairs(persons))
    assert precision >= 0.97 and recall >= 0.93, (precision, recall)
    assert not list(tmp_path.glob("lantern-spark-*"))  # its local and checkpoint directories are gone
