# The report contexts: one job a year, after the documents are coded. A checkpoint: it rewrites only the contexts
# whose content changed (provincial_plans/contexts/build.py), and Snakemake then looks at the render jobs again, so
# that only the reports whose context changed are rendered.


checkpoint contexts:
    """The year's report contexts (build/{year}/national.json, units/*.json), each written only when it changes,
    and the list of the year's reports (build/{year}/reports.json)."""
    wildcard_constraints:
        year=r"\d+",
    input:
        code=CODE["contexts"],
        data=context_inputs,
    output:
        "build/{year}/reports.json",
    params:
        data=display_path(PLAN.data),
        options=context_options,
    conda:
        ENV
    resources:
        mem_mb=1000,
        runtime=10,
    log:
        "logs/{year}/contexts.log",
    shell:
        '"$PROVINCIAL_PLANS_PYTHON" -m provincial_plans contexts --data {params.data:q} --year {wildcards.year} '
        "{params.options} --out-dir build/{wildcards.year} 2>&1 | tee {log}"
