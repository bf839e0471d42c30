"""What every stage stands on: the one-line error, atomic and durable writes (the only CSV writer), strict
reading of CSV and YAML with their schemas, message catalogues, provenance, live runs, a stage command's runner.
Imports nothing of the other packages."""
