"""Types of CSV text as Arrow's CSV reader gives them: the one rule every engine applies when a
CSV column's type is decided from its values (the Arrow pass reads types this way; DuckDB and
Spark read text and type it here)."""

from __future__ import annotations

import csv
import io
from typing import Any

from .reading import CSV_NULLS


def infer_type(texts: list[str]) -> Any:
    """The type Arrow's CSV reader gives a column holding ``texts``."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    if not texts:
        return pa.null()
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["v"])
    writer.writerows([t] for t in texts)
    table = pacsv.read_csv(io.BytesIO(buf.getvalue().encode()),
                           convert_options=pacsv.ConvertOptions(null_values=CSV_NULLS, strings_can_be_null=True))
    return table.schema.field("v").type


def convert(batch: Any, types: dict[str, Any]) -> Any:
    """A batch of text columns converted to ``types`` by Arrow's CSV converter (``" 5"`` is the
    integer 5, as when the reader infers the type itself)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    out = io.BytesIO()
    pacsv.write_csv(pa.Table.from_batches([batch]), out)
    table = pacsv.read_csv(
        io.BytesIO(out.getvalue()),
        parse_options=pacsv.ParseOptions(ignore_empty_lines=False),  # a row of one missing value is an empty line
        convert_options=pacsv.ConvertOptions(column_types={n: types[n] for n in batch.schema.names},
                                             null_values=list(CSV_NULLS), strings_can_be_null=True))
    if table.num_rows == 0:
        return pa.RecordBatch.from_pylist([], schema=pa.schema([(n, types[n]) for n in batch.schema.names]))
    return table.combine_chunks().to_batches()[0]


def typed(values: Any, t: Any) -> Any:
    """Text values (a pyarrow array) as type ``t``, converted as :func:`convert` does."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_string(t) or pa.types.is_null(t):
        return values
    text = values if values.type == pa.string() else pc.cast(values, pa.string())
    return convert(pa.RecordBatch.from_arrays([text], names=["v"]), {"v": t}).column(0)
