"""Proofs: derivations (chains of steps by named rules), proof search, statements typed in the
notation, and running proof scripts."""
