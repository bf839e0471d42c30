from pipeline.charts import CHARTS


rule charts:
    """National charts as SVG, one per chart and language."""
    # charts -> render_national is the longest chain of jobs: started first, it runs beside the province reports
    # instead of after them (measured: a 30 s tail on 2 cores when Snakemake picked province reports first)
    priority: 50
    input:
        code=PIPELINE_CODE,
        national=national_context,
        messages=MESSAGES,
    output:
        expand("build/site/{{year}}/charts/{chart}.{lang}.svg", chart=CHARTS, lang=PLAN.languages),
    params:
        messages=display_path(PLAN.data / "messages"),
        languages=" ".join(PLAN.languages),
    resources:
        mem_mb=1000,
        runtime=5,
    log:
        "logs/{year}/charts.log",
    shell:
        "{PY} charts --national {input.national} --messages {params.messages:q} "
        "--out-dir build/site/{wildcards.year}/charts {params.languages} 2>&1 | tee {log}"
