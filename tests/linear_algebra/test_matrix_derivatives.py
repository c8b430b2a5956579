"""Proofs for docs/linear-algebra/matrix-derivatives.md (snippets/linear_algebra/matrix_derivatives.py).

Each displayed result is RESULTS[claim] rendered by sympy.latex, and each index formula is
INDEX[claim] rendered by IndexPrinter; here the same expressions are compared with what sympy
derives from the definitions (symbolic sizes), evaluated on explicit matrices of small sizes
and compared with derivatives computed entry by entry, and checked by finite differences.
"""

from __future__ import annotations

import itertools
import random
import re

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st
from sympy.polys.matrices import DomainMatrix

from snippets.linear_algebra import matrix_derivatives as md
from tests.original import quoted_formulas, sheet_section
from tests.site_build import ROOT
from tests.strategies import finite_floats, invertible_matrices, matrices
from verified_docs.verify import assert_close, fd_jacobian

# (m, n, p): square and not, each of m, n, p from 1 to 4 at least once.
SIZES = [(1, 1, 1), (1, 3, 2), (2, 3, 2), (3, 2, 1), (4, 4, 2)]
SMALL = SIZES[:4]  # for checks that loop over every entry


def explicit(m, n, p=2):
    """Explicit symbols standing in for the matrix and index symbols, at sizes m, n, p."""
    z = sp.symbols(f"z1:{p + 1}", real=True)
    A = sp.Matrix(m, n, lambda i, k: sp.Symbol(f"a{i + 1}{k + 1}"))
    x = sp.Matrix(sp.symbols(f"x1:{n + 1}"))
    y = sp.Matrix(sp.symbols(f"y1:{m + 1}"))
    x_of_z = sp.Matrix([sp.Function(f"x{k}")(*z) for k in range(1, n + 1)])
    y_of_z = sp.Matrix([sp.Function(f"y{k}")(*z) for k in range(1, n + 1)])
    return z, A, x, y, x_of_z, y_of_z


def evaluate(claim_id, mapping):
    """RESULTS[claim_id] with its matrix symbols (sized m, n, p) replaced by explicit matrices."""
    sizes = {md.M: mapping.pop("m", 1), md.N: mapping.pop("n"), md.P: mapping.pop("p", 1)}
    explicit_of = {symbol.subs(sizes): value for symbol, value in mapping.items()}  # scalars too (det A)
    return sp.Matrix(md.RESULTS[claim_id].subs(sizes).xreplace(explicit_of).doit())


def evaluated(expr):
    """An unevaluated expression (as INDEX builds them for printing) rebuilt with evaluation."""
    if not expr.args or isinstance(expr, (sp.Indexed, sp.Symbol, sp.Tuple)):
        return expr
    return expr.func(*[evaluated(arg) for arg in expr.args])


def at_size(expr, sizes, indices, table):
    """An INDEX expression at explicit sizes and indices, its entries replaced by `table`."""
    m, n, p = sizes
    i, j = indices
    fixed = expr.subs({md.M: m, md.N: n, md.P: p, md.I: i, md.J: j}).doit()
    return fixed.xreplace(table).doit()


def index_table(m, n, p, A, x, y, z, x_of_z, y_of_z):
    """Indexed entries and entry functions of md (1-based) -> the explicit ones (0-based)."""
    table = {md.a[r, c]: A[r - 1, c - 1] for r in range(1, m + 1) for c in range(1, n + 1)}
    table |= {md.x[k]: x[k - 1] for k in range(1, n + 1)}
    table |= {md.y[r]: y[r - 1] for r in range(1, len(y) + 1)}
    for k, c in itertools.product(range(1, n + 1), range(1, p + 1)):
        for function, explicit_function in ((md.x_of, x_of_z), (md.y_of, y_of_z)):
            entry = function(k, md.z[c])
            table[sp.Derivative(entry, md.z[c])] = explicit_function[k - 1].diff(z[c - 1])
            table[entry] = explicit_function[k - 1]
    return table


# --- general sizes: matrix form ------------------------------------------------------------------

@pytest.mark.claim("md.linear", "symbolic")
@pytest.mark.claim("md.bilinear-x", "symbolic")
@pytest.mark.claim("md.bilinear-y", "symbolic")
def test_general_sizes_with_matrix_symbols():
    d = md.numerator_layout_derivatives()
    m, n = sp.symbols("m n", integer=True, positive=True)
    A, x, y = sp.MatrixSymbol("A", m, n), sp.MatrixSymbol("x", n, 1), sp.MatrixSymbol("y", m, 1)
    assert d["d(Ax)/dx"] == A
    assert d["d(y'Ax)/dx"] == y.T * A
    assert d["d(y'Ax)/dy"] == x.T * A.T
    # sympy's own answer is the transpose (denominator layout): the page must not copy it.
    assert (A * x).diff(x) == A.T
    # The displayed forms are the same expressions, in the page's symbols.
    assert md.RESULTS["md.linear"] == md.A
    assert md.RESULTS["md.bilinear-x"] == md.Y.T * md.A
    assert md.RESULTS["md.bilinear-y"] == md.X.T * md.A.T


