"""The Splink model: comparisons that fit Chinese names, blocking rules on keys of high
cardinality, and its training (u by random sampling, m by expectation maximisation).

The same settings run on DuckDB and on Spark: every level is one of Splink's library
levels, so each backend's dialect writes its own SQL (Spark's jaro_winkler comes from the
similarity jar, see ``engines``). No level parses dates, so no date pattern differs
between the backends; no comparison has term-frequency adjustments, so a saved model holds
m and u probabilities and nothing of the records."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import Linker, SettingsCreator, block_on
from splink.internals.blocking_rule_creator import BlockingRuleCreator

log = logging.getLogger(__name__)

LINK_TYPES = ("dedupe_only", "link_only")


@dataclass(frozen=True)
class BlockingRule:
    """A rule that makes candidate pairs: records agreeing on all its columns are compared.
    The name is stable: intake stores one digest per (rule name, key) of each person."""

    name: str
    columns: tuple[str, ...]

    def creator(self) -> BlockingRuleCreator:
        return block_on(*self.columns)


# High-cardinality keys only (SETUP-NOTES: blocking on surname alone took 18 GB at 100 k).
# Together they find a homophone typo (same pinyin), a typo in the surname (date of birth
# + given name), one in the given name (surname + date of birth) and anyone sharing an
# exact identifier, whatever else changed.
BLOCKING_RULES = (
    BlockingRule("name_py", ("name_py",)),
    BlockingRule("surname_py+dob", ("surname_py", "dob")),
    BlockingRule("dob+given_py", ("dob", "given_py")),
    BlockingRule("phone", ("phone",)),
    BlockingRule("id_number", ("id_number",)),
)

# Expectation maximisation: each rule leaves the comparisons it blocks on untrained, so
# two rules that block on different columns train every comparison between them.
TRAINING_RULES = (("surname_py", "given_py"), ("dob",))
# Pairs surely the same person, for the prior (probability that two random records match).
DETERMINISTIC_RULES = (("id_number",), ("name", "dob"))
DETERMINISTIC_RECALL = 0.7


def _surname() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="surname",
        comparison_description="Surname: characters, then pinyin",
        comparison_levels=[
            cll.NullLevel("surname"),
            cll.ExactMatchLevel("surname").configure(label_for_charts="Same surname"),
            cll.ExactMatchLevel("surname_py").configure(label_for_charts="Surname sounds the same (pinyin)"),
            cll.JaroWinklerLevel("surname_py", 0.88).configure(label_for_charts="Surname pinyin similar"),
            cll.ElseLevel(),
        ],
    )


def _given_name() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="given_name",
        comparison_description="Given name: characters, then pinyin (homophones), then spelling",
        comparison_levels=[
            cll.NullLevel("given_name"),
            cll.ExactMatchLevel("given_name").configure(label_for_charts="Same given name"),
            cll.ExactMatchLevel("given_py").configure(label_for_charts="Given name sounds the same (homophone)"),
            cll.DamerauLevenshteinLevel("given_py", 1).configure(label_for_charts="Given name pinyin one edit apart"),
            cll.JaroWinklerLevel("given_py", 0.88).configure(label_for_charts="Given name pinyin similar"),
            cll.ElseLevel(),
        ],
    )


def _date_of_birth() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="dob",
        comparison_description="Date of birth: exact, day and month swapped, one digit, same year",
        comparison_levels=[
            cll.NullLevel("dob"),
            cll.ExactMatchLevel("dob").configure(label_for_charts="Same date of birth"),
            cll.And(cll.ExactMatchLevel("dob_year"), cll.ColumnsReversedLevel("dob_month", "dob_day",
                                                                               symmetrical=True)
                    ).configure(label_for_charts="Day and month transposed"),
            cll.DamerauLevenshteinLevel("dob", 1).configure(label_for_charts="One digit or two adjacent digits differ"),
            cll.ExactMatchLevel("dob_year").configure(label_for_charts="Same year of birth"),
            cll.ElseLevel(),
        ],
    )


def _place(column: str, label: str) -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name=column,
        comparison_description=label,
        comparison_levels=[
            cll.NullLevel(column),
            cll.ExactMatchLevel(column).configure(label_for_charts=f"Same {label}"),
            cll.JaroWinklerLevel(column, 0.9).configure(label_for_charts=f"{label.capitalize()} similar"),
            cll.ElseLevel(),
        ],
    )


def comparisons() -> list[Any]:
    return [
        _surname(),
        _given_name(),
        _date_of_birth(),
        cl.ExactMatch("sex"),
        _place("place", "place"),
        _place("address", "address"),
        cl.ExactMatch("phone"),
        cl.ExactMatch("id_number"),
    ]


def settings(link_type: str = "dedupe_only") -> SettingsCreator:
    """The untrained model."""
    return SettingsCreator(
        link_type=link_type,
        unique_id_column_name="unique_id",
        comparisons=comparisons(),
        blocking_rules_to_generate_predictions=[rule.creator() for rule in BLOCKING_RULES],
        probability_two_random_records_match=1e-5,
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
        max_iterations=25,
        em_convergence=0.001,
    )


def estimate_prior(linker: Linker) -> None:
    """The probability that two random records match, from the records at hand: it depends
    on how many there are (about 1/N), where m and u do not, so a stored model scoring a
    list of another size takes its prior from that list."""
    linker.training.estimate_probability_two_random_records_match(
        [block_on(*columns) for columns in DETERMINISTIC_RULES], recall=DETERMINISTIC_RECALL)


def train(linker: Linker, *, u_pairs: float = 5e6, em_pairs: float | None = 2e6, seed: int | None = 14) -> None:
    """Train the linker's model on its own records: the prior from deterministic rules,
    u by random sampling, m by expectation maximisation on each training rule."""
    training = linker.training
    estimate_prior(linker)
    training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=seed)
    for columns in TRAINING_RULES:
        training.estimate_parameters_using_expectation_maximisation(block_on(*columns), max_pairs=em_pairs)


def with_link_type(model: dict[str, Any], link_type: str) -> dict[str, Any]:
    """A trained model's settings for another kind of job (m and u do not depend on it)."""
    if link_type not in LINK_TYPES:
        raise ValueError(link_type)
    return {**model, "link_type": link_type}


class ModelMismatch(ValueError):
    """A stored model whose comparisons are not the ones this code builds."""


def _levels(model: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    return {c["output_column_name"]: c["comparison_levels"] for c in model["comparisons"]}


def trained_settings(stored: dict[str, Any], *, dialect: str = "duckdb", link_type: str = "dedupe_only"
                     ) -> dict[str, Any]:
    """The settings this code builds for ``dialect``, with a stored model's parameters:
    the SQL is always the backend's own, the probabilities are the trained ones."""
    fresh = settings(link_type).get_settings(dialect).as_dict()
    trained = _levels(stored)
    for comparison in fresh["comparisons"]:
        levels = trained.get(comparison["output_column_name"])
        ours = comparison["comparison_levels"]
        if levels is None or [lv.get("label_for_charts") for lv in levels] != [lv.get("label_for_charts")
                                                                              for lv in ours]:
            raise ModelMismatch(comparison["output_column_name"])
        for mine, theirs in zip(ours, levels, strict=True):
            for key in ("m_probability", "u_probability"):
                if theirs.get(key) is not None:
                    mine[key] = theirs[key]
    fresh["probability_two_random_records_match"] = stored["probability_two_random_records_match"]
    return fresh
