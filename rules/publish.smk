rule assets:
    """The site's stylesheet and WOFF2 fonts, so the HTML shows Chinese on any machine."""
    input:
        code=CODE["report"],
        css=display_path(Path(workflow.basedir, "templates", "report.css")),
        favicon=display_path(Path(workflow.basedir, "templates", "favicon.svg")),
    output:
        "build/site/{year}/assets/report.css",
        "build/site/{year}/assets/fonts.css",
        "build/site/{year}/assets/favicon.svg",
        "build/site/{year}/assets/fonts/NotoSansSC-Regular.woff2",
        "build/site/{year}/assets/fonts/NotoSansSC-Bold.woff2",
        "build/site/{year}/assets/fonts/DejaVuSans.woff2",
        "build/site/{year}/assets/fonts/DejaVuSans-Bold.woff2",
    params:
        templates=folder_of("css"),
    conda:
        ENV
    resources:
        mem_mb=500,
        runtime=5,
    log:
        "logs/{year}/assets.log",
    shell:
        '"$PROVINCIAL_PLANS_PYTHON" -m provincial_plans assets --templates {params.templates:q} '
        "--out-dir build/site/{wildcards.year}/assets 2>&1 | tee {log}"


rule index:
    """build/site/{year}/index.html: every report in both languages, with the tables."""
    input:
        code=CODE["report"],
        national=context("build/{year}/national.json"),
        reports=year_reports,
        reports_list="build/{year}/reports.json",
        tables=rules.indicators.output.tables,
        changes=change_tables,
        workbook=rules.indicators.output.workbook,
        assets=rules.assets.output,
        charts=rules.charts.output,
        parquet=rules.indicators.output.parquet,
        exports=rules.indicators.output.exports,
        exports_parquet=rules.indicators.output.exports_parquet,
        messages=messages(),
        templates=TEMPLATES,
        data=lambda wildcards: [display_path(p) for p in PLAN.input_files(int(wildcards.year))],
    output:
        index="build/site/{year}/index.html",
        manifest="build/site/{year}/manifest.json",
    params:
        messages=folder_of("messages"),
        templates=folder_of("templates"),
    conda:
        ENV
    resources:
        mem_mb=500,
        runtime=5,
    log:
        "logs/{year}/index.log",
    shell:
        '"$PROVINCIAL_PLANS_PYTHON" -m provincial_plans index --national {input.national} '
        "--messages {params.messages:q} --templates {params.templates:q} --out {output.index} "
        "--inputs {input.data} {input.messages} {input.templates} --extra {input.assets} {input.charts} {input.parquet} "
        "{input.exports_parquet} --reports {input.reports_list} -- {input.workbook} {input.tables} {input.exports} "
        "{input.changes} 2>&1 | tee {log}"


rule years_index:
    """build/site/index.html: each configured year's index, in both languages. It reads no year's outputs, so
    only adding or removing a year (or a change of wording or code) rebuilds it."""
    input:
        code=CODE["report"],
        messages=messages(),
        templates=TEMPLATES,
        assets=f"build/site/{max(PLAN.years)}/assets/report.css",
    output:
        "build/site/index.html",
    params:
        messages=folder_of("messages"),
        templates=folder_of("templates"),
        years=" ".join(str(year) for year in PLAN.years),
    conda:
        ENV
    resources:
        mem_mb=500,
        runtime=5,
    log:
        "logs/years_index.log",
    shell:
        '"$PROVINCIAL_PLANS_PYTHON" -m provincial_plans years-index --years {params.years} '
        "--messages {params.messages:q} --templates {params.templates:q} --out {output} 2>&1 | tee {log}"


# The site is built under build/site/ and published to reports/ only once it is whole. Snakemake deletes the outputs
# of a job before it reruns it and after it fails, so a site built in place lost reports that its index still
# listed whenever a build stopped halfway (a full disk, a kill). The stamps below are what Snakemake sees of a
# publication; each lies inside what it stands for, so that a deleted reports/{year}/ is published again.


rule publish:
    """reports/{year}/: the staged year, every file its manifest lists, switched into place in one rename."""
    wildcard_constraints:
        year=r"\d+",
    input:
        code=CODE["report"],
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
    conda:
        ENV
    resources:
        mem_mb=500,
        runtime=5,
    log:
        "logs/{year}/publish.log",
    shell:
        '"$PROVINCIAL_PLANS_PYTHON" -m provincial_plans publish build/site/{wildcards.year} reports/{wildcards.year} '
        "2>&1 | tee {log}"


rule publish_years_index:
    """reports/index.html, replaced once every year it links is published."""
    input:
        code=CODE["report"],
        staged=rules.years_index.output,
        # after every year it links is published; ancient: a year published again does not republish this page
        years=[ancient(f"reports/{year}/.published") for year in PLAN.years],
    output:
        "reports/.published",
    conda:
        ENV
    resources:
        mem_mb=500,
        runtime=5,
    log:
        "logs/publish.log",
    shell:
        '"$PROVINCIAL_PLANS_PYTHON" -m provincial_plans publish {input.staged} reports/index.html 2>&1 | tee {log}'
