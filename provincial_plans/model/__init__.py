"""What the inputs mean once validated: a year's units, cells, national counts, documents and targets; the
codebook and its patterns; the conclusions rules; what machine coding saved. Imports core only."""
