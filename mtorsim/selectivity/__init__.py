"""The therapeutic window: one drug exposure on the tumour (the viability assay) and on the
normal contexts the vocabulary names (their readouts' graded means), the doses where the tumour
responds and the normal readouts stay within a tolerance, and the selectivity."""
