"""The lowest layer: the root exception and its kinds, time bounds, atomic file writes."""
