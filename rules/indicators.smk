from pipeline.indicators import TABLES


rule indicators:
    """The year's tables (reports/{year}/tables/*.csv, *.parquet) and workbook."""
    input:
        code=PIPELINE_CODE,
        data=lambda wildcards: [display_path(p) for p in PLAN.input_files(int(wildcards.year))],
        coding=lambda wildcards: (
            [str(p) for p in PLAN.coding_outputs(int(wildcards.year))] if PLAN.documents[int(wildcards.year)] else []
        ),
    output:
        tables=expand("reports/{{year}}/tables/{table}.csv", table=TABLES),
        parquet=expand("reports/{{year}}/tables/{table}.parquet", table=TABLES),
        workbook="reports/{year}/tables/indicators_{year}.xlsx",
    params:
        data=display_path(PLAN.data),
        scheme=PLAN.scheme,
        extra=lambda wildcards: " ".join(
            [f"--years-dir {display_path(PLAN.years_dir)}"]
            + ([f"--coding {PLAN.coding_dir(int(wildcards.year))}"] if PLAN.documents[int(wildcards.year)] else [])
        ),
    resources:
        mem_mb=1000,
        runtime=10,
    log:
        "logs/{year}/indicators.log",
    shell:
        "{PY} indicators --data {params.data:q} --year {wildcards.year} --scheme {params.scheme} "
        "--tables reports/{wildcards.year}/tables {params.extra} 2>&1 | tee {log}"
