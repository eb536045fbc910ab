"""The vocabulary: distributions and densities, the operators over them (expectation, sums,
integrals, arg min), the quantities defined from them (entropy, cross entropy, KL divergence),
and the context (setting and assumptions) a claim is read in."""
