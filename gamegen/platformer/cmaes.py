"""A small CMA-ES (Hansen's (μ/μ_w, λ) with rank-one and rank-μ updates), seeded from outside.

Written here rather than taken from a package because the common one seeds
numpy's global generator, which gamegen's determinism contract forbids; this
one draws only from the ``numpy.random.Generator`` it is given. Minimises.
"""

from __future__ import annotations

import numpy as np

__all__ = ["CMAES"]


class CMAES:
    def __init__(self, mean: np.ndarray, sigma: float, rng: np.random.Generator, population: int | None = None):
        n = len(mean)
        self.n, self.mean, self.sigma, self.rng = n, np.asarray(mean, float).copy(), float(sigma), rng
        self.lam = population or 4 + int(3 * np.log(n))
        mu = self.lam // 2
        w = np.log(mu + 0.5) - np.log(np.arange(1, mu + 1))
        self.weights = w / w.sum()
        self.mu_eff = 1.0 / (self.weights**2).sum()
        self.cc = (4 + self.mu_eff / n) / (n + 4 + 2 * self.mu_eff / n)
        self.cs = (self.mu_eff + 2) / (n + self.mu_eff + 5)
        self.c1 = 2 / ((n + 1.3) ** 2 + self.mu_eff)
        self.cmu = min(1 - self.c1, 2 * (self.mu_eff - 2 + 1 / self.mu_eff) / ((n + 2) ** 2 + self.mu_eff))
        self.damps = 1 + 2 * max(0.0, np.sqrt((self.mu_eff - 1) / (n + 1)) - 1) + self.cs
        self.chi_n = np.sqrt(n) * (1 - 1 / (4 * n) + 1 / (21 * n * n))
        self.pc, self.ps = np.zeros(n), np.zeros(n)
        self.C, self.B, self.D = np.eye(n), np.eye(n), np.ones(n)
        self.generation = 0

    def ask(self) -> np.ndarray:
        """λ candidates → (λ, n)."""
        z = self.rng.standard_normal((self.lam, self.n))
        self._y = z @ (self.B * self.D).T  # (λ, n): samples of N(0, C)
        return self.mean + self.sigma * self._y

    def tell(self, fitness: np.ndarray) -> None:
        order = np.argsort(fitness, kind="stable")[: len(self.weights)]
        y_w = self.weights @ self._y[order]
        self.mean = self.mean + self.sigma * y_w
        c_inv_sqrt = self.B @ np.diag(1 / self.D) @ self.B.T
        self.ps = (1 - self.cs) * self.ps + np.sqrt(self.cs * (2 - self.cs) * self.mu_eff) * (c_inv_sqrt @ y_w)
        self.generation += 1
        h_sig = np.linalg.norm(self.ps) / np.sqrt(1 - (1 - self.cs) ** (2 * self.generation)) < (1.4 + 2 / (self.n + 1)) * self.chi_n
        self.pc = (1 - self.cc) * self.pc + h_sig * np.sqrt(self.cc * (2 - self.cc) * self.mu_eff) * y_w
        rank_mu = (self._y[order].T * self.weights) @ self._y[order]
        self.C = (1 - self.c1 - self.cmu) * self.C + self.c1 * np.outer(self.pc, self.pc) + self.cmu * rank_mu
        self.sigma *= np.exp((self.cs / self.damps) * (np.linalg.norm(self.ps) / self.chi_n - 1))
        self.C = (self.C + self.C.T) / 2
        eigenvalues, self.B = np.linalg.eigh(self.C)
        self.D = np.sqrt(np.maximum(eigenvalues, 1e-20))
