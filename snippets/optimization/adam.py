"""Question 2.2.2: Adam's moment estimates and why they are bias-corrected.

Page: docs/optimization/adam.md. Tests: tests/optimization/test_adam.py.
"""

# --8<-- [start:adam]
import numpy as np


def adam(grad, theta0, steps, alpha=0.001, beta1=0.9, beta2=0.999, eps=1e-8,
         correct_m=True, correct_v=True):
    """Run Adam (Kingma & Ba, Algorithm 1) and return every iterate theta_0 .. theta_steps.

    correct_m / correct_v switch the bias corrections off, to see what they do. eps must be
    positive: a coordinate whose gradients have all been zero has m_hat = v_hat = 0.

    >>> path = adam(lambda th: 2 * th, np.array([1.0]), steps=3, alpha=0.1)
    >>> np.round(path[:, 0], 3)   # each early step moves theta by about alpha
    array([1.   , 0.9  , 0.8  , 0.702])
    """
    if not (0 <= beta1 < 1 and 0 <= beta2 < 1):
        raise ValueError(f"beta1 and beta2 must lie in [0, 1), got {beta1}, {beta2}")
    if steps < 0 or alpha <= 0 or eps <= 0:
        raise ValueError("need steps >= 0, alpha > 0 and eps > 0")
    theta = np.asarray(theta0, dtype=float)
    m = np.zeros_like(theta)  # m_0 = 0: first-moment estimate
    v = np.zeros_like(theta)  # v_0 = 0: second-moment estimate
    path = [theta]
    for t in range(1, steps + 1):
        g = grad(theta)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        m_hat = m / (1 - beta1**t) if correct_m else m
        v_hat = v / (1 - beta2**t) if correct_v else v
        theta = theta - alpha * m_hat / (np.sqrt(v_hat) + eps)
        path.append(theta)
    return np.array(path)
# --8<-- [end:adam]


# --8<-- [start:closed-form]
import sympy as sp


def moment_recursion(t, beta=sp.Symbol("beta_1")):
    """m_t from the recursion m_t = beta m_{t-1} + (1 - beta) g_t, m_0 = 0 (exact).

    >>> g = sp.IndexedBase("g")
    >>> sp.factor(moment_recursion(2) - (1 - sp.Symbol("beta_1")) * sum(
    ...     sp.Symbol("beta_1") ** (2 - i) * g[i] for i in (1, 2)))
    0
    """
    g = sp.IndexedBase("g")
    m = sp.Integer(0)
    for i in range(1, t + 1):
        m = beta * m + (1 - beta) * g[i]
    return sp.expand(m)
# --8<-- [end:closed-form]


# --8<-- [start:monte-carlo]
import numpy as np


def moment_means(runs=20000, steps=30, mean=1.0, std=2.0, beta1=0.9, seed=0):
    """Average m_t and the corrected m_hat_t over many runs of stationary random gradients.

    >>> m, m_hat = moment_means()
    >>> round(float(m[0]), 1), round(float(m_hat[0]), 1)   # t = 1: m is biased to 0.1 E[g]
    (0.1, 1.0)
    """
    rng = np.random.default_rng(seed)
    g = rng.normal(mean, std, size=(runs, steps))
    m = np.zeros(runs)
    m_means, m_hat_means = [], []
    for t in range(1, steps + 1):
        m = beta1 * m + (1 - beta1) * g[:, t - 1]
        m_means.append(m.mean())
        m_hat_means.append((m / (1 - beta1**t)).mean())
    return np.array(m_means), np.array(m_hat_means)
# --8<-- [end:monte-carlo]


# --8<-- [start:first-step]
import sympy as sp

CORRECTIONS = [("both corrected (Adam)", True, True), ("m not corrected", False, True),
               ("v not corrected", True, False), ("neither corrected", False, False)]


def first_step_ratios(beta1=sp.Rational(9, 10), beta2=sp.Rational(999, 1000)):
    """|theta_1 - theta_0| / alpha in a coordinate with g_1 != 0, in the limit eps -> 0,
    for each choice of bias corrections (exact).

    m_1 = (1 - beta1) g_1 and v_1 = (1 - beta2) g_1^2, so g_1 cancels from
    m_hat_1 / sqrt(v_hat_1) up to its sign: compute with g_1 = 1.

    >>> for name, size in first_step_ratios().items():
    ...     print(f"{name}: {size}")
    both corrected (Adam): 1
    m not corrected: 1/10
    v not corrected: 10*sqrt(10)
    neither corrected: sqrt(10)
    """
    m1, v1 = 1 - beta1, 1 - beta2
    sizes = {}
    for name, correct_m, correct_v in CORRECTIONS:
        m_hat = m1 / (1 - beta1) if correct_m else m1  # (iv) at t = 1
        v_hat = v1 / (1 - beta2) if correct_v else v1  # (v) at t = 1
        sizes[name] = m_hat / sp.sqrt(v_hat)
    return sizes
# --8<-- [end:first-step]


# Everything below is build and proof machinery, not shown on the page.

from verified_docs import Claim

B1, B2, T = sp.symbols("beta_1 beta_2 t", positive=True)
I = sp.Symbol("i")  # a summation index: no assumptions, as a parsed index has none
G_I = sp.Symbol("g_i")
E = sp.Function("E")
G = sp.Symbol("g")


G1, G2, G_T = sp.symbols("g_1 g_2 g_t")


def closed_form():
    """m_t = (1 - beta_1) sum_{i=1}^t beta_1^(t-i) g_i, with g_i standing for the i-th gradient."""
    return (1 - B1) * sp.Sum(B1 ** (T - I) * G_I, (I, 1, T))


