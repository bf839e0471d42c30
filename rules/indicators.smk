from pipeline.indicators import TABLES


rule indicators:
    """National tables (reports/{year}/tables/*.csv) and the national report's context."""
    input:
        lambda wildcards: PLAN.input_files(int(wildcards.year)),
    output:
        national="build/{year}/national.json",
        tables=expand("reports/{{year}}/tables/{table}.csv", table=TABLES),
    params:
        data=display_path(PLAN.data),
        scheme=PLAN.scheme,
    log:
        "logs/{year}/indicators.log",
    shell:
        "{PY} indicators --data {params.data:q} --year {wildcards.year} --scheme {params.scheme} "
        "--tables reports/{wildcards.year}/tables --out {output.national} 2>&1 | tee {log}"
