"""Rendering results for people: the per-step report, documents (Markdown, LaTeX, PDF) from
templates, figures, and the catalogue of quantities and rules."""