def induction_step():
    """beta_1 m_(t-1) + (1 - beta_1) g_t with m_(t-1) from the closed form: its last term written out."""
    return (1 - B1) * (sp.Sum(B1 ** (T - I) * G_I, (I, 1, T - 1)) + G_T)


def fading_step(beta, level=sp.Rational(1, 10)):
    """The first step t at which beta^t < level (0 < beta < 1): from then on the correction is small."""
    t = sp.ceiling(sp.log(level) / sp.log(beta))
    return t + 1 if beta**t == level else t


def sparse_step_ratio(zeros=999, beta1=sp.Rational(9, 10), beta2=sp.Rational(999, 1000)):
    """|theta_t - theta_(t-1)| / alpha (eps -> 0) when g_1 .. g_zeros are 0 and g_t is not, t = zeros + 1.

    Only g_t is left in the sums: m_t = (1 - beta1) g_t and v_t = (1 - beta2) g_t^2.
    """
    t = zeros + 1
    squared = (1 - beta1) ** 2 * (1 - beta2**t) / ((1 - beta1**t) ** 2 * (1 - beta2))
    # The root is left unevaluated: sympy would try to factor this 3000-digit rational to simplify it.
    return sp.Pow(squared, sp.Rational(1, 2), evaluate=False)


# The table's row labels: m and v are the page's m_1 and v_1 (math), the rest is text.
FIRST_STEP_LABELS = {
    "both corrected (Adam)": r"\text{both corrected (Adam)}",
    "m not corrected": r"m_1 \text{ not corrected}",
    "v not corrected": r"v_1 \text{ not corrected}",
    "neither corrected": r"\text{neither corrected}",
}


def first_step_tex():
    rows = [f"{FIRST_STEP_LABELS[name]} & {sp.latex(value)} & {float(value):.4g}"
            for name, value in first_step_ratios().items()]
    return ("\\begin{array}{lcc} \\text{bias correction} & |\\theta_1 - \\theta_0| / \\alpha & \\approx \\\\ \\hline "
            + " \\\\ ".join(rows) + " \\end{array}")


def means_figure():
    from matplotlib.figure import Figure

    m, m_hat = moment_means()
    t = np.arange(1, len(m) + 1)
    fig = Figure(figsize=(6.4, 4.0))
    ax = fig.add_subplot()
    ax.axhline(1.0, color="black", linewidth=0.8, linestyle=":", label=r"$\mathbb{E}[g] = 1$")
    ax.plot(t, m, "o-", markersize=3, label=r"mean of $m_t$ (biased towards 0)")
    ax.plot(t, m_hat, "s-", markersize=3, label=r"mean of $\hat m_t$ (bias-corrected)")
    # The theory last and dashed, so that it stays visible on top of the data it predicts.
    ax.plot(t, 1 - 0.9**t, color="black", linewidth=1.2, linestyle="--", zorder=3,
            label=r"$(1 - \beta_1^t)\,\mathbb{E}[g]$ (theory)")
    ax.set_xlabel(r"step $t$")
    ax.set_ylabel("average over 20 000 runs")
    ax.set_title(r"Bias correction with $\beta_1 = 0.9$, gradients $\sim \mathcal{N}(1, 2^2)$")
    ax.legend(loc="lower right")
    return fig


FIGURES = {"adam-bias.svg": means_figure}

CLAIMS = [
    Claim("adam.closed-form", "Unrolling the recursion from m_0 = 0 gives this sum, starting at i = 1",
          value=closed_form),
    Claim("adam.geometric", "The weights of the sum add up to 1 - beta_1^t", value=lambda: 1 - B1**T),
    Claim("adam.expectation", "If E[g_i] = E[g] for every i, m_t is biased by the factor 1 - beta_1^t",
          value=lambda: (1 - B1**T) * E(G)),
    Claim("adam.v-expectation", "Likewise for v_t, if E[g_i^2] = E[g^2] for every i",
          value=lambda: (1 - B2**T) * E(G**2)),
    Claim("adam.corrected", "Dividing by 1 - beta_1^t removes the bias", value=lambda: E(G)),
    Claim("adam.fades", "For beta_1 < 1 the bias factor's beta_1^t tends to 0 as t grows", value=lambda: sp.Integer(0)),
    Claim("adam.first-step", "The first step's size with and without each bias correction (eps -> 0)",
          tex=first_step_tex),
    Claim("adam.m1", "From m_0 = 0, the first average is (1 - beta_1) g_1", value=lambda: (1 - B1) * G1),
    Claim("adam.m2", "The second average", value=lambda: B1 * (1 - B1) * G1 + (1 - B1) * G2),
    Claim("adam.induction-step", "From the closed form at t - 1, the recursion gives it at t (last term written out)",
          value=induction_step),
    Claim("adam.sum-from-zero", "The original's sum from i = 0, s_t (not the recursion's m_t), read with a "
          "gradient g_0 of the same mean as the others, has the mean (1 - beta_1^(t+1)) E[g]",
          value=lambda: (1 - B1 ** (T + 1)) * E(G)),
    Claim("adam.first-mean", "With beta_1 = 0.9, E[m_1] is a tenth of the mean gradient",
          value=lambda: E(G) / 10),
    Claim("adam.fade-m", "0.9^t < 0.1 from this step on", value=lambda: fading_step(sp.Rational(9, 10))),
    Claim("adam.fade-v", "0.999^t < 0.1 from this step on", value=lambda: fading_step(sp.Rational(999, 1000))),
    Claim("adam.v1", "From v_0 = 0, the first average of squares is (1 - beta_2) g_1^2",
          value=lambda: (1 - B2) * G1**2),
    Claim("adam.sparse-step", "After 999 zero gradients, a non-zero one moves its coordinate by about 2.5 alpha "
          "(default betas, eps -> 0)", value=sparse_step_ratio),
]
