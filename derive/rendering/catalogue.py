"""`derive list`: the defined quantities with their notation, the rules and the lemmas."""

from __future__ import annotations

import inspect
from collections.abc import Callable

from derive import rules
from derive.checking.symbolic.inequality import DISCRETE_ENTROPY, GIBBS
from derive.notation.printing import latex
from derive.rules import Rule
from derive.vocabulary.distributions import Distribution
from derive.vocabulary.quantities import QUANTITIES

#: Rules made by a function, for one quantity or one factor at a time.
FACTORIES = (rules.unfold, rules.fold, rules.argopt_scale, rules.theorem)


def quantities() -> list[dict]:
    """Every defined quantity: its name, the class it is made with (`Entropy(p)`), its
    notation, and its definition."""
    listed = []
    for name, cls in QUANTITIES.items():
        generic = cls(*(Distribution(p) for p in cls.parameter_names))
        listed.append({"name": name, "api": cls.__name__, "written": latex(generic),
                       "read_as": [f"{head}(…)" for head in cls.notation.read_as],
                       "definition": f"{latex(generic)} = {latex(generic.definition())}"})
    return listed


def rule_list() -> list[dict]:
    """Every rule under the name it is imported by (`from derive.rules import log_div`), which is
    also the name reports give it; then the functions that make rules, with their whole
    docstring."""
    listed = []
    for name in sorted(rules.__all__):
        value = getattr(rules, name)
        if isinstance(value, Rule):
            listed.append({"name": name, "statement": value.statement,
                           "conditions": value.conditions, "description": value.description})
    listed += [{"name": _call_form(f),
                "statement": " ".join(inspect.getdoc(f).split()), "conditions": "",
                "description": ""} for f in FACTORIES]
    return listed


def _call_form(function: Callable) -> str:
    """How a rule-making function is called: `unfold(*quantities)`, `argopt_scale(factor)`."""
    parameters = inspect.signature(function).parameters.values()
    names = [("*" if p.kind is p.VAR_POSITIONAL else "") + p.name for p in parameters]
    return f"{function.__name__}({', '.join(names)})"


def lemmas() -> list[str]:
    return [GIBBS, DISCRETE_ENTROPY]


def as_json() -> dict:
    return {"quantities": quantities(), "rules": rule_list(), "lemmas": lemmas()}


def lines() -> list[str]:
    out = ["Quantities (the class to use in Python, its name; written as, read as, definition):"]
    for q in quantities():
        out += [f"  {q['api']}: {q['name']}", f"    written   {q['written']}",
                f"    read as   {', '.join(q['read_as'])}", f"    defined   {q['definition']}"]
    out += ["", "Rules (name: statement [conditions]):"]
    for r in rule_list():
        condition = f"   [{r['conditions']}]" if r["conditions"] else ""
        out.append(f"  {r['name']}: {r['statement']}{condition}")
    out += ["", "Lemmas used to prove inequalities:"] + [f"  {lemma}" for lemma in lemmas()]
    return out
