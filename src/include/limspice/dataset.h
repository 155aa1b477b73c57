/*
** dataset.h - training data: Iris, a user's CSV, or a synthetic linear task.
** See LICENSE for copyright.
*/
#ifndef LIMSPICE_DATASET_H
#define LIMSPICE_DATASET_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
	int n;            /* samples */
	int nfeat;        /* features (the bias input is added by the trainer) */
	int nclass;       /* classes; 0 for a regression task */
	int nout;         /* outputs: nclass, or the regression targets */
	double *x;        /* n x nfeat */
	int *label;       /* n, classification only */
	double *target;   /* n x nout, regression only */
	double *w_true;   /* (nfeat + 1) x nout, synthetic task only (row nfeat: bias) */
	char name[64];
} lim_dataset;

/* Iris as scikit-learn ships it: a metadata line "150,4,names...", then
** rows of 4 features and the class 0..2. */
int lim_data_load_iris(const char *path, lim_dataset *d, char *err, size_t n);

/* A CSV with a header row, feature columns, and the integer label last
** (0..K-1). Errors carry FILE:LINE:COLUMN. */
int lim_data_load_csv(const char *path, lim_dataset *d, char *err, size_t n);

/* The synthetic task: targets = W_true [x; 1] with known W_true, entries in
** [-0.6, 0.6], features uniform in [-1.5, 1.5]; nothing to standardise. */
int lim_data_synthetic(int samples, int nfeat, int nout, uint64_t seed, lim_dataset *d);

/* A split with a fraction test_frac in the test set, stratified by class
** for classification (each class split alike), shuffled by seed. The index
** arrays are malloc'd. */
int lim_data_split(const lim_dataset *d, double test_frac, uint64_t seed, int **train, int *ntrain,
                   int **test, int *ntest);

/* Standardises every feature with the mean and standard deviation of the
** training rows (no information from the test rows), and clips it to
** +-LIM_DATA_CLIP_SD: a row driver has a range. Digits' rare pixels reach 42
** standard deviations, a read of 4.2 V at 0.1 V per unit: a tilt of 160 kT
** that writes while it reads, and a row pulse scale U that leaves every
** other row idle under a lowered barrier. */
#define LIM_DATA_CLIP_SD 3.0
void lim_data_standardise(lim_dataset *d, const int *train, int ntrain);

void lim_data_free(lim_dataset *d);

#endif
