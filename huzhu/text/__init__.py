"""The text rules, in the kernel below every app (docs/ARCHITECTURE.md, "Layers"): one
normalisation (`normalise`), contact details (`contact`), gift-only and prescription rules
(`gift_words`, `prescriptions`, `rules`) and near-duplicates (`similarity`). They import no
app; what they need from one (the catalogue's prescription names) the caller passes in."""
