"""Where Splink runs: DuckDB in memory (the default), or Spark in local mode for national
data. Both are set up so that the plaintext being matched stays in memory.

DuckDB: the database is ``:memory:`` and its temp directory is switched off (by default an
in-memory database spills to ``.tmp`` in the working directory), so a job that does not fit
the memory limit fails instead of writing records to disk. The limit and the threads come
from settings (LANTERN_MATCH_MEMORY_LIMIT, LANTERN_MATCH_THREADS).

Spark: intermediate tables are persisted (memory, then local disk) instead of written as
parquet checkpoints, and whatever Spark spills or shuffles to local disk is encrypted
(``spark.io.encryption.enabled``), with a throwaway local and checkpoint directory."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from typing import Any

import duckdb
from django.conf import settings
from splink import DuckDBAPI

BACKENDS = ("duckdb", "spark")


def duckdb_connection() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    con.execute("SET temp_directory = ''")  # no spilling: plaintext never reaches a file
    con.execute(f"SET memory_limit = '{_memory_limit()}'")
    con.execute(f"SET threads = {int(getattr(settings, 'LANTERN_MATCH_THREADS', 0) or os.cpu_count() or 1)}")
    con.execute("SET preserve_insertion_order = false")  # less memory in large joins
    con.execute("SET enable_external_access = false")  # nothing read or written outside memory
    return con


def _memory_limit() -> str:
    limit = str(getattr(settings, "LANTERN_MATCH_MEMORY_LIMIT", "6GB"))
    if not re.fullmatch(r"\d+(\.\d+)?\s*[KMGT]i?B", limit, re.IGNORECASE):  # it goes into a SET statement
        raise ValueError(f"LANTERN_MATCH_MEMORY_LIMIT: {limit!r}")
    return limit


def duckdb_api() -> DuckDBAPI:
    return DuckDBAPI(connection=duckdb_connection())


def spark_conf(local_dir: str) -> dict[str, str]:
    from splink.backends.spark import similarity_jar_location

    return {
        "spark.jars": similarity_jar_location(),  # JARO_WINKLER and friends (SETUP-NOTES)
        "spark.local.dir": local_dir,
        "spark.io.encryption.enabled": "true",  # shuffle and spill files encrypted
        "spark.sql.shuffle.partitions": "8",  # the default 200 is for clusters
        "spark.default.parallelism": "8",
        "spark.ui.enabled": "false",
        "spark.driver.memory": str(getattr(settings, "LANTERN_SPARK_DRIVER_MEMORY", "4g")),
        "spark.sql.session.timeZone": "UTC",
    }


@contextlib.contextmanager
def spark_api(master: str = "local[2]") -> Iterator[Any]:
    """A SparkAPI on a local session, with its directories removed afterwards."""
    from pyspark.sql import SparkSession
    from splink import SparkAPI

    # py4j says at INFO when it closes its connection, from a finaliser that may run after
    # the process's streams are closed ("--- Logging error ---" at exit): not worth a line.
    logging.getLogger("py4j").setLevel(logging.WARNING)
    work = tempfile.mkdtemp(prefix="lantern-spark-")
    builder = SparkSession.builder.master(master).appName("lantern-matching")
    for key, value in spark_conf(os.path.join(work, "local")).items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setCheckpointDir(os.path.join(work, "checkpoints"))
    try:
        yield SparkAPI(spark_session=spark, break_lineage_method="persist")
    finally:
        spark.stop()
        shutil.rmtree(work, ignore_errors=True)
