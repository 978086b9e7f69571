"""Build the SHACL Core regular expression of the SIREN check digit: among 9-digit values it
accepts exactly those whose Luhn check digit is right.

Why a regular expression: SHACL Core has no arithmetic, and a SPARQL-based constraint costs
pySHACL about 0.2 s per authority (measured on 2,000 communes: 398 s), far too slow for the
bundled dataset. The Luhn test is a finite automaton (the running sum modulo 10), so a fixed
length input can be matched by a plain regular expression: split the 9 positions in two,
and for each of the 10 possible partial sums s, the left half must sum to s and the right
half to -s (mod 10); recurse down to single positions, where exactly one digit fits (the
Luhn doubling is a bijection on 0-9). The result uses only groups, alternation and literal
digits, so it means the same to pySHACL (Python `re`), shacl-rust (Rust `regex`) and XPath.

Run `python shapes/siren_pattern.py` to print the pattern written in shapes/authorities.ttl;
tests/conformance/test_shapes.py checks that the file holds exactly this output.
"""

from __future__ import annotations

from functools import cache

SIREN_LENGTH = 9


def luhn_contribution(position: int, digit: int) -> int:
    """What `digit` at 1-based `position` adds to the Luhn sum of a 9-digit SIREN: the
    digits at even positions (2nd, 4th, 6th, 8th from the left) are doubled, minus 9 above 9."""
    if position % 2 == 0:
        doubled = 2 * digit
        return doubled - 9 if doubled > 9 else doubled
    return digit


def luhn_valid(text: str) -> bool:
    """The reference check the pattern must agree with."""
    if len(text) != SIREN_LENGTH or not all(c in "0123456789" for c in text):
        return False
    total = sum(luhn_contribution(i, int(c)) for i, c in enumerate(text, start=1))
    return total % 10 == 0


@cache
def _sum_pattern(first: int, last: int, residue: int) -> str:
    """A pattern for the digits at positions first..last whose contributions sum to
    `residue` modulo 10."""
    if first == last:
        (digit,) = (d for d in range(10) if luhn_contribution(first, d) % 10 == residue)
        return str(digit)
    middle = (first + last) // 2
    branches = (
        _sum_pattern(first, middle, left) + _sum_pattern(middle + 1, last, (residue - left) % 10)
        for left in range(10)
    )
    return "(" + "|".join(branches) + ")"


def siren_check_pattern() -> str:
    """The anchored pattern of every string that is not 9 ASCII digits (the format
    constraint reports those, so a malformed SIREN gets one message, not two) or is 9 digits
    with a valid Luhn check digit."""
    not_nine_digits = r"[\s\S]*[^0-9][\s\S]*|[0-9]{0,8}|[0-9]{10,}"
    return "^(" + not_nine_digits + "|" + _sum_pattern(1, SIREN_LENGTH, 0) + ")$"


if __name__ == "__main__":
    print(siren_check_pattern())
