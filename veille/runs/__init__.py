"""What each command does to a case, one module per command; ``Case`` is their one door.

``ingest`` reads files into records, ``enrich`` adds facts, ``analysis`` runs any registered
analysis, ``report`` renders the HTML report, ``export`` writes the graph for other tools.
Every run goes through ``veille.store.runs.recorded_run``.
"""