@pytest.mark.claim("md.bilinear-differential", "symbolic")
def test_differential_of_the_bilinear_form_for_symbolic_sizes():
    """For a fixed y, alpha is linear in x, so its increment over dx is exactly y^T A dx: the differential in x."""
    increment = (md.Y.T * md.A * (md.X + md.D_X)).expand() - md.Y.T * md.A * md.X
    assert increment == md.RESULTS["md.bilinear-differential"] == md.Y.T * md.A * md.D_X


def noncommutative(expr, symbols):
    """A product of matrix symbols (and inverses) as a product of non-commuting symbols."""
    coefficient, factors = expr.as_coeff_matrices()
    return coefficient * sp.Mul(*[symbols[factor] for factor in factors])


@pytest.mark.claim("md.inverse", "symbolic")
@pytest.mark.claim("md.inverse-product", "symbolic")
def test_inverse_derivative_for_symbolic_n():
    """Non-commuting symbols: from A Ainv = Ainv A = 1, d(Ainv) = -Ainv dA Ainv, uniquely."""
    A, Ai, dA, X = sp.symbols("A A_inv dA X", commutative=False)
    symbols = {md.SQUARE: A, md.SQUARE.I: Ai, md.DA: dA}

    def reduce(expr):
        expr = sp.expand(expr)
        for _ in range(4):
            expr = sp.expand(expr.subs(A * Ai, 1).subs(Ai * A, 1))
        return expr

    claimed = noncommutative(md.RESULTS["md.inverse"], symbols)
    assert claimed == -Ai * dA * Ai
    # Product rule on A * Ainv = 1: dA Ainv + A d(Ainv) = 0 holds for the claimed d(Ainv) ...
    assert reduce(dA * Ai + A * claimed) == 0
    # ... and any X satisfying it equals the claim: Ainv (dA Ainv + A X) = Ainv dA Ainv + X.
    assert reduce(Ai * (dA * Ai + A * X)) == Ai * dA * Ai + X
    # A wrong candidate (the order swapped) does not satisfy it.
    assert reduce(dA * Ai + A * (-Ai * Ai * dA)) != 0
    # Product rule on Ainv * A = 1: d(Ainv) A = -Ainv dA, the page's intermediate step.
    step = noncommutative(md.RESULTS["md.inverse-product"], symbols)
    assert reduce(claimed * A) == step == -Ai * dA


# --- general sizes: index form (what sympy derives from the definitions) -------------------------

def within(expr, *bounds):
    """expr with the index bounds 1 <= index <= size assumed (sympy keeps them as Piecewise)."""
    return sp.refine(expr, sp.And(*[sp.Q.le(index, size) for index, size in bounds]))


@pytest.mark.claim("md.linear-entry", "symbolic")
def test_linear_entry_for_symbolic_n():
    first, last = md.INDEX["md.linear-entry"]
    assert md.Y_I.diff(md.x[md.J]) == evaluated(first)  # differentiating term by term
    assert within(evaluated(first).doit(), (md.J, md.N)) == last == md.a[md.I, md.J]
    assert evaluated(first).doit() != last  # without 1 <= j <= n the sum is 0: the bound matters


@pytest.mark.claim("md.chain-entry", "symbolic")
def test_chain_entry_for_symbolic_n():
    (shown,) = md.INDEX["md.chain-entry"]
    assert md.Y_I_OF_Z.diff(md.z[md.J]) == evaluated(shown)


def bilinear_form(inner, outer):
    """alpha = sum_r sum_k y_r a_rk x_k with the given summation (innermost first), r a fresh index."""
    r = sp.Symbol("r", integer=True, positive=True)
    limits = {"r": (r, 1, md.M), "k": (md.K, 1, md.N)}
    return sp.Sum(md.y[r] * md.a[r, md.K] * md.x[md.K], limits[inner], limits[outer]), r


