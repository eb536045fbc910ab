r"""Reading the field's LaTeX notation (README, "The notation") into derive's objects.

Two layers.  Ours tokenises the input (every token keeps its column), checks the limits and the
brackets, and recognises the field's constructs: distributions and their values `q_\theta(y \mid
x_i)`, the quantities of `QUANTITIES` (looked up when reading, so user-defined ones are read
too), sums, products, integrals, expectations, indicators and arg min / arg max.  Each construct,
and each bracketed group, becomes one placeholder `\variable{Z0}` in a flat arithmetic
*skeleton*, which latex2sympy2_extended reads: signs, products, `\frac`, powers, `\sqrt`,
`\log x` (read as natural), integers.  The placeholders are then replaced by our objects and the
arithmetic is evaluated under guards on the size of powers.  The input is never run as code.

Columns count from 0.  Every error is a `NotationSyntaxError`: one line "column N: what is wrong",
and `pointer()` shows the place.

The modules, one construct each: `statements` (the entry points below), `reader` (the tokens
and the dispatch of each piece to its construct), `tokens`, `skeleton` (the arithmetic),
`functions` (`\frac`, `\sqrt`, `\log`, `\exp`), `letters`, `distributions`, `quantities`,
`operators` (sums, products, integrals, expectations, arg min / arg max), `indicators`;
`scope` (what letters mean where the reader is), `limits`, `messages` and `errors`.
"""

from derive.notation.reading.errors import NotationSyntaxError
from derive.notation.reading.statements import (Statement, parse_chain, parse_expression,
                                                parse_statement)

__all__ = ["NotationSyntaxError", "Statement", "parse_chain", "parse_expression",
           "parse_statement"]
