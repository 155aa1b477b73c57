/*
** limspice.h - the whole library in one include: #include <limspice/limspice.h>
** See LICENSE for copyright.
**
** liblimspice simulates learning-in-memory synapses in ngspice: the physics
** core (phys.h), the one ngspice session of a process (session.h), crossbar
** decks and the names in them (xbar.h), device cards (card.h), a user's decks
** (deck.h), energy from supply power (energy.h), data and weights (csv.h,
** dataset.h, weights.h), and training and inference in closed loop
** (train.h). README.md, "Using limspice from C", says what is stable.
*/
#ifndef LIMSPICE_LIMSPICE_H
#define LIMSPICE_LIMSPICE_H

#include "version.h"
#include "phys.h"
#include "session.h"
#include "card.h"
#include "xbar.h"
#include "deck.h"
#include "energy.h"
#include "csv.h"
#include "dataset.h"
#include "weights.h"
#include "train.h"

#endif