@pytest.mark.claim("md.bilinear-sum", "symbolic")
def test_bilinear_sum_for_symbolic_sizes():
    (shown,) = md.INDEX["md.bilinear-sum"]
    alpha, r = bilinear_form("k", "r")
    assert evaluated(shown) == alpha.xreplace({r: md.L})
    # sympy's own entry of the matrix product y^T A x, for symbolic m and n (indices from 0) ...
    Y, A, X = sp.MatrixSymbol("y", md.M, 1), sp.MatrixSymbol("A", md.M, md.N), sp.MatrixSymbol("x", md.N, 1)
    entry = (Y.T * A * X)[0, 0]
    ((u, u_start, u_end), (v, v_start, v_end)) = entry.limits
    assert (u_start, u_end, v_start, v_end) == (0, md.M - 1, 0, md.N - 1)
    from_sympy = sp.Sum(entry.function.xreplace({u: md.L - 1, v: md.K - 1}), (md.K, 1, md.N), (md.L, 1, md.M))
    # ... is the shown sum with the indices shifted to start at 1.
    entries = {md.y: lambda i: Y[i - 1, 0], md.a: lambda i, k: A[i - 1, k - 1], md.x: lambda k: X[k - 1, 0]}
    shifted = evaluated(shown).replace(lambda e: isinstance(e, sp.Indexed), lambda e: entries[e.base](*e.indices))
    assert shifted == from_sympy


@pytest.mark.claim("md.bilinear-x-entry", "symbolic")
def test_bilinear_x_entry_for_symbolic_sizes():
    (shown,) = md.INDEX["md.bilinear-x-entry"]
    alpha, r = bilinear_form("k", "r")  # the sum over k innermost: x_j is picked out there
    derived = within(alpha.diff(md.x[md.J]).doit(), (md.J, md.N)).xreplace({r: md.L})
    assert derived == evaluated(shown)


def test_bilinear_sum_keeps_the_fixed_index_free():
    """The sum over y's index uses l, so that "the terms with l = i" names the fixed i unambiguously."""
    (shown,) = md.INDEX["md.bilinear-sum"]
    (x_entry,) = md.INDEX["md.bilinear-x-entry"]
    assert [limit[0] for limit in shown.limits] == [md.K, md.L]
    assert [limit[0] for limit in x_entry.limits] == [md.L]
    assert md.I not in shown.free_symbols | shown.atoms(sp.Symbol)


@pytest.mark.claim("md.bilinear-y-entry", "symbolic")
def test_bilinear_y_entry_for_symbolic_sizes():
    (shown,) = md.INDEX["md.bilinear-y-entry"]
    alpha, _ = bilinear_form("r", "k")  # the sum over r innermost: y_i is picked out there
    derived = within(alpha.diff(md.y[md.I]).doit(), (md.I, md.M))
    assert derived == evaluated(shown)


@pytest.mark.claim("md.product-sum", "symbolic")
def test_product_sum_for_symbolic_n():
    """sympy's own entry of y^T x for symbolic n (indices from 0) is the shown sum, shifted."""
    (shown,) = md.INDEX["md.product-sum"]
    Y, X = sp.MatrixSymbol("y", md.N, 1), sp.MatrixSymbol("x", md.N, 1)
    entry = (Y.T * X)[0, 0]
    ((u, u_start, u_end),) = entry.limits
    assert (u_start, u_end) == (0, md.N - 1)
    from_sympy = sp.Sum(entry.function.xreplace({u: md.K - 1}), (md.K, 1, md.N))
    entries = {md.y: lambda k: Y[k - 1, 0], md.x: lambda k: X[k - 1, 0]}
    shifted = evaluated(shown).replace(lambda e: isinstance(e, sp.Indexed), lambda e: entries[e.base](*e.indices))
    assert shifted == from_sympy


@pytest.mark.claim("md.product-sum", "symbolic")
def test_product_sum_at_explicit_sizes():
    """The dot product written out, at n = 1..4."""
    (shown,) = md.INDEX["md.product-sum"]
    for n in range(1, 5):
        x, y = sp.Matrix(sp.symbols(f"x1:{n + 1}")), sp.Matrix(sp.symbols(f"y1:{n + 1}"))
        table = {md.x[k]: x[k - 1] for k in range(1, n + 1)} | {md.y[k]: y[k - 1] for k in range(1, n + 1)}
        assert at_size(shown, (1, n, 1), (1, 1), table) == (y.T * x)[0]


@pytest.mark.claim("md.product-entry", "symbolic")
def test_product_entry_for_symbolic_n():
    (shown,) = md.INDEX["md.product-entry"]
    alpha = sp.Sum(md.YK * md.XK, (md.K, 1, md.N))
    assert alpha.diff(md.z[md.J]) == evaluated(shown)  # the scalar product rule, term by term


