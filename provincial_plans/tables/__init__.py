"""The tables registry (one entry per table, typed columns) and its outputs: CSV, Parquet and the bilingual
workbook. Rule `indicators`."""
