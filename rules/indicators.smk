from pipeline.indicators import TABLES

# A year with an earlier configured year also writes the year-on-year tables (rule `indicators_changes`); the
# first year's rule is unchanged, so adding a year does not rebuild the tables of the years before it.
CHANGE_TABLES = ("changes_by_unit", "changes_national")


def _years_regex(years):
    return "|".join(str(year) for year in years) or "(?!)"


def indicator_inputs(wildcards):
    year = int(wildcards.year)
    files = [display_path(p) for p in PLAN.input_files(year)]
    for y in [year, PLAN.earlier(year)]:
        if y is not None and PLAN.documents[y]:
            files += [str(p) for p in PLAN.coding_outputs(y)]
    earlier = PLAN.earlier(year)
    return files + ([display_path(PLAN.year_dir(earlier) / "facts.csv")] if earlier is not None else [])


def indicator_options(wildcards):
    year = int(wildcards.year)
    earlier = PLAN.earlier(year)
    options = [f"--years-dir {display_path(PLAN.years_dir)}"]
    options += [f"--coding {PLAN.coding_dir(year)}"] if PLAN.documents[year] else []
    options += [f"--since {earlier}"] if earlier is not None else []
    options += [f"--since-coding {PLAN.coding_dir(earlier)}"] if earlier is not None and PLAN.documents[earlier] else []
    return " ".join(options)


for name, tables, years in (
    ("indicators", TABLES, [y for y in PLAN.years if PLAN.earlier(y) is None]),
    ("indicators_changes", TABLES + CHANGE_TABLES, [y for y in PLAN.years if PLAN.earlier(y) is not None]),
):

    rule:
        """The year's tables (build/site/{year}/tables/*.csv, *.parquet) and workbook."""
        name:
            name
        input:
            code=PIPELINE_CODE,
            data=indicator_inputs,
        output:
            tables=expand("build/site/{{year}}/tables/{table}.csv", table=tables),
            parquet=expand("build/site/{{year}}/tables/{table}.parquet", table=tables),
            workbook="build/site/{year}/tables/indicators_{year}.xlsx",
        wildcard_constraints:
            year=_years_regex(years),
        params:
            data=display_path(PLAN.data),
            scheme=PLAN.scheme,
            extra=indicator_options,
        resources:
            mem_mb=1000,
            runtime=10,
        log:
            "logs/{year}/indicators.log",
        shell:
            "{PY} indicators --data {params.data:q} --year {wildcards.year} --scheme {params.scheme} "
            "--tables build/site/{wildcards.year}/tables {params.extra} 2>&1 | tee {log}"