@pytest.mark.claim("md.inverse-entry", "symbolic")
def test_inverse_entry_for_symbolic_n():
    first, last = md.INDEX["md.inverse-entry"]
    # The product rule, term by term, on (A^-1 A)_ij = sum_k (A^-1)_ik a_kj ...
    assert md.PRODUCT_OF_INVERSE.diff(md.ALPHA) == evaluated(first)
    # ... which is delta_ij, a constant: its derivative is 0.
    assert sp.KroneckerDelta(md.I, md.J).diff(md.ALPHA) == 0 == last


# --- explicit sizes: every entry of the index formulas --------------------------------------------

@pytest.mark.parametrize("sizes", SMALL)
@pytest.mark.claim("md.linear-entry", "symbolic")
@pytest.mark.claim("md.chain-entry", "symbolic")
@pytest.mark.claim("md.bilinear-sum", "symbolic")
@pytest.mark.claim("md.bilinear-x-entry", "symbolic")
@pytest.mark.claim("md.bilinear-y-entry", "symbolic")
@pytest.mark.claim("md.product-entry", "symbolic")
def test_index_formulas_entry_by_entry(sizes):
    m, n, p = sizes
    z, A, x, y, x_of_z, y_of_z = explicit(m, n, p)
    table = index_table(m, n, p, A, x, y, z, x_of_z, y_of_z)
    shown = {claim: sides[0] for claim, sides in md.INDEX.items()}
    alpha = sp.Matrix([(y.T * A * x)[0]])
    assert at_size(shown["md.bilinear-sum"], sizes, (1, 1), table).expand() == alpha[0].expand()
    for i, j in itertools.product(range(1, m + 1), range(1, n + 1)):
        entry = at_size(shown["md.linear-entry"], sizes, (i, j), table)
        assert entry == (A * x).jacobian(x)[i - 1, j - 1] == md.INDEX["md.linear-entry"][1].subs({md.I: i, md.J: j}).xreplace(table)
    for i, j in itertools.product(range(1, m + 1), range(1, p + 1)):
        assert at_size(shown["md.chain-entry"], sizes, (i, j), table) == (A * x_of_z).jacobian(z)[i - 1, j - 1]
    for j in range(1, n + 1):
        assert at_size(shown["md.bilinear-x-entry"], sizes, (1, j), table) == alpha.jacobian(x)[0, j - 1]
    for i in range(1, m + 1):
        assert at_size(shown["md.bilinear-y-entry"], sizes, (i, 1), table) == alpha.jacobian(y)[0, i - 1]
    product = sp.Matrix([(y_of_z.T * x_of_z)[0]]).jacobian(z)
    for j in range(1, p + 1):
        assert (at_size(shown["md.product-entry"], sizes, (1, j), table) - product[0, j - 1]).expand() == 0


def cramer(n):
    """Generic n-by-n A (entries a_ij symbols), its adjugate and determinant, and the symbols
    b_ij standing for da_ij/dalpha with d, the derivative in alpha of a polynomial in the a_ij."""
    A = sp.Matrix(n, n, lambda i, j: sp.Symbol(f"a{i + 1}{j + 1}"))
    B = sp.Matrix(n, n, lambda i, j: sp.Symbol(f"b{i + 1}{j + 1}"))
    adj, det = A.adjugate(method="berkowitz").expand(), sp.expand(A.det(method="berkowitz"))

    def d(polynomial):
        return sp.expand(sum(polynomial.diff(A[k]) * B[k] for k in range(n * n)))

    return A, B, adj, det, d


@pytest.mark.parametrize("n", [1, 2])
@pytest.mark.claim("md.inverse-entry", "symbolic")
def test_inverse_entry_with_generic_entries(n):
    """With A^-1 = adj / det, every entry (i, j) of the shown sum is 0 for every differentiable A."""
    A, B, adj, det, d = cramer(n)
    inverse = adj / det
    derivative_of_inverse = (adj.applyfunc(d) * det - adj * d(det)) / det**2  # quotient rule
    table = {}
    for r, c in itertools.product(range(1, n + 1), repeat=2):
        table[sp.Derivative(md.inverse_of(r, c, md.ALPHA), md.ALPHA)] = derivative_of_inverse[r - 1, c - 1]
        table[md.inverse_of(r, c, md.ALPHA)] = inverse[r - 1, c - 1]
        table[sp.Derivative(md.a_of(r, c, md.ALPHA), md.ALPHA)] = B[r - 1, c - 1]
        table[md.a_of(r, c, md.ALPHA)] = A[r - 1, c - 1]
    first, last = md.INDEX["md.inverse-entry"]
    for i, j in itertools.product(range(1, n + 1), repeat=2):
        assert sp.cancel(at_size(first, (1, n, 1), (i, j), table)) == last  # cancel: exact for rational functions


