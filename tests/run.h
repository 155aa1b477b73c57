/*
** run.h - run a command for a test and capture what it prints.
** See LICENSE for copyright.
*/
#ifndef LIMSPICE_TEST_RUN_H
#define LIMSPICE_TEST_RUN_H

#include "dataset.h"

/* Runs cmd through sh with stdout and stderr captured into malloc'd
** strings (the caller frees both). Returns the exit status, or -1. */
int run_capture(const char *cmd, char **out, char **err);

/* run_capture of "$LIMSPICE args". */
int run_limspice(const char *args, char **out, char **err);

/* $name, or the test is skipped: returns NULL after a SKIP plan. */
const char *env_or_skip(const char *name);

/* The ngspice session on $LIMSPICE_CM for a test program. NULL when it
** cannot be had: then a SKIP plan (the variable is not set) or a "Bail
** out!" line (ngspice refused) is printed and *status is main's return. */
struct lim_session;
struct lim_session *test_session(int *status);

/* The value of row `name` of a metric,value,unit CSV; NAN when absent. */
double csv_metric(const char *csv, const char *name);

/* Solves the n x n system a x = b in place (x into b) by Gaussian
** elimination with partial pivoting: 0, or -1 when a is singular. */
int solve_dense(int n, double *a, double *b);

/* A synthetic classification set for benchmarks: n samples of nfeat
** features (lim_data_synthetic, seed 7) labelled by the largest of ncls
** outputs of its linear task. */
void synthetic_classes(lim_dataset *d, int n, int nfeat, int ncls);

/* Reads a whole file into a malloc'd string, NULL when unreadable. */
char *slurp(const char *path);

#endif
