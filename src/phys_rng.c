/*
** phys_rng.c - a counter-based random stream (splitmix64's finaliser).
** See LICENSE for copyright.
**
** Counter-based: the value for (key, counter) needs no state, so a draw can
** be repeated exactly (a retried time step, a resumed sweep) and the order
** of evaluation does not matter. Lives in the core because the code model
** needs it too, where GSL is not an option.
*/
#include "phys.h"

uint64_t phys_rng_hash(uint64_t key, uint64_t counter)
{
	uint64_t z = key + 0x9e3779b97f4a7c15ull * (counter + 1);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

double phys_rng_uniform(uint64_t key, uint64_t counter)
{
	return (phys_rng_hash(key, counter) >> 11) * 0x1.0p-53;
}
