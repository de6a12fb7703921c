"""Whole-table jobs: deduplicating one list of persons, linking one list against another,
and training a model on records. They run on DuckDB in memory (``engines``) or on Spark,
with the same settings, and give back ids and probabilities only."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pyarrow as pa
from splink import Linker

from lantern.linkage.matching import engines
from lantern.linkage.matching.artefacts import Trained, current_model, strip_values
from lantern.linkage.matching.model import estimate_prior, train, trained_settings
from lantern.linkage.matching.model import settings as untrained_settings

# Training needs enough pairs for EM and for sampling u; below this use the stored model.
MIN_TRAINING_RECORDS = 1000
# Predicted pairs are fetched in batches of this many rows (and the progress moves by them).
BATCH_ROWS = 100_000

Pair = tuple[str, str, float]
Progress = Callable[[str, int], None]


class TooFewRecords(ValueError):
    pass


@contextlib.contextmanager
def _api(backend: str) -> Iterator[Any]:
    if backend == "duckdb":
        yield engines.duckdb_api()
    elif backend == "spark":
        with engines.spark_api() as api:
            yield api
    else:
        raise ValueError(backend)


def _linker(api: Any, tables: Sequence[pa.Table], settings: Any) -> Linker:
    names = ("input_a", "input_b")
    frames = [api.register(t, dataset_display_name=names[i]) for i, t in enumerate(tables)]
    return Linker(frames if len(frames) > 1 else frames[0], settings, log_level=logging.WARNING)


def _link_type(tables: Sequence[pa.Table]) -> str:
    return "link_only" if len(tables) > 1 else "dedupe_only"


def _settings(api: Any, tables: Sequence[pa.Table], model: Trained) -> dict[str, Any]:
    dialect = api.sql_dialect.sql_dialect_str
    return trained_settings(model.settings, dialect=dialect, link_type=_link_type(tables))


def _population(tables: Sequence[pa.Table]) -> int:
    """The number of pairs the prior is about, as a number of records of one list."""
    if len(tables) == 1:
        return tables[0].num_rows
    return max(2, round((2 * tables[0].num_rows * tables[1].num_rows) ** 0.5))


def _stored_model_linker(api: Any, tables: Sequence[pa.Table], model: Trained) -> Linker:
    """The stored m and u; the prior from the records at hand when the deterministic rules
    find pairs in them, else the stored prior scaled to their number."""
    linker = _linker(api, tables, _settings(api, tables, model))
    fallback = model.prior_for(_population(tables))
    with contextlib.suppress(ZeroDivisionError):  # no pair in the list: the fallback below
        estimate_prior(linker)
    settings = linker._settings_obj
    if not 0 < settings._probability_two_random_records_match < 1:
        settings._probability_two_random_records_match = fallback
    return linker


def train_model(tables: Sequence[pa.Table], *, backend: str = "duckdb") -> dict[str, Any]:
    """A model trained on these records (one table: deduplication; two: linkage), as the
    settings JSON that ``artefacts.store_match_model`` keeps."""
    records = sum(t.num_rows for t in tables)
    if records < MIN_TRAINING_RECORDS:
        raise TooFewRecords(records)
    with _api(backend) as api:
        linker = _linker(api, tables, untrained_settings(_link_type(tables)))
        train(linker)
        return strip_values(linker.misc.save_model_to_json())


def _pairs(predictions: Any, linked: bool, progress: Progress | None) -> Iterator[Pair]:
    columns = "unique_id_l, unique_id_r, match_probability" + (", source_dataset_l" if linked else "")
    if hasattr(predictions, "as_duckdbpyrelation"):
        batches = predictions.as_duckdbpyrelation().select(columns).to_arrow_reader(BATCH_ROWS)
        rows_of = (batch.to_pylist() for batch in batches)
    else:  # Spark: the rows come to the driver (national runs write them where they are instead)
        frame = predictions.as_spark_dataframe().selectExpr(*columns.split(", "))
        rows_of = iter([[row.asDict() for row in frame.toLocalIterator()]])
    for rows in rows_of:
        for row in rows:
            left, right = str(row["unique_id_l"]), str(row["unique_id_r"])
            if linked and row["source_dataset_l"] != "input_a":
                left, right = right, left
            yield left, right, float(row["match_probability"])
        if progress:
            progress("pairs", len(rows))


def predict(tables: Sequence[pa.Table], *, threshold: float, model: Trained | None = None, train_first: bool = False,
            backend: str = "duckdb", progress: Progress | None = None) -> Iterator[Pair]:
    """(left id, right id, probability) of every pair at or above ``threshold``: within one
    table (deduplication, left id < right id), or from the first table to the second."""
    with _api(backend) as api:
        if train_first:
            if sum(t.num_rows for t in tables) < MIN_TRAINING_RECORDS:
                raise TooFewRecords(sum(t.num_rows for t in tables))
            linker = _linker(api, tables, untrained_settings(_link_type(tables)))
            train(linker)
        else:
            linker = _stored_model_linker(api, tables, model or current_model())
        if progress:
            progress("trained" if train_first else "loaded", 0)
        predictions = linker.inference.predict(threshold_match_probability=threshold, warning_mode="never")
        if progress:
            progress("scored", 0)
        yield from _pairs(predictions, len(tables) > 1, progress)
        predictions.drop_table_from_database_and_remove_from_cache()
