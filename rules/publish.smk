def year_reports(wildcards):
    year = int(wildcards.year)
    stems = ["national", *PLAN.units[year]]
    return expand(
        "build/site/{year}/{stem}.{lang}.{fmt}", year=year, stem=stems, lang=PLAN.languages, fmt=PLAN.formats
    )


rule assets:
    """The site's stylesheet and WOFF2 fonts, so the HTML shows Chinese on any machine."""
    input:
        code=PIPELINE_CODE,
        css=display_path(Path(workflow.basedir, "templates", "report.css")),
    output:
        "build/site/{year}/assets/report.css",
        "build/site/{year}/assets/fonts.css",
        "build/site/{year}/assets/favicon.svg",
        "build/site/{year}/assets/fonts/NotoSansSC-Regular.woff2",
        "build/site/{year}/assets/fonts/NotoSansSC-Bold.woff2",
        "build/site/{year}/assets/fonts/DejaVuSans.woff2",
        "build/site/{year}/assets/fonts/DejaVuSans-Bold.woff2",
    resources:
        mem_mb=500,
        runtime=5,
    log:
        "logs/{year}/assets.log",
    shell:
        "{PY} assets --templates {TEMPLATE_DIR:q} --out-dir build/site/{wildcards.year}/assets 2>&1 | tee {log}"


rule index:
    """build/site/{year}/index.html: every report in both languages, with the tables."""
    input:
        code=PIPELINE_CODE,
        national=national_context,
        reports=year_reports,
        reports_list=reports_list,
        tables=rules.indicators.output.tables,
        changes=lambda wildcards: (
            expand("build/site/{year}/tables/{table}.{ext}", year=wildcards.year, table=CHANGE_TABLES, ext=("csv", "parquet"))
            if PLAN.earlier(int(wildcards.year)) is not None
            else []
        ),
        workbook=rules.indicators.output.workbook,
        assets=rules.assets.output,
        charts=rules.charts.output,
        parquet=rules.indicators.output.parquet,
        messages=MESSAGES,
        templates=TEMPLATES,
        data=lambda wildcards: [display_path(p) for p in PLAN.input_files(int(wildcards.year))],
    output:
        "build/site/{year}/index.html",
        "build/site/{year}/manifest.json",
    params:
        messages=display_path(PLAN.data / "messages"),
    resources:
        mem_mb=500,
        runtime=5,
    log:
        "logs/{year}/index.log",
    shell:
        "{PY} index --national {input.national} --messages {params.messages:q} --templates {TEMPLATE_DIR:q} "
        "--out {output[0]} --inputs {input.data} {input.messages} {input.templates} --extra {input.assets} {input.charts} {input.parquet} "
        "--reports {input.reports_list} -- {input.workbook} {input.tables} {input.changes} 2>&1 | tee {log}"


rule years_index:
    """build/site/index.html: each configured year's index, in both languages. It reads no year's outputs, so
    only adding or removing a year (or a change of wording or code) rebuilds it."""
    input:
        code=PIPELINE_CODE,
        messages=MESSAGES,
        templates=TEMPLATES,
        assets=f"build/site/{max(PLAN.years)}/assets/report.css",
    output:
        "build/site/index.html",
    params:
        messages=display_path(PLAN.data / "messages"),
        years=" ".join(str(year) for year in PLAN.years),
    resources:
        mem_mb=500,
        runtime=5,
    log:
        "logs/years_index.log",
    shell:
        "{PY} years-index --years {params.years} --messages {params.messages:q} --templates {TEMPLATE_DIR:q} "
        "--out {output} 2>&1 | tee {log}"


# The site is built under build/site/ and published to reports/ only once it is whole. Snakemake deletes the outputs
# of a job before it reruns it and after it fails, so a site built in place lost reports that its index still
# listed whenever a build stopped halfway (a full disk, a kill). The stamps below are what Snakemake sees of a
# publication; each lies inside what it stands for, so that a deleted reports/{year}/ is published again.


rule publish:
    """reports/{year}/: the staged year, every file its manifest lists, switched into place in one rename."""
    wildcard_constraints:
        year=r"\d+",
    input:
        code=PIPELINE_CODE,
        staged=rules.index.output,
        # every file the manifest lists: one that is missing is built again before the publication
        reports=rules.index.input.reports,
        tables=rules.index.input.tables,
        changes=rules.index.input.changes,
        workbook=rules.index.input.workbook,
        assets=rules.index.input.assets,
        charts=rules.index.input.charts,
        parquet=rules.index.input.parquet,
    output:
        # Snakemake deletes it as the job starts (and leaves it so when the job fails): the site published before
        # stays, without its stamp, and the next run publishes again
        "reports/{year}/.published",
    resources:
        mem_mb=500,
        runtime=5,
    log:
        "logs/{year}/publish.log",
    shell:
        "{PY} publish build/site/{wildcards.year} reports/{wildcards.year} 2>&1 | tee {log}"


rule publish_years_index:
    """reports/index.html, replaced once every year it links is published."""
    input:
        code=PIPELINE_CODE,
        staged=rules.years_index.output,
        # after every year it links is published; ancient: a year published again does not republish this page
        years=[ancient(f"reports/{year}/.published") for year in PLAN.years],
    output:
        "reports/.published",
    resources:
        mem_mb=500,
        runtime=5,
    log:
        "logs/publish.log",
    shell:
        "{PY} publish {input.staged} reports/index.html 2>&1 | tee {log}"
