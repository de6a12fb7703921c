"""Fuzzy person matching with Splink (issue 14, item 4): a pure engine, no views.

Nothing here imports Splink at import time, so the app loads fast; the entry points are
``scoring`` (intake: ``score``, ``blocking_keys``, ``thresholds``), ``jobs`` (whole files
and tables: ``deduplicate``, ``link``, ``train_model``), ``charts`` (Splink's own charts,
without personal data) and ``artefacts`` (the versioned models)."""
