/*
** phys_rng.c - a counter-based random stream (splitmix64's finaliser).
** See LICENSE for copyright.
**
** Counter-based: the value for (key, counter) needs no state, so a draw can
** be repeated exactly (a retried time step, a resumed sweep) and the order
** of evaluation does not matter. Lives in the core because the code model
** needs it too, where GSL is not an option.
*/
#include <math.h>

#include "phys.h"

uint64_t lim_phys_rng_hash(uint64_t key, uint64_t counter)
{
	uint64_t z = key + 0x9e3779b97f4a7c15ull * (counter + 1);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

double lim_phys_rng_uniform(uint64_t key, uint64_t counter)
{
	return (lim_phys_rng_hash(key, counter) >> 11) * 0x1.0p-53;
}

/* ln P(X = k) for X ~ Binomial(n, p), 0 < p < 1. */
static double ln_pmf(double n, double p, double k)
{
	return lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1) + k * log(p) +
	       (n - k) * log1p(-p);
}

double lim_phys_binomial(double n, double p, double u)
{
	double mode, lo, hi, plo, phi, cum, q = 1 - p;

	if (n <= 0 || p <= 0)
		return 0;
	if (p >= 1)
		return n;
	/* Inversion from the mode: take the mass of k = mode, then walk down
	** and up, always to the more probable side, until the mass passes u.
	** The result is the value whose interval of the cumulative mass,
	** laid out in that visiting order, holds u: every k keeps exactly its
	** probability. */
	mode = floor((n + 1) * p);
	if (mode > n)
		mode = n;
	lo = hi = mode;
	plo = phi = exp(ln_pmf(n, p, mode));
	cum = plo;
	while (u >= cum) {
		/* neighbours' masses by the pmf's ratio recurrences */
		double pd = lo > 0 ? plo * lo / (n - lo + 1) * q / p : 0;
		double pu = hi < n ? phi * (n - hi) / (hi + 1) * p / q : 0;
		if (pd <= 0 && pu <= 0)
			break;                    /* rounding: the mass ran out just short of u */
		if (pd >= pu) {
			plo = pd;
			cum += pd;
			if (u < cum)
				return lo - 1;
			lo--;
		} else {
			phi = pu;
			cum += pu;
			if (u < cum)
				return hi + 1;
			hi++;
		}
	}
	return u < cum ? mode : (plo >= phi ? lo : hi);
}
