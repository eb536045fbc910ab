"""Checking a claim: symbolically (equality and inequality by the canonical form) and numerically
(seeded draws, exact worlds, certified enclosures), side by side; the cache of checks."""
