"""Computing a card's numbers from its data: one counting pass, then every metric, interval,
disparity and gate from the counts (see docs/statistics.md and docs/results.md).

Private: the public entry points are :func:`cardwright.compute`, :func:`cardwright.results_for`,
:func:`cardwright.load_results` and :func:`cardwright.check_results`; :mod:`.api` implements them.
Heavy libraries (numpy, pyarrow, pandas) are imported by the modules that use them.
"""
