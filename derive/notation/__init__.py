"""The field's notation: `reading` LaTeX into the vocabulary, and `printing` it back."""
