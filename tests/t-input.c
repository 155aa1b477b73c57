/*
** t-input.c - hostile input: every reader refuses NUL bytes with FILE:LINE,
** values outside what can be simulated are refused before a simulation
** starts, and a long run says so before its first step. See LICENSE.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "tap.h"

static char dir[] = "/tmp/limspice-input-XXXXXX";

/* Writes n bytes of text (which may hold NULs) to DIR/name; the path to out. */
static void put(const char *name, const char *text, size_t n, char *out, size_t cap)
{
	FILE *f;

	snprintf(out, cap, "%s/%s", dir, name);
	if (!(f = fopen(out, "wb")) || fwrite(text, 1, n, f) != n || fclose(f) != 0)
		tap_diag("cannot write %s", out);
}

/* Runs limspice with printf-style arguments; checks the exit status and
** that stderr holds each of the NULL-terminated words. */
static void expect(int status, const char *const *words, const char *fmt, ...)
{
	char args[2048], *out = NULL, *err = NULL;
	va_list ap;
	int i;

	va_start(ap, fmt);
	vsnprintf(args, sizeof args, fmt, ap);
	va_end(ap);
	check_int(run_limspice(args, &out, &err), ==, status);
	for (i = 0; words[i]; i++)
		if (!check(err && strstr(err, words[i])))
			tap_diag("stderr of 'limspice %s' lacks '%s': %s", args, words[i],
			         err ? err : "(none)");
	free(out);
	free(err);
}

#define WORDS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* A file whose third line holds a NUL byte; where names it, line 3. */
static void nul_in(const char *name, const char *head, const char *tail, const char *fmt)
{
	char text[1024], path[700], where[720];
	size_t a = strlen(head), b = strlen(tail);

	memcpy(text, head, a);
	text[a] = '\0';
	memcpy(text + a + 1, tail, b);
	put(name, text, a + 1 + b, path, sizeof path);
	snprintf(where, sizeof where, "%s:3:", path);
	expect(2, WORDS(where, "NUL"), fmt, path);
}

static const char card_head[] = "* a card\n.model lim_default lim_synapse(e_b0=1.3\n+ kappa";
static const char data_head[] = "a,b,label\n1,2,0\n3,4";

static void nul_bytes(void)
{
	nul_in("nul-data.csv", data_head, ",1\n5,6,1\n7,8,0\n", "train --data %s --dry-run");
	nul_in("nul-card.lib", card_head, "=0.5)\n", "train --card %s --dry-run");
	nul_in("nul-deck.cir", "title\nR1 a 0 1k\nV1 a", " 0 1\n.tran 1n 1u\n.end\n", "energy %s");
	nul_in("nul-weights.csv", "row,col,w\n0,0,0.5\n0,1", ",0.5\n",
	       "netlist crossbar --rows 1 --cols 1 --weights-in %s");
	nul_in("nul-rates.csv", "temp_K,v_ctl_V,v_ab_V,rate_per_s\n300,0.8,0,1e3\n300,1.2",
	       ",0,1e4\n", "fit --kind rates %s");
}

static void header_commented_out(void)
{
	static const char text[] = "#a,b,label\n1,2,0\n3,4,1\n5,6,1\n";
	char path[700], where[720];

	put("hdr.csv", text, sizeof text - 1, path, sizeof path);
	snprintf(where, sizeof where, "%s:2:", path);
	expect(2, WORDS(where, "header"), "train --data %s --dry-run", path);
}

/* 63 classes of 2 samples: the stratified split keeps round(0.4) = 0 of
** each for testing, so there is nothing to measure an accuracy on. */
static void no_test_sample(void)
{
	char text[8192], path[700];
	size_t k = (size_t)snprintf(text, sizeof text, "a,b,label\n");
	int i;

	for (i = 0; i < 126; i++)
		k += (size_t)snprintf(text + k, sizeof text - k, "%d,%d,%d\n", i, i % 7, i % 63);
	put("c63.csv", text, k, path, sizeof path);
	expect(2, WORDS("no test sample", "63 classes"), "train --data %s --dry-run", path);
}

