# Provincial "Internet + government services" plans -> indicators -> bilingual HTML/PDF reports: an index. The
# config is validated here (one clear line on error); each stage's rules are in rules/*.smk, helpers in common.smk.
from snakemake.utils import min_version

min_version("9.27.1")


include: "rules/common.smk"  # first: it checks the config files before Snakemake reads them


configfile: str(CONFIG_FILE)


PLAN = validated_plan(config)


include: "rules/coding.smk"
include: "rules/contexts.smk"
include: "rules/indicators.smk"
include: "rules/charts.smk"
include: "rules/render.smk"
include: "rules/publish.smk"


rule all:
    input:
        # each year's site, and the years index (rules/publish.smk): a missing stamp publishes again
        [f"reports/{year}/.published" for year in PLAN.years],
        "reports/.published",
