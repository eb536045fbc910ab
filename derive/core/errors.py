"""The one root exception of `derive` and its kinds.

Every error a user can cause is a `DeriveError`; the command line prints its message on one line
and exits with its `exit_code`.  Anything else escaping is a bug in `derive`.
"""

from __future__ import annotations


class DeriveError(Exception):
    """Something the user asked for cannot be done; the message says what and where."""

    exit_code = 2


class UsageError(DeriveError):
    """Bad command-line usage or a bad argument to the Python API: fix the call."""


class RuleError(DeriveError):
    """A rule was applied where it does not apply, or produced something other than the expected
    expression: choose a rule that matches the expression, or correct the expected expression."""


class ProofScriptError(DeriveError):
    """A proof script could not be run (it raised, or defines no derivation)."""


class NotationError(DeriveError):
    """An input in the field's notation could not be read; the message points at the place."""


class UndefinedExpression(DeriveError):
    """An expression has no value anywhere: it divides by something that is identically zero
    (`\\frac{1}{\\log 1}`), or takes the log or a fractional power of a negative constant."""
