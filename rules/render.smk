# The reports: each province's (or each batch of units', with `render_batch: N`) and the national one, every
# edition (zh, en) in HTML and PDF. Render jobs fork from the warm render server (provincial_plans/report).

if PLAN.render_batch == 1:

    rule render_province:
        """Both editions (zh, en) of one province's report, HTML and PDF, in one process."""
        input:
            code=CODE["report"],
            context=context("build/{year}/units/{unit}.json"),
            templates=TEMPLATES,
            messages=messages(),
        output:
            editions("{unit}"),
        wildcard_constraints:
            unit=r"(?!national\.)[a-z][a-z0-9-]*",
        params:
            messages=folder_of("messages"),
            templates=folder_of("templates"),
            options=PLAN.render_options(),
        conda:
            ENV
        resources:
            mem_mb=1000,
            runtime=5,
        log:
            "logs/{year}/render/{unit}.log",
        shell:
            '"$PROVINCIAL_PLANS_PYTHON" -m provincial_plans render --context '
            "{input.context} --messages {params.messages:q} --templates {params.templates:q} "
            "{params.options} --progress build/{wildcards.year}/reports.json -- {output} 2>&1 | tee {log}"

else:
    # `render_batch: N`: one process renders N units' reports (imports and fonts load once per batch), a rule
    # per batch so that every report stays a declared output; a changed context re-renders its batch.

    for year in PLAN.years:
        for number, batch in enumerate(PLAN.batches(year)):

            rule:
                """The reports of a batch of units, both editions, in one process."""
                name:
                    f"render_batch_{year}_{number}"
                input:
                    code=CODE["report"],
                    contexts=lambda wildcards, year=year, batch=batch: batch_contexts(year, batch),
                    templates=TEMPLATES,
                    messages=messages(),
                output:
                    editions(batch, year),
                params:
                    messages=folder_of("messages"),
                    templates=folder_of("templates"),
                    options=PLAN.render_options(),
                    progress=f"build/{year}/reports.json",
                conda:
                    ENV
                resources:
                    mem_mb=1500,
                    runtime=5 + len(batch),
                log:
                    f"logs/{year}/render/batch-{number}.log",
                shell:
                    '"$PROVINCIAL_PLANS_PYTHON" -m provincial_plans render --context '
                    "{input.contexts} --messages {params.messages:q} "
                    "--templates {params.templates:q} {params.options} --progress {params.progress} -- {output} "
                    "2>&1 | tee {log}"


rule render_national:
    """Both editions of the national report, with its charts inlined."""
    priority: 50  # see rule charts
    input:
        code=CODE["report"],
        context=context("build/{year}/national.json"),
        charts=rules.charts.output,
        # a PDF/A edition carries the tables; a standard one does not wait for them
        tables=lambda wildcards: (
            expand("build/site/{year}/tables/{table}.csv", year=wildcards.year, table=TABLES)
            if PLAN.pdf_variant != "standard"
            else []
        ),
        templates=TEMPLATES,
        messages=messages(),
    output:
        editions("national"),
    params:
        messages=folder_of("messages"),
        templates=folder_of("templates"),
        linked=lambda wildcards: " ".join(PLAN.units[int(wildcards.year)]),
        options=lambda wildcards, input: PLAN.render_options(input.tables),
    conda:
        ENV
    resources:
        mem_mb=2000,
        runtime=15,
    log:
        "logs/{year}/render/national.log",
    shell:
        '"$PROVINCIAL_PLANS_PYTHON" -m provincial_plans render --context '
        "{input.context} --messages {params.messages:q} --templates {params.templates:q} "
        "--charts build/site/{wildcards.year}/charts {params.options} --linked {params.linked} -- {output} "
        "2>&1 | tee {log}"