# --- explicit sizes: the displayed matrices ----------------------------------------------------------

@pytest.mark.parametrize("sizes", SIZES)
@pytest.mark.claim("md.linear", "symbolic")
def test_linear_map_entry_by_entry(sizes):
    m, n, _ = sizes
    _, A, x, _, _, _ = explicit(m, n)
    shown = evaluate("md.linear", {"m": m, "n": n, md.A: sp.ImmutableMatrix(A), md.X: sp.ImmutableMatrix(x)})
    assert (A * x).jacobian(x) == A == shown


@pytest.mark.parametrize("sizes", SIZES)
@pytest.mark.claim("md.bilinear-x", "symbolic")
@pytest.mark.claim("md.bilinear-y", "symbolic")
@pytest.mark.claim("md.bilinear-differential", "symbolic")
def test_bilinear_form_entry_by_entry(sizes):
    m, n, _ = sizes
    _, A, x, y, _, _ = explicit(m, n)
    alpha = sp.Matrix([(y.T * A * x)[0]])
    mapping = {"m": m, "n": n, md.A: sp.ImmutableMatrix(A), md.X: sp.ImmutableMatrix(x), md.Y: sp.ImmutableMatrix(y)}
    assert alpha.jacobian(x) == (y.T * A).expand() == evaluate("md.bilinear-x", dict(mapping)).expand()
    assert alpha.jacobian(y) == (x.T * A.T).expand() == evaluate("md.bilinear-y", dict(mapping)).expand()
    dx = sp.Matrix(sp.symbols(f"dx1:{n + 1}"))
    increment = (y.T * A * (x + dx))[0] - alpha[0]
    differential = evaluate("md.bilinear-differential", mapping | {md.D_X: sp.ImmutableMatrix(dx)})
    assert (increment - differential[0]).expand() == 0


@pytest.mark.parametrize("sizes", SIZES)
@pytest.mark.claim("md.chain", "symbolic")
@pytest.mark.claim("md.product", "symbolic")
def test_chain_and_product_rules_entry_by_entry(sizes):
    m, n, p = sizes
    assert md.chain_and_product_rules_hold(m, n, p)
    z, A, _, _, x, y = explicit(m, n, p)
    jx, jy = sp.ImmutableMatrix(x.jacobian(z)), sp.ImmutableMatrix(y.jacobian(z))
    chain = evaluate("md.chain", {"m": m, "n": n, "p": p, md.A: sp.ImmutableMatrix(A), md.DX: jx})
    assert ((A * x).jacobian(z) - chain).expand() == sp.zeros(m, p)
    product = evaluate("md.product", {"n": n, "p": p, md.X: sp.ImmutableMatrix(x), md.Y_N: sp.ImmutableMatrix(y),
                                      md.DX: jx, md.DY: jy})
    assert (sp.Matrix([(y.T * x)[0]]).jacobian(z) - product).expand() == sp.zeros(1, p)


@pytest.mark.parametrize("n", [1, 2, 3])
@pytest.mark.claim("md.cramer", "symbolic")
def test_cramer_rule_as_displayed(n):
    """The shown adj(A) / det(A), with sympy's adjugate and determinant of a generic A, times A is I."""
    A, _, adj, det, _ = cramer(n)
    shown = evaluate("md.cramer", {"n": n, md.ADJ: sp.ImmutableMatrix(adj), md.DET: det})
    assert (A * shown).applyfunc(sp.cancel) == (shown * A).applyfunc(sp.cancel) == sp.eye(n)


@pytest.mark.parametrize("n", [1, 2, 3])
@pytest.mark.claim("md.inverse", "symbolic")
def test_inverse_derivative_with_generic_entries(n):
    """The page's code: every entry of A an undefined function of alpha, a proof for this n."""
    assert md.inverse_derivative_holds(n)


