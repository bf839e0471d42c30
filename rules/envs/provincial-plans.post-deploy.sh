#!/usr/bin/env bash
# Run by Snakemake once, in the new conda environment: the static CJK font subsets every report is set in.
set -euo pipefail
python -m provincial_plans fonts
