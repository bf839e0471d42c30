def editions(stem):
    return expand(
        "build/site/{{year}}/{stem}.{lang}.{fmt}", stem=stem, lang=PLAN.languages, fmt=PLAN.formats
    )


def unit_context(wildcards):
    """The province's context, written (when changed) once the year's documents are coded."""
    written_contexts(int(wildcards.year))
    return f"build/{wildcards.year}/units/{wildcards.unit}.json"


if PLAN.render_batch == 1:

    rule render_province:
        """Both editions (zh, en) of one province's report, HTML and PDF, in one process."""
        input:
            code=PIPELINE_CODE,
            context=unit_context,
            templates=TEMPLATES,
            messages=MESSAGES,
        output:
            editions("{unit}"),
        wildcard_constraints:
            unit=r"(?!national\.)[a-z][a-z0-9-]*",
        params:
            messages=display_path(PLAN.data / "messages"),
            options=PLAN.render_options(),
        resources:
            mem_mb=1000,
            runtime=5,
        log:
            "logs/{year}/render/{unit}.log",
        benchmark:
            "logs/{year}/benchmarks/render/{unit}.tsv"
        shell:
            "{PY} render --context {input.context} --messages {params.messages:q} --templates {TEMPLATE_DIR:q} "
            "{params.options} --progress build/{wildcards.year}/reports.json -- {output} 2>&1 | tee {log}"

else:
    # `render_batch: N`: one process renders N units' reports (imports and fonts load once per batch), a rule
    # per batch so that every report stays a declared output; a changed context re-renders its batch.

    def batch_contexts(year, batch):
        written_contexts(year)
        return [f"build/{year}/units/{slug}.json" for slug in batch]

    for year in PLAN.years:
        for number, batch in enumerate(PLAN.batches(year)):

            rule:
                """The reports of a batch of units, both editions, in one process."""
                name:
                    f"render_batch_{year}_{number}"
                input:
                    code=PIPELINE_CODE,
                    contexts=lambda wildcards, year=year, batch=batch: batch_contexts(year, batch),
                    templates=TEMPLATES,
                    messages=MESSAGES,
                output:
                    expand(
                        "build/site/{year}/{stem}.{lang}.{fmt}",
                        year=year,
                        stem=batch,
                        lang=PLAN.languages,
                        fmt=PLAN.formats,
                    ),
                params:
                    messages=display_path(PLAN.data / "messages"),
                    options=PLAN.render_options(),
                    progress=f"build/{year}/reports.json",
                resources:
                    mem_mb=1500,
                    runtime=5 + len(batch),
                log:
                    f"logs/{year}/render/batch-{number}.log",
                shell:
                    "{PY} render --context {input.contexts} --messages {params.messages:q} --templates {TEMPLATE_DIR:q} "
                    "{params.options} --progress {params.progress} -- {output} 2>&1 | tee {log}"


rule render_national:
    """Both editions of the national report, with its charts inlined."""
    priority: 50  # see rule charts
    input:
        code=PIPELINE_CODE,
        context=national_context,
        charts=rules.charts.output,
        # a PDF/A edition carries the tables; a standard one does not wait for them
        tables=lambda wildcards: (
            expand("build/site/{year}/tables/{table}.csv", year=wildcards.year, table=TABLES)
            if PLAN.pdf_variant != "standard"
            else []
        ),
        templates=TEMPLATES,
        messages=MESSAGES,
    output:
        editions("national"),
    params:
        messages=display_path(PLAN.data / "messages"),
        linked=lambda wildcards: " ".join(PLAN.units[int(wildcards.year)]),
        options=lambda wildcards, input: PLAN.render_options(input.tables),
    resources:
        mem_mb=2000,
        runtime=15,
    log:
        "logs/{year}/render/national.log",
    benchmark:
        "logs/{year}/benchmarks/render/national.tsv"
    shell:
        "{PY} render --context {input.context} --messages {params.messages:q} --templates {TEMPLATE_DIR:q} "
        "--charts build/site/{wildcards.year}/charts {params.options} --linked {params.linked} -- {output} 2>&1 | tee {log}"