@pytest.mark.parametrize("n", [1, 2, 3, 4])
@pytest.mark.claim("md.inverse", "symbolic")
@pytest.mark.claim("md.inverse-product", "symbolic")
@pytest.mark.claim("md.cramer", "symbolic")
def test_inverse_identities_with_generic_entries_as_polynomials(n):
    """Entries a_ij and their derivatives b_ij as independent symbols, so every identity below is
    one between polynomials: a proof for this n, computed in sympy's polynomial rings (the
    page's code, with undefined functions of alpha, is too slow at n = 4 for the suite)."""
    a = sp.symbols(f"a1:{n + 1}(1:{n + 1})")
    b = sp.symbols(f"b1:{n + 1}(1:{n + 1})")
    ring = sp.ZZ[a + b]
    generator = dict(zip(a + b, ring.gens))

    def matrix(entries):
        return DomainMatrix([[ring(entries[i * n + j]) for j in range(n)] for i in range(n)], (n, n), ring)

    def d(polynomial):  # the derivative in alpha of a polynomial in the a_ij, da_ij/dalpha = b_ij
        return sum((polynomial.diff(generator[a_ij]) * generator[b_ij] for a_ij, b_ij in zip(a, b)), ring.zero)

    A, B = matrix([generator[s] for s in a]), matrix([generator[s] for s in b])
    adj, det = A.adjugate(), A.det()
    det_I = matrix([det if i == j else 0 for i in range(n) for j in range(n)])
    d_det_I = matrix([d(det) if i == j else 0 for i in range(n) for j in range(n)])
    d_adj = matrix([d(adj[i, j].element) for i in range(n) for j in range(n)])
    # Cramer's rule: A adj(A) = adj(A) A = det(A) I, so A^-1 = adj(A) / det(A) where det(A) != 0.
    assert A * adj == adj * A == det_I
    # The quotient rule: det^2 d(A^-1)/dalpha = d(adj) det - adj d(det).
    numerator = d_adj * det_I - adj * d_det_I
    size = {md.N: n}
    values = {md.SQUARE.subs(size).I: adj, md.SQUARE.subs(size): A, md.DA.subs(size): B}
    for claim_id, derived in (("md.inverse", numerator), ("md.inverse-product", numerator * A)):
        coefficient, factors = md.RESULTS[claim_id].subs(size).as_coeff_matrices()
        shown = matrix([coefficient if i == j else 0 for i in range(n) for j in range(n)])  # shown * det^c,
        for factor in factors:                                                             # c inverses
            shown = shown * values[factor]
        inverses = sum(isinstance(factor, sp.Inverse) for factor in factors)
        # shown / det^c = derived / det^2, cleared of denominators (the common power of det cancelled):
        assert shown * power(det_I, 2 - min(2, inverses)) == derived * power(det_I, inverses - min(2, inverses)), claim_id


def power(matrix, exponent):
    result = matrix.eye(matrix.shape[0], matrix.domain)
    for _ in range(exponent):
        result = result * matrix
    return result


# --- what the original writes ----------------------------------------------------------------------

def test_one_vector_does_not_determine_the_quotient():
    """Dividing y^T A h by h is not defined: for n >= 2, two different rows give the same number."""
    h1, h2 = sp.symbols("h1 h2", nonzero=True)
    h = sp.Matrix([h1, h2])
    row = sp.Matrix([[3, -1]])  # y^T A for some y and A
    other = row + sp.Matrix([[h2, -h1]])  # plus a row orthogonal to h
    assert other != row and (other * h - row * h).expand() == sp.zeros(1, 1)


@pytest.mark.parametrize("sizes", SMALL)
def test_original_chain_step_is_one_row_of_the_product(sizes):
    """The original's (4) sets sum_k a_ik dx_k/dz (one row) equal to A dx/dz (the whole matrix)."""
    m, n, p = sizes
    z, A, _, _, x, _ = explicit(m, n, p)
    whole = A * x.jacobian(z)
    for i in range(m):
        row = sum((A[i, k] * x[k].diff(sp.Matrix(z).T) for k in range(n)), sp.zeros(1, p))
        assert row == whole[i, :] and row.shape == (1, p)
    assert whole.shape == (m, p)  # so the row is the whole product only when m = 1


def test_product_rule_is_shown_in_the_order_derived():
    """The display lists y^T dx/dz first, as the prose derives it and as the original's (9) writes it."""
    tex = next(c for c in md.CLAIMS if c.id == "md.product").tex()
    assert tex.index(r"\mathbf{y}^{\top}") < tex.index(r"\mathbf{x}^{\top}"), tex
    (nine,) = [equation for equation in original_equations() if equation.endswith("(9)$$")]
    assert nine.index("y^T") < nine.index("x^T")


