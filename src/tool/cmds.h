/*
** cmds.h - the verbs of the limspice command. See LICENSE for copyright.
** Each takes its own argv (argv[0] is the verb) and returns an exit status
** from cli.h.
*/
#ifndef LIMSPICE_CMDS_H
#define LIMSPICE_CMDS_H

int cmd_bound(int argc, char **argv);
int cmd_params(int argc, char **argv);
int cmd_netlist(int argc, char **argv);
int cmd_energy(int argc, char **argv);
int cmd_train(int argc, char **argv);
int cmd_infer(int argc, char **argv);
int cmd_precision(int argc, char **argv);
int cmd_characterize(int argc, char **argv);
int cmd_fit(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_check(int argc, char **argv);

#endif
