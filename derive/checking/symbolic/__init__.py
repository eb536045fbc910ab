"""The symbolic checks: equality by canonical forms, inequalities by lemmas."""
