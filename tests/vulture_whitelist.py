"""Names vulture (the dead-code check in tests/test_lint.py) cannot see used, and why.

The check also counts as used, without listing them here: every field of every pydantic model
(read through ``model_fields`` and validation), every attribute a packaged template reads, and
functions under pydantic's validator and serializer decorators.
"""

# ruff: noqa: B018

from cardwright._render import env as _env
from cardwright.schema import docs as _docs
from cardwright.schema import metric_names as _metric_names
from cardwright.schema import results as _results

_ = object

_.__getattr__  # cardwright.__getattr__: lazy public names (PEP 562)
_.model_config  # pydantic's configuration of every model
_.handle_starttag, _.handle_startendtag, _.handle_endtag, _.handle_data  # HTMLParser calls them (workflows/confluence.py)
_.bucket  # _render/tables.py: `bucket += rows` extends a list that outlives the loop
_.ignore_aliases  # PyYAML's Dumper calls it (workflows/hub.py: a front matter without anchors)

# The results models' helpers and the metric facts are public API of the schema for library users
# and for the computation of every task.
_results.AnalysisResults.failed_gates
_results.AnalysisResults.blocking_gates
_results.AnalysisResults.evaluation_settings
_metric_names.direction
_metric_names.PROBABILITY_METRICS

# _compute/snapshot.py: the file protocol pyarrow calls on a pinned file (through pa.PythonFile)
_.readable, _.seekable, _.tell, _.seek, _.readinto, _.readall
# _compute/api.py: results from trusted JSON text (a render's embedded results; tests read fixtures with it)
_.parse_results
# Notebook users turn results into a pandas DataFrame (one row per slice × metric).
_results.AnalysisResults.to_frame
_results.CompositionResults.to_frame
# scripts/gen_docs.py compiles the packaged templates into _render/compiled.
_env.compile_packaged
# scripts/gen_docs.py writes the schema's field docstrings into schema/_field_docs.py.
_docs.field_docs_module
# http.server calls these on the preview server's handler and server classes.
_.protocol_version, _.log_message, _.do_GET, _.daemon_threads