class LowestDraws(random.Random):
    """Draws the lowest value of every range, recording the ranges: with numerators from
    randint(-9, 9) and denominators from randint(1, 9), that makes every entry -9, the largest in
    size and, on the diagonal, the most negative: the worst case for diagonal dominance."""

    ranges: set = set()

    def randint(self, a, b):
        LowestDraws.ranges.add((a, b))
        return a


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_seeded_matrix_is_strictly_diagonally_dominant_at_zero(n, monkeypatch):
    """The code's docstring: with a seed, A(0) = 10n I + A0 is strictly diagonally dominant (hence
    invertible, by the Levy-Desplanques theorem) for every draw: shown here for the worst draw."""
    seen = []
    adjugate = sp.MutableDenseMatrix.adjugate

    def recording(self, *args, **kwargs):
        seen.append(self)
        return adjugate(self, *args, **kwargs)

    monkeypatch.setattr(sp.MutableDenseMatrix, "adjugate", recording)
    monkeypatch.setattr(md.random, "Random", LowestDraws)
    LowestDraws.ranges = set()
    assert md.inverse_derivative_holds(n, seed=0)
    assert LowestDraws.ranges == {(-9, 9), (1, 9)}  # every entry p / q with |p| <= 9, q >= 1
    (A,) = seen
    at_zero = A.subs(sp.Symbol("alpha"), 0)
    assert at_zero != A  # A depends on alpha: the substitution hit the code's symbol
    for i in range(n):
        others = sum(abs(at_zero[i, j]) for j in range(n) if j != i)
        assert at_zero[i, i] > others, (i, at_zero)
        assert at_zero[i, i] == 10 * n - 9 and others == 9 * (n - 1)  # the docstring's bounds, attained


# --- numeric: finite differences on drawn matrices ----------------------------------------------

SIZE = st.integers(1, 4)


@pytest.mark.claim("md.linear", "numeric")
@pytest.mark.claim("md.linear-entry", "numeric")
@given(st.tuples(SIZE, SIZE).flatmap(lambda mn: st.tuples(matrices(mn[0], mn[1]), matrices(mn[1], 1))))
def test_linear_map_numerically(pair):
    A, x = pair
    jacobian = fd_jacobian(lambda v: A @ v, x.ravel())
    assert_close(jacobian, A, what="d(Ax)/dx")
    m, n = A.shape
    delta = np.eye(n)
    entries = [[sum(A[i, k] * delta[k, j] for k in range(n)) for j in range(n)] for i in range(m)]
    assert_close(jacobian, entries, what="sum_k a_ik delta_kj")


@pytest.mark.claim("md.chain", "numeric")
@pytest.mark.claim("md.chain-entry", "numeric")
@given(st.tuples(SIZE, SIZE, SIZE).flatmap(
    lambda mnp: st.tuples(matrices(mnp[0], mnp[1]), matrices(mnp[1], mnp[2]), matrices(mnp[2], 1))))
def test_chain_rule_numerically(triple):
    A, B, z = triple
    x_of_z = lambda w: np.tanh(B @ w)  # a nonlinear x(z)
    dx_dz = (1 - np.tanh(B @ z.ravel()) ** 2)[:, None] * B
    jacobian = fd_jacobian(lambda w: A @ x_of_z(w), z.ravel())
    assert_close(jacobian, A @ dx_dz, what="d(Ax(z))/dz")
    (m, n), p = A.shape, B.shape[1]
    entries = [[sum(A[i, k] * dx_dz[k, j] for k in range(n)) for j in range(p)] for i in range(m)]
    assert_close(jacobian, entries, what="sum_k a_ik dx_k/dz_j")


@pytest.mark.claim("md.bilinear-x", "numeric")
@pytest.mark.claim("md.bilinear-y", "numeric")
@pytest.mark.claim("md.bilinear-sum", "numeric")
@pytest.mark.claim("md.bilinear-x-entry", "numeric")
@pytest.mark.claim("md.bilinear-y-entry", "numeric")
@given(st.tuples(SIZE, SIZE).flatmap(
    lambda mn: st.tuples(matrices(mn[0], mn[1]), matrices(mn[1], 1), matrices(mn[0], 1))))
def test_bilinear_form_numerically(triple):
    A, x, y = triple
    (m, n), x, y = A.shape, x.ravel(), y.ravel()
    by_x = fd_jacobian(lambda v: y @ A @ v, x)
    by_y = fd_jacobian(lambda v: v @ A @ x, y)
    assert_close(by_x, (y @ A)[None, :], what="d/dx")
    assert_close(by_y, (x @ A.T)[None, :], what="d/dy")
    assert_close(sum(y[i] * A[i, k] * x[k] for i in range(m) for k in range(n)), y @ A @ x, rtol=1e-12, atol=1e-12)
    assert_close(by_x, [[sum(y[i] * A[i, j] for i in range(m)) for j in range(n)]], what="sum_i y_i a_ij")
    assert_close(by_y, [[sum(A[i, k] * x[k] for k in range(n)) for i in range(m)]], what="sum_k a_ik x_k")


@pytest.mark.claim("md.bilinear-differential", "numeric")
@given(st.tuples(SIZE, SIZE).flatmap(
    lambda mn: st.tuples(matrices(mn[0], mn[1]), matrices(mn[1], 1), matrices(mn[0], 1), matrices(mn[1], 1))),
       finite_floats(-1.0, 1.0))
