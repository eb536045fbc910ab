"""An independent soundness oracle for `derive check`.

It shares no code with the engine: statements are generated as ASTs of our own
(`grammar`), rendered to LaTeX, and judged by a reference evaluator written from the
definitions in mpmath (`reference`) on exact rational worlds (`worlds`). `harness` runs
`derive.check` — the only thing imported from `derive` — and compares.

The same, apart, for random variables and information measures (`information`,
`information_reference`, `information_harness`) and for parametric families, parameters under
hypotheses, generic algebra and derivatives (`families_ast`, `families`, `families_reference`,
`families_harness`).
"""
