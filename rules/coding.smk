# Document coding, for years whose data folder has a documents.csv manifest.


rule ingest:
    """One document: text extracted, normalised and split into sentences with ids and offsets."""
    input:
        code=CODE["coding"],
        document=document_file,
        manifest=lambda wildcards: display_path(PLAN.manifest(int(wildcards.year))),
    output:
        "build/{year}/sentences/{doc_id}.json",
    params:
        root=display_path(PLAN.years_dir),
        reference=display_path(PLAN.data / "reference"),
        max_bytes=PLAN.max_document_bytes,
    conda:
        ENV
    resources:
        mem_mb=1000,
        runtime=5,
    log:
        "logs/{year}/ingest/{doc_id}.log",
    shell:
        '"$PROVINCIAL_PLANS_PYTHON" -m provincial_plans ingest --manifest {input.manifest:q} --data {params.root:q} '
        "--reference {params.reference:q} --doc-id {wildcards.doc_id} --max-bytes {params.max_bytes} "
        "--out {output} 2>&1 | tee {log}"


checkpoint code:
    """Every document of the year matched against the codebook: evidence rows and the units coded."""
    input:
        code=CODE["coding"],
        sentences=lambda wildcards: [
            f"build/{wildcards.year}/sentences/{entry.doc_id}.json" for entry in PLAN.documents[int(wildcards.year)]
        ],
        codebook=display_path(PLAN.data / "codebook.yaml"),
    params:
        max_seconds=PLAN.max_coding_seconds,
    output:
        evidence="build/{year}/coding/evidence.csv",
        documents="build/{year}/coding/documents.tsv",
        alignment="build/{year}/coding/alignment.json",
    conda:
        ENV
    resources:
        mem_mb=2000,
        runtime=10,
    log:
        "logs/{year}/code.log",
    shell:
        '"$PROVINCIAL_PLANS_PYTHON" -m provincial_plans evidence --codebook {input.codebook:q} '
        "--out-dir build/{wildcards.year}/coding --max-seconds {params.max_seconds} {input.sentences} 2>&1 | tee {log}"
