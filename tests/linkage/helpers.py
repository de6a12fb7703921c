"""Synthetic lists of persons for the matching tests, written as match_people reads them."""

from __future__ import annotations

import csv
from pathlib import Path

from lantern.linkage.matching import synthetic

HEADER = ["id", "name", "date_of_birth", "sex", "place", "address", "phone", "id_number"]


def row(record) -> list[str]:
    born = record.date_of_birth.isoformat() if record.date_of_birth else ""
    return [record.id, record.name, born, record.sex, record.place, record.address, record.phone, record.id_number]


def write_csv(path: Path, records, extra_rows=(), bom: bool = True) -> Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(row(r) for r in records)
        writer.writerows(extra_rows)
    return path


def read_pairs(path: Path) -> dict[tuple[str, str], float]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == ["left_id", "right_id", "probability"]
        return {(r["left_id"], r["right_id"]): float(r["probability"]) for r in reader}


def quality(found, truth) -> tuple[float, float]:
    found = {tuple(sorted(p)) for p in found}
    hits = len(found & truth)
    return hits / max(1, len(found)), hits / max(1, len(truth))


def generated(n: int, seed: int) -> list[synthetic.Truth]:
    return list(synthetic.persons(n, seed=seed))
