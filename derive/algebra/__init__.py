"""The canonical form: the normal form of an expression that the symbolic checks compare and the
rules match against."""
