"""Data preparation in the card, applied identically on every engine: `strip_whitespace`, then
`na_values`, then the `filter`, before any value is decoded (see docs/filtering.md).

* :mod:`.prepare`: what a data block asks for (:class:`~.prepare.Preparation`) and the error a
  filter that does not fit the data raises (:class:`~.prepare.FilterError`);
* :mod:`.bind`: each filter column's kind (number, text, boolean) and how each test compares;
* :mod:`.compile_arrow`, :mod:`.compile_sql`, :mod:`.compile_spark`: the same cleaning and the
  same filter for the Arrow pass (vectorised over record batches), DuckDB (SQL with quoted
  identifiers and bound parameters) and Spark (Column expressions with literals).

The language itself (tokens, syntax tree, parser) is :mod:`cardwright.schema.filter_syntax`: the
schema checks a filter's syntax when a card is validated.
"""
