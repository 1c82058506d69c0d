#!/usr/bin/env python3
# Derives the erf approximation's coefficient table (approx::kErfPoly in src/kernels/activation.cpp):
# on each of four intervals of t = |x| a degree-8 polynomial in u = t - centre, fitted by the Remez
# exchange to the minimax relative error against mpmath's erf, then rounded to float32.
#   python3 scripts/erf-coefficients.py      (needs mpmath)
# The interval at 0 is centred at 0 with no constant term (relative accuracy down to denormals); the
# C++ evaluates it as t + t * (c1 - 1 + ...), so row 1 holds c1 - 1 there. Accuracy of the float32
# evaluation: test/native/kernels/activation.cpp ("[erf-sweep]" for every float).
import struct
import mpmath as mp

mp.mp.dps = 40
DEGREE = 8
f32 = lambda v: struct.unpack('f', struct.pack('f', float(v)))[0]
SPLIT = [f32(0.8), f32(1.6), f32(2.4)]
CENTER = [0.0, f32(1.2), f32(2.0), f32(3.16)]
SAT = 3.9192059  # erf(t) rounds to 1 in float32 from here: the C++ returns 1


def remez(a, b, c, grid=4000):
    """Minimax relative-error polynomial sum p_j u^j (p_0 = 0 when c = 0) for erf(c + u), u in [a-c, b-c]."""
    a, b, c = mp.mpf(a), mp.mpf(b), mp.mpf(c)
    j0 = 1 if c == 0 else 0
    nc = DEGREE + 1 - j0
    us = [a - c + (b - a) * mp.mpf(i) / grid for i in range(grid + 1)]
    F = [mp.erf(c + u) for u in us]
    first = 1 if F[0] == 0 else 0  # u = 0, erf = 0: exact for any p

    def rel(p, i):
        s = mp.mpf(0)
        for coef in reversed(p):
            s = s * us[i] + coef
        return ((s * us[i] if j0 else s) - F[i]) / F[i]

    n = nc + 1
    ref = [max(first, int(round(grid * (1 - mp.cos(mp.pi * k / (n - 1))) / 2))) for k in range(n)]
    for _ in range(30):
        A, rhs = mp.matrix(n, n), mp.matrix(n, 1)
        for r, i in enumerate(ref):
            for j in range(nc):
                A[r, j] = us[i] ** (j + j0)
            A[r, nc] = (-1) ** r * F[i]
            rhs[r] = F[i]
        sol = mp.lu_solve(A, rhs)
        p, E = [sol[j] for j in range(nc)], abs(sol[nc])
        e = [mp.mpf(0)] * first + [rel(p, i) for i in range(first, grid + 1)]
        # New reference: the largest |error| between consecutive sign changes.
        segs, start = [], first
        for i in range(first + 1, grid + 1):
            if e[i] != 0 and (e[i] > 0) != (e[start] > 0):
                segs.append((start, i))
                start = i
        segs.append((start, grid + 1))
        pts = [max(range(x, y), key=lambda i: abs(e[i])) for x, y in segs]
        while len(pts) > n:
            pts.pop(0 if abs(e[pts[0]]) < abs(e[pts[-1]]) else -1)
        worst = max(abs(v) for v in e)
        if len(pts) < n or pts == ref or worst < E * (1 + mp.mpf(10) ** -4):
            break
        ref = pts
    return [mp.mpf(0)] * j0 + p, worst


rows = []
edges = [0.0] + SPLIT + [SAT]
for k in range(4):
    # A little past each edge: the float comparisons pick the interval.
    p, worst = remez(edges[k] - (1e-6 if k else 0), edges[k + 1] + 1e-6, CENTER[k])
    if k == 0:
        p[1] -= 1  # t + t * (c1 - 1 + ...): the leading term exact
    print(f'// [{edges[k]:.7g}, {edges[k + 1]:.7g}) centre {CENTER[k]:.7g}: max relative error {mp.nstr(worst, 3)}')
    rows.append([f32(v) for v in p])


def lit(v):
    s = '%.9g' % v
    return s + ('f' if ('.' in s or 'e' in s) else '.0f')


print('alignas(16) constexpr float kErfPoly[%d][4] = {' % (DEGREE + 1))
for j in range(DEGREE + 1):
    print('    {' + ', '.join(lit(rows[k][j]) for k in range(4)) + '},')
print('};')
