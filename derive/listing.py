"""`derive list`: the defined quantities with their notation, the rules and the lemmas."""

from __future__ import annotations

import inspect

from derive import rules
from derive.distributions import Distribution
from derive.inequality import DISCRETE_ENTROPY, GIBBS
from derive.printing import latex
from derive.quantities import QUANTITIES
from derive.rules import Rule

#: Rules made by a function, for one quantity or one factor at a time.
FACTORIES = (rules.unfold, rules.fold, rules.argopt_scale, rules.theorem)


def quantities() -> list[dict]:
    listed = []
    for name, cls in QUANTITIES.items():
        generic = cls(*(Distribution(p) for p in cls.parameter_names))
        listed.append({"name": name, "written": latex(generic),
                       "read_as": [f"{head}(…)" for head in cls.notation.read_as],
                       "definition": f"{latex(generic)} = {latex(generic.definition())}"})
    return listed


def rule_list() -> list[dict]:
    listed = [{"name": r.name, "statement": r.statement, "conditions": r.conditions}
              for r in vars(rules).values() if isinstance(r, Rule)]
    listed += [{"name": f"{f.__name__}(…)", "statement": inspect.getdoc(f).splitlines()[0],
                "conditions": ""} for f in FACTORIES]
    return listed


def lemmas() -> list[str]:
    return [GIBBS, DISCRETE_ENTROPY]


def as_json() -> dict:
    return {"quantities": quantities(), "rules": rule_list(), "lemmas": lemmas()}


def lines() -> list[str]:
    out = ["Quantities (defined once; written as, read as, definition):"]
    for q in quantities():
        out += [f"  {q['name']}", f"    written   {q['written']}",
                f"    read as   {', '.join(q['read_as'])}", f"    defined   {q['definition']}"]
    out += ["", "Rules (name: statement [conditions]):"]
    for r in rule_list():
        condition = f"   [{r['conditions']}]" if r["conditions"] else ""
        out.append(f"  {r['name']}: {r['statement']}{condition}")
    out += ["", "Lemmas used to prove inequalities:"] + [f"  {lemma}" for lemma in lemmas()]
    return out
