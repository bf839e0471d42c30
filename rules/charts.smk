from provincial_plans.report.charts import CHARTS


rule charts:
    """National charts as SVG, one per chart and language."""

    # charts -> render_national is the longest chain of jobs: started first, it runs beside the province reports
    # instead of after them (measured: a 30 s tail on 2 cores when Snakemake picked province reports first)
    priority: 50
    input:
        code=CODE["report"],
        national=context("build/{year}/national.json"),
        messages=messages(),
    output:
        expand("build/site/{{year}}/charts/{chart}.{lang}.svg", chart=CHARTS, lang=PLAN.languages),
    params:
        messages=folder_of("messages"),
        languages=" ".join(PLAN.languages),
    conda:
        ENV
    resources:
        mem_mb=1000,
        runtime=5,
    log:
        "logs/{year}/charts.log",
    shell:
        '"$PROVINCIAL_PLANS_PYTHON" -m provincial_plans charts --national {input.national} '
        "--messages {params.messages:q} --out-dir build/site/{wildcards.year}/charts {params.languages} "
        "2>&1 | tee {log}"
