"""Documents to evidence: a file to text by format, normalised, cut into sentences, placed in the plan's outline
and masked; the keyword matcher and the structure-aware coder; the evidence of a year; facts merged with machine
coding; agreement, alignment with the central text, and scoring against a reader. Rules `ingest` and `code`."""