def test_bilinear_differential_numerically(quadruple, scale):
    A, x, y, dx = quadruple[0], *(vector.ravel() for vector in quadruple[1:])
    increment = y @ A @ (x + scale * dx) - y @ A @ x
    assert_close(increment, y @ A @ (scale * dx), rtol=1e-9, atol=1e-9, what="alpha(x + dx) - alpha(x)")


@pytest.mark.claim("md.product", "numeric")
@pytest.mark.claim("md.product-sum", "numeric")
@pytest.mark.claim("md.product-entry", "numeric")
@given(st.tuples(SIZE, SIZE).flatmap(
    lambda npp: st.tuples(matrices(npp[0], npp[1]), matrices(npp[0], npp[1]), matrices(npp[1], 1))))
def test_product_rule_numerically(triple):
    B, C, z = triple
    x = lambda w: np.sin(B @ w)
    y = lambda w: np.exp(0.3 * (C @ w))
    w = z.ravel()
    dx = np.cos(B @ w)[:, None] * B
    dy = 0.3 * np.exp(0.3 * (C @ w))[:, None] * C
    jacobian = fd_jacobian(lambda v: y(v) @ x(v), w).ravel()
    assert_close(jacobian, y(w) @ dx + x(w) @ dy, what="d(y'x)/dz")
    (n, p), xs, ys = B.shape, x(w), y(w)
    assert_close(sum(ys[k] * xs[k] for k in range(n)), ys @ xs, rtol=1e-12, atol=1e-12)
    entries = [sum(ys[k] * dx[k, j] + xs[k] * dy[k, j] for k in range(n)) for j in range(p)]
    assert_close(jacobian, entries, what="sum_k (y_k dx_k/dz_j + x_k dy_k/dz_j)")


@pytest.mark.claim("md.inverse", "numeric")
@pytest.mark.claim("md.inverse-product", "numeric")
@pytest.mark.claim("md.inverse-entry", "numeric")
@given(st.integers(1, 4).flatmap(lambda n: st.tuples(invertible_matrices(n), matrices(n, n, -1, 1))),
       finite_floats(-0.5, 0.5))
def test_inverse_derivative_numerically(pair, alpha):
    A0, A1 = pair
    A = lambda a: A0 + a * A1
    inverse = np.linalg.inv(A(alpha))
    fd = fd_jacobian(lambda a: np.linalg.inv(A(a[0])).ravel(), np.array([alpha])).reshape(A0.shape)
    assert_close(fd, -inverse @ A1 @ inverse, what="dA^-1/dalpha")
    assert_close(fd @ A(alpha), -inverse @ A1, what="(dA^-1/dalpha) A")
    n = len(A0)
    entries = [[sum(fd[i, k] * A(alpha)[k, j] + inverse[i, k] * A1[k, j] for k in range(n)) for j in range(n)]
               for i in range(n)]
    assert_close(entries, np.zeros((n, n)), what="sum_k (d(A^-1)_ik a_kj + (A^-1)_ik da_kj)")


@pytest.mark.claim("md.cramer", "numeric")
@given(st.integers(1, 4).flatmap(invertible_matrices))
def test_cramer_numerically(A):
    n = len(A)
    cofactor = np.array([[(-1) ** (i + j) * np.linalg.det(np.delete(np.delete(A, i, 0), j, 1)) if n > 1 else 1.0
                          for j in range(n)] for i in range(n)])
    assert_close(cofactor.T / np.linalg.det(A), np.linalg.inv(A), rtol=1e-10, atol=1e-12, what="adj(A) / det(A)")


# --- the page itself: what it quotes ---------------------------------------------------------
# (What it shows after each relation is the engine's displayed-form check: a generated result
# ends its formula, after its left-hand side and one relation.)

PAGE = ROOT / "docs" / "linear-algebra" / "matrix-derivatives.md"


def original_equations():
    """The original's equations (3)-(12), for question 1.2, as the sheet writes them."""
    part = sheet_section("### 1.2", "### 1.3")
    return [line.strip() for line in part.splitlines() if line.strip().startswith("$$")]


def test_page_quotes_the_original_exactly():
    """Every formula marked as quoted is a piece of the original's equations, spaces aside."""
    squeeze = lambda tex: re.sub(r"\s+", "", tex)
    equations = original_equations()
    assert len(equations) == 10 and equations[-1].endswith("(12)$$")
    quotes = quoted_formulas(PAGE)
    assert len(quotes) >= 8
    for quote in quotes:
        assert any(squeeze(quote) in squeeze(equation) for equation in equations), quote
