"""Prints the table of engine/src/reference_attack/portable_exp.rs: for j = 0..127, 2^(j/128)
correctly rounded to a double (hi) and what that rounding left (lo, the rest rounded to a double),
each as the bits of the double, hi then lo. Computed with 60 significant digits by Python's decimal
module, whose conversion to float rounds correctly.

    python3 scripts/reference/exp_table.py
"""
import struct
from decimal import Decimal, getcontext

getcontext().prec = 60
LN2 = Decimal(2).ln()


def bits(x):
    return struct.unpack('<Q', struct.pack('<d', x))[0]


pairs = []
for j in range(128):
    v = (Decimal(j) / 128 * LN2).exp()
    hi = float(v)
    pairs.append((bits(hi), bits(float(v - Decimal(hi)))))
for i in range(0, 128, 2):
    (a, b), (c, d) = pairs[i], pairs[i + 1]
    print(f'    0x{a:016x}, 0x{b:016x}, 0x{c:016x}, 0x{d:016x},')