static void values_refused(void)
{
	expect(2, WORDS("--hold", "1e+06 y"), "train --hold 1e300y --dry-run");
	expect(2, WORDS("--temp", "1000 K"), "train --temp 1e308K --dry-run");
	expect(2, WORDS("r_max", "finite"), "train --param r_max=inf --dry-run");
	expect(2, WORDS("dtemp", "finite"), "train --param dtemp=inf --dry-run");
	expect(2, WORDS("dtemp", "-99.85 K"), "train --param dtemp=-400 --dry-run");
	expect(2, WORDS("--model", "--card"), "train --model lim_nosuch --dry-run");
	expect(2, WORDS("--window", "-1:1"), "energy %s/nul-deck.cir --window -1:1", dir);
	expect(2, WORDS("--tilt", "(0, 20]"), "precision --tilt 100");
	expect(2, WORDS("--n-c", "1,,2"), "precision --n-c 1,,2");
	expect(2, WORDS("--vab", "1,,2"), "characterize rates --vab 1,,2 --dry-run");
	expect(2, WORDS("--width", "(0, 1]"), "characterize pulses --width inf --dry-run");
	expect(2, WORDS("--v-read", "100"), "netlist crossbar --v-read 1e308");
	expect(2, WORDS("--r-wire", "1e+12"), "train --r-wire 1e308 --dry-run");
	expect(2, WORDS("n_c", "1e+12"), "train --param n_c=1e308 --dry-run");
	expect(2, WORDS("--duration", "1e+06 y"), "characterize retention --duration 2e6y --dry-run");
	expect(2, WORDS("--bits", "64"), "train --bits 1e308 --dry-run");
	expect(2, WORDS("--levels", "--floor"), "train --levels 16 --floor 0 --dry-run");
}

/* A deck given where a card file belongs: its title, the first line that
** no card file has, is named. */
static void deck_as_card(void)
{
	char path[700], where[720];
	static const char deck[] = "deck\n.model m lim_synapse(e_b0=1.2)\nA1 a 0 c 0 m\n.end\n";

	put("deck-as-card.cir", deck, sizeof deck - 1, path, sizeof path);
	snprintf(where, sizeof where, "%s:1:", path);
	expect(2, WORDS(where, "not a deck"), "netlist crossbar --card %s", path);
}

/* A card with three bad values names all three, not only the first. */
static void every_bad_value(void)
{
	char path[700];
	static const char card[] = ".model x lim_synapse(e_b0=-1 lambda=2 w0=3)\n";

	put("bad3.lib", card, sizeof card - 1, path, sizeof path);
	expect(2, WORDS("e_b0 = -1", "lambda = 2", "w0 = 3"), "train --card %s --dry-run", path);
}

/* The code model itself refuses a device below 0 K, with the reason, where
** it used to run on at a negative temperature and exit 0. */
static void cold_device(void)
{
	char path[700];
	static const char deck[] = "cold device\n.model cold lim_synapse(dtemp=-400)\n"
	                           "V1 a 0 pulse(0 0.1 1n 1n 1n 10n 20n)\nVc c 0 0\n"
	                           "A1 a 0 c 0 cold\n.tran 1n 40n\n.end\n";

	static const char inf_deck[] = "infinite barrier\n.model huge lim_synapse(e_b0=1e400)\n"
	                               "V1 a 0 pulse(0 0.1 1n 1n 1n 10n 20n)\nVc c 0 0\n"
	                               "A1 a 0 c 0 huge\n.tran 1n 40n\n.end\n";

	put("cold.cir", deck, sizeof deck - 1, path, sizeof path);
	expect(1, WORDS("lim_synapse", "dtemp -400 K", "above 0 K"), "energy %s", path);
	put("inf.cir", inf_deck, sizeof inf_deck - 1, path, sizeof path);   /* read as inf */
	expect(1, WORDS("lim_synapse", "e_b0 = inf", "finite"), "energy %s", path);
}

/* A card with a low e_b0: the columns held at e_b0 still move under the
** row pulses, 2 r_max e^(-e_b0/kT) cosh(x/2) = 1.9e5 /s at 0.5 eV and
** 3 kT (physics.md 6), and the run says so. */
static void held_columns_warned(void)
{
	expect(0, WORDS("held at e_b0 = 0.5 eV", "1.89e+05 /s"), "train --steps 3 --quiet "
	       "--param e_b0=0.5");
}

/* Before this, a run printed nothing until a tenth of its steps were done. */
static void progress_early(void)
{
	expect(0, WORDS("30 steps", "step 1/30,"), "train --steps 30");
}

int main(void)
{
	char cmd[600];

	if (!env_or_skip("LIMSPICE"))
		return 0;
	if (!mkdtemp(dir)) {
		printf("Bail out! cannot create a temporary folder\n");
		return 1;
	}
	TEST(nul_bytes(), "a NUL byte in data, card, deck, weights and rates: FILE:3, exit 2");
	TEST(header_commented_out(), "a data header commented out is named, not read as data");
	TEST(no_test_sample(), "a split with no test sample is refused before training");
	TEST(values_refused(), "hold, temperature, inf and dtemp, --model, window, lists refused");
	TEST(deck_as_card(), "a deck given as --card is refused at its first element line");
	TEST(every_bad_value(), "a card's every bad value is named, not only the first");
	TEST(cold_device(), "lim_synapse refuses a device below 0 K and an infinite e_b0 (1e400)");
	TEST(held_columns_warned(), "a card whose held columns drift under the row pulses is warned");
	TEST(progress_early(), "train prints its plan, and progress after the first step");
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		tap_diag("could not remove %s", dir);
	return tap_done();
}
