def year_reports(wildcards):
    year = int(wildcards.year)
    stems = ["national", *PLAN.units[year]]
    return expand(
        "reports/{year}/{stem}.{lang}.{fmt}", year=year, stem=stems, lang=PLAN.languages, fmt=PLAN.formats
    )


rule assets:
    """The site's stylesheet and WOFF2 fonts, so the HTML shows Chinese on any machine."""
    input:
        code=PIPELINE_CODE,
        css=display_path(Path(workflow.basedir, "templates", "report.css")),
    output:
        "reports/{year}/assets/report.css",
        "reports/{year}/assets/fonts.css",
        "reports/{year}/assets/favicon.svg",
        "reports/{year}/assets/fonts/NotoSansSC-Regular.woff2",
        "reports/{year}/assets/fonts/NotoSansSC-Bold.woff2",
        "reports/{year}/assets/fonts/DejaVuSans.woff2",
        "reports/{year}/assets/fonts/DejaVuSans-Bold.woff2",
    resources:
        mem_mb=500,
        runtime=5,
    log:
        "logs/{year}/assets.log",
    shell:
        "{PY} assets --templates {TEMPLATE_DIR:q} --out-dir reports/{wildcards.year}/assets 2>&1 | tee {log}"


rule index:
    """reports/{year}/index.html: every report in both languages, with the tables."""
    input:
        code=PIPELINE_CODE,
        national=national_context,
        reports=year_reports,
        reports_list=reports_list,
        tables=rules.indicators.output.tables,
        changes=lambda wildcards: (
            expand("reports/{year}/tables/{table}.{ext}", year=wildcards.year, table=CHANGE_TABLES, ext=("csv", "parquet"))
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
        "reports/{year}/index.html",
        "reports/{year}/manifest.json",
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
    """reports/index.html: each configured year's index, in both languages. It reads no year's outputs, so
    only adding or removing a year (or a change of wording or code) rebuilds it."""
    input:
        code=PIPELINE_CODE,
        messages=MESSAGES,
        templates=TEMPLATES,
        assets=f"reports/{max(PLAN.years)}/assets/report.css",
    output:
        "reports/index.html",
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
