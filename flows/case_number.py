"""Case numbers: short, random, unambiguous when read aloud (Crockford base32)."""

from __future__ import annotations

import re

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = "HB-"
LENGTH = 6  # 32**6 ≈ 1.07e9 numbers: guessing one is hopeless, collisions are retried.
PATTERN = re.compile(r"\bHB-?([0-9A-Za-z]{6})\b", re.IGNORECASE)
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def case_number_from(random_bytes: bytes) -> str:
    """Build a case number from at least four random bytes (randomness is the caller's)."""
    if len(random_bytes) < 4:
        raise ValueError("a case number needs at least 4 random bytes")
    value = int.from_bytes(random_bytes, "big")
    digits = []
    for _ in range(LENGTH):
        value, index = divmod(value, 32)
        digits.append(CROCKFORD[index])
    return PREFIX + "".join(digits)


def parse_case_number(text: str) -> str | None:
    """Find a case number in what a person typed, forgiving case and look-alike letters."""
    match = PATTERN.search(text)
    if match is None:
        return None
    body = match.group(1).upper().translate(_READ_AS)
    if any(ch not in CROCKFORD for ch in body):
        return None
    return PREFIX + body
