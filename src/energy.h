/*
** energy.h - energy delivered by the independent sources of a run.
** See LICENSE for copyright.
*/
#ifndef LIMSPICE_ENERGY_H
#define LIMSPICE_ENERGY_H

#include <stddef.h>

#include "deck.h"
#include "session.h"

/* Integral of p over [t0, t1] [J] by the trapezoid on the raw time points,
** the ends cut by linear interpolation (a resampled vector moves the
** result: ngspice-xspice.md). Outside the data contributes nothing. */
double energy_window(const double *t, const double *p, size_t n, double t0, double t1);

/* The group of a source by limspice's naming scheme: "row" (vr<i>),
** "column" (vc<j>), "barrier" (vb, vb<k>), "sense" (vs<p>), else "other". */
const char *energy_group(const char *source);

/* Power delivered by source s over the current plot [W], positive when
** the source delivers: -V I for a voltage source (ngspice's branch
** current flows into its + terminal), (V(neg) - V(pos)) I for a current
** source. malloc'd, with *len points; NULL with sess_error() set. */
double *energy_power(session *se, const deck_source *s, size_t *len);

#endif
