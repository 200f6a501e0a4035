"""Computing a card's numbers from its data: one counting pass, then every metric, interval,
disparity and gate from the counts (see docs/statistics.md and docs/results.md).

Private: the public entry points are :func:`cardwright.compute`, :func:`cardwright.results_for`,
:func:`cardwright.load_results` and :func:`cardwright.check_results`; :mod:`.api` implements them.
Heavy libraries (numpy, pyarrow, pandas) are imported by the modules that use them.
"""

import os

# pyarrow's allocator (mimalloc) hands freed pages back to the system 10 ms after they fall
# free; a pass over a file frees and takes its batches' buffers every few milliseconds, so each
# batch faulted in fresh, zero-filled pages (a third of the system time of a 10M-row attribution
# pass).  Keeping them costs nothing beyond the batches' own size.  Read when pyarrow is first
# imported, which the computing modules do only inside their functions; a setting of the
# user's own wins.
os.environ.setdefault("MIMALLOC_PURGE_DELAY", "-1")
