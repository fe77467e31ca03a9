"""The Amazon compliance guard: one pure-Python check that every outbound channel calls.

    result = compliance_check(text=body, purpose=Purpose.REPLY, context=ComplianceContext(...))
    if not result.allowed:
        ...  # show result.violations: rule, message, and text[start:end] to highlight

No Django and no database: callers gather the context (order ID, days since delivery,
earlier proactive messages, the account's link domains and forbidden phrases).

Modules: ``base`` (types and the rule catalogue), ``normalize`` (words with original
offsets, undoing disguises), ``lexicon`` (review and change words, fuzzy lookup),
``reviews`` (the review rules), ``content`` (marketing, links, contact details, HTML,
emoji, extra phrases), ``concepts`` and ``languages`` (what words mean, in en, de, fr, es, it
and ja), ``intent`` (the rules over concepts, with doubts where unsure), ``learned`` (a
model's second opinion that holds what no rule names), ``guard``
(``compliance_check``: which rules apply per purpose).
"""

from .base import RULES, ComplianceContext, ComplianceResult, Purpose, Verdict, Violation
from .guard import compliance_check

__all__ = ["RULES", "ComplianceContext", "ComplianceResult", "Purpose", "Verdict", "Violation", "compliance_check"]
