# The tables of each year: indicators, cells, documents, coding and, for a year compared with an earlier one, the
# year-on-year tables (a rule of their own, so that adding a year leaves the tables of the years before it alone).


for name, tables, years in (
    ("indicators", TABLES, [y for y in PLAN.years if PLAN.earlier(y) is None]),
    ("indicators_changes", TABLES + CHANGE_TABLES, [y for y in PLAN.years if PLAN.earlier(y) is not None]),
):

    rule:
        """The year's tables (build/site/{year}/tables/*.csv, *.parquet), workbook, Stata matrix and data package."""
        name:
            name
        input:
            code=CODE["tables"],
            data=indicator_inputs,
        output:
            tables=expand("build/site/{{year}}/tables/{table}.csv", table=tables),
            parquet=expand("build/site/{{year}}/tables/{table}.parquet", table=tables),
            workbook="build/site/{year}/tables/indicators_{year}.xlsx",
            exports=expand("build/site/{{year}}/tables/{name}", name=EXPORT_FILES[:-1]),
            exports_parquet=expand("build/site/{{year}}/tables/{name}", name=EXPORT_FILES[-1:]),
        wildcard_constraints:
            year=years_regex(years),
        params:
            data=display_path(PLAN.data),
            scheme=PLAN.scheme,
            extra=indicator_options,
        conda:
            ENV
        resources:
            mem_mb=1000,
            runtime=10,
        log:
            "logs/{year}/indicators.log",
        shell:
            '"$PROVINCIAL_PLANS_PYTHON" -m provincial_plans indicators --data {params.data:q} --year {wildcards.year} '
            "--scheme {params.scheme} --tables build/site/{wildcards.year}/tables {params.extra} 2>&1 | tee {log}"
