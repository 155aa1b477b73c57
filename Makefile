# Makefile - build, test, benchmark and install limspice. See README.md.
#
# On a fresh Debian bookworm machine, as root:  make demo  and  make check.
# Every public target first runs 'deps' (src/setup/deps.sh), which installs
# missing Debian packages and fetches the ngspice source of the installed
# version (cmpp and the XSPICE headers are not packaged); it does nothing
# when all is present.

# == Settings you may change ===================================================
PREFIX      ?= /usr/local
DESTDIR     ?=
CFLAGS      ?= -O2 -g
LDFLAGS     ?=
BUILD       ?= build
# The fetched ngspice source; outside build/ so 'make clean' keeps it.
NGSPICE_SRC ?= .deps/ngspice
# ngspice 46 (binary and libngspice, bookworm-backports) unpacked for the OSDI
# build: the system keeps Debian's ngspice 39 for the XSPICE build.
NGSPICE46   ?= .deps/ngspice46
PROVE       ?= prove
PROVE_OPTS  ?=
# Sanitizer flags; 'make check-asan' sets them and builds in build/asan.
SAN         ?=
# V=1 shows the commands.
V           ?= 0
# T=t-fit (a shell pattern) runs only those test programs: make check T='t-fit t-sweep'.
T           ?= t-*
# make fuzz: seconds of fuzzing per reader, the readers (tests/fuzz/readers.c),
# the longest input in bytes (twice the largest fixed buffer of a reader:
# PATH_MAX in deck.c, 4096 fields in csv.c), and the clang whose libFuzzer
# it uses (src/setup/fuzz-deps.sh installs it).
FUZZ_SECONDS ?= 60
FUZZ_READERS ?= csv spec card deck weights data
FUZZ_MAX_LEN ?= 8192
CLANG        ?= clang-14
# == No need to change anything below ==========================================

# The one version number lives in the library's public header.
VERSION := $(shell sed -n 's/^\#define LIM_VERSION  *"\(.*\)"/\1/p' src/include/limspice/version.h)
SOMAJOR := $(firstword $(subst ., ,$(VERSION)))
PUBLIC  := all check demo bench check-asan install fuzz
.PHONY: $(PUBLIC) deps fuzz-deps fuzz-build clean uninstall build-all install-files
.DEFAULT_GOAL := all

# Removes what 'make install' put there; needs nothing installed first.
uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/limspice $(DESTDIR)$(PREFIX)/lib/liblimspice.* \
		$(DESTDIR)$(PREFIX)/lib/pkgconfig/limspice.pc
	rm -rf $(DESTDIR)$(PREFIX)/lib/limspice $(DESTDIR)$(PREFIX)/share/limspice \
		$(DESTDIR)$(PREFIX)/include/limspice

ifeq ($(LIMSPICE_DEPS),)
# -- Stage 1: make sure the machine has what the build needs, then recurse, so
#    that pkg-config and the ngspice version below are read after installing.
$(PUBLIC): deps
	@$(MAKE) --no-print-directory LIMSPICE_DEPS=done $@

deps:
	@sh src/setup/deps.sh $(NGSPICE_SRC) $(NGSPICE46)

# Only 'make fuzz' needs clang: plain builds and 'make check' stay on gcc.
fuzz: fuzz-deps
fuzz-deps: deps
	@sh src/setup/fuzz-deps.sh $(CLANG)

clean:
	rm -rf $(BUILD)

else
# -- Stage 2: the build proper. ------------------------------------------------

ifeq ($(V),1)
Q :=
else
Q := @
endif

# sharedspice.h only: the library dlopens the libngspice its caller names.
NG_CFLAGS := $(shell pkg-config --cflags ngspice)
NG_MAJOR  := $(firstword $(subst ., ,$(shell pkg-config --modversion ngspice)))
NG_BUILT  := $(shell dpkg-query -W -f='$${Version}' libngspice0 2>/dev/null)

# Warnings are errors in limspice's own code; ngspice's code and cmpp's
# generated files are compiled as they come.
WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wpointer-arith
# The library's public headers (src/include/limspice/) are included as a
# user's program includes them; src/lib and src/tool hold each side's own.
INC       := -Isrc/include/limspice -Isrc/include -Isrc/lib -Isrc/tool
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) -fPIC $(CFLAGS) $(SAN) -I$(BUILD) $(INC)
ALL_LDFLAGS = $(LDFLAGS) $(SAN)

# The library (src/lib): physics, session, decks, energy, data, training.
LIB_SRC  := $(notdir $(wildcard src/lib/*.c))
# The command's own modules (src/tool): options, outputs, plots, fits, sweeps.
TOOL_SRC := $(filter-out main.c cmd_%.c,$(notdir $(wildcard src/tool/*.c)))
CMD_SRC  := main.c $(notdir $(wildcard src/tool/cmd_*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/lib/%.o)
TOOL_OBJ := $(TOOL_SRC:%.c=$(BUILD)/obj/tool/%.o)
CMD_OBJ  := $(CMD_SRC:%.c=$(BUILD)/obj/tool/%.o)
TESTS    := $(patsubst tests/%.c,$(BUILD)/tests/%,$(sort $(wildcard $(T:%=tests/%.c))))
BENCHES  := $(patsubst tests/%.c,$(BUILD)/tests/%,$(sort $(wildcard tests/bench-*.c)))
LIBS     := -ldl -lgsl -lgslcblas -lm
SONAME   := liblimspice.so.$(SOMAJOR)
SHLIB    := $(BUILD)/liblimspice.so.$(VERSION)

# -- The code model: cmpp and headers from the ngspice source ------------------
include src/setup/codemodel.mk
# -- The OSDI device: osdi.h from the same source --------------------------------
include src/setup/osdi.mk

all: build-all
build-all: $(BUILD)/limspice $(BUILD)/limspice.cm $(BUILD)/limspice.osdi $(BUILD)/limspice.pc \
           $(TESTS) $(BENCHES)

# Rebuild everything when the flags change (after Redis's .make-settings).
SETTINGS := $(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) $(NG_BUILT) $(PREFIX)
$(BUILD)/.settings: FORCE
	@mkdir -p $(BUILD)
	@echo '$(SETTINGS)' | cmp -s - $@ || echo '$(SETTINGS)' > $@
.PHONY: FORCE
FORCE:

$(BUILD)/buildinfo.h: $(BUILD)/.settings Makefile
	$(Q)printf '%s\n' '#define LIMSPICE_VERSION "$(VERSION)"' \
		'#define LIMSPICE_NGSPICE_BUILT "$(NG_BUILT)"' \
		'#define LIMSPICE_NGSPICE_MAJOR $(NG_MAJOR)' \
		'#define LIMSPICE_CM_INSTALLED "$(PREFIX)/lib/limspice/limspice.cm"' \
		'#define LIMSPICE_OSDI_INSTALLED "$(PREFIX)/lib/limspice/limspice.osdi"' > $@

$(BUILD)/obj/%.o: src/%.c $(BUILD)/buildinfo.h Makefile
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) $(NG_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/liblimspice.a: $(LIB_OBJ)
	$(Q)rm -f $@ && ar rcs $@ $^

# The shared library: BSD code, libdl and libm (GSL stays in the tool;
# libngspice is dlopened).
# Its exports are the lim_ names of src/include/limspice/; the engine's
# private seam (src/lib/write.h) is hidden. t-install checks both.
$(SHLIB): $(LIB_OBJ)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) -shared -Wl,-soname,$(SONAME) -Wl,--no-undefined $(ALL_LDFLAGS) $^ \
		-ldl -lm -o $@
$(BUILD)/$(SONAME) $(BUILD)/liblimspice.so: $(SHLIB)
	$(Q)ln -sf $(notdir $<) $@

$(BUILD)/limspice.pc: src/lib/limspice.pc.in $(BUILD)/.settings
	$(Q)sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' $< > $@

$(BUILD)/limspice-tool.a: $(TOOL_OBJ)
	$(Q)rm -f $@ && ar rcs $@ $^

# The command links the shared library as a user's program would; it finds
# it beside itself in build/ and in ../lib when installed.
$(BUILD)/limspice: $(CMD_OBJ) $(BUILD)/limspice-tool.a $(BUILD)/$(SONAME) $(BUILD)/liblimspice.so
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(ALL_LDFLAGS) $(CMD_OBJ) $(BUILD)/limspice-tool.a -L$(BUILD) -llimspice \
		-Wl,-rpath,'$$ORIGIN:$$ORIGIN/../lib' -lgsl -lgslcblas -lm -o $@

$(BUILD)/tests/%.o: tests/%.c $(BUILD)/buildinfo.h Makefile
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) $(NG_CFLAGS) $(TEST_INC) -Itests -MMD -MP -c $< -o $@

# t-abi reads device tables through ngspice's internal headers, configured
# as the .cm is (codemodel.mk writes that config.h).
$(BUILD)/tests/t-abi.o: TEST_INC = -isystem $(CM_DIR)/include -isystem $(NGS)/include
$(BUILD)/tests/t-abi.o: $(CM_DIR)/include/ngspice/config.h

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(BUILD)/tests/tap.o $(BUILD)/tests/run.o \
                 $(BUILD)/limspice-tool.a $(BUILD)/liblimspice.a
	$(Q)$(CC) $(ALL_LDFLAGS) $(filter %.o,$^) $(filter %.a,$^) $(LIBS) -ldl -o $@

# Keep objects make would treat as intermediates (tests link them).
.SECONDARY:

# t-fuzz runs its cases through the fuzzer's reader calls (objects link before
# the library, whatever the order of the prerequisites).
$(BUILD)/tests/t-fuzz: $(BUILD)/tests/fuzz/readers.o

-include $(wildcard $(BUILD)/obj/*/*.d $(BUILD)/tests/*.d $(BUILD)/tests/fuzz/*.d)

# -- Running ---------------------------------------------------------------------
# The tests find the build through these; a sanitized build loads its own
# sanitized .cm through libngspice, and the plain one for the ngspice binary.
TEST_ENV = LIMSPICE=$(abspath $(BUILD)/limspice) \
           LIMSPICE_CM=$(abspath $(BUILD)/limspice.cm) \
           LIMSPICE_CM_PLAIN=$(abspath $(or $(CM_PLAIN),$(BUILD)/limspice.cm)) \
           LIMSPICE_TOP=$(CURDIR) NGSPICE_SRC=$(abspath $(NGSPICE_SRC)) \
           LIMSPICE_BUILD=$(abspath $(BUILD)) LIMSPICE_SAN='$(SAN)' \
           LIMSPICE_DATA=$(CURDIR)/testbenches/data \
           LIMSPICE_OSDI=$(abspath $(BUILD)/limspice.osdi) \
           LIMSPICE_NGSPICE46=$(abspath $(NGSPICE46)) \
           NGSPICE_CMDIR=$(shell pkg-config --variable=libdir ngspice)/ngspice

check: build-all
	$(TEST_ENV) $(PROVE) $(PROVE_OPTS) $(TESTS)

bench: build-all
	@for b in $(BENCHES); do echo "== $$b"; $(TEST_ENV) $$b || exit 1; done

# The main job: Iris on the smallest array that fits, LIM against the
# conventional memory, side by side; details in build/demo/report.md.
demo: build-all
	$(BUILD)/limspice train --compare --with-serial --out $(BUILD)/demo
	@echo "Two layers (README: Multi-layer training): $(BUILD)/limspice train --hidden 4 --schedule power --tilt 6 --compare --out $(BUILD)/demo-hidden"

ASAN_ENV = ASAN_OPTIONS=detect_leaks=0:quarantine_size_mb=0:abort_on_error=1 \
           UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
check-asan: build-all
	$(ASAN_ENV) $(MAKE) --no-print-directory LIMSPICE_DEPS=done BUILD=$(BUILD)/asan \
		SAN='-fsanitize=address,undefined,float-cast-overflow -fno-omit-frame-pointer' \
		CM_PLAIN=$(BUILD)/limspice.cm check

# -- Fuzzing: libFuzzer on every reader (tests/fuzz/) ----------------------------
# clang builds the library again in build/fuzz, with coverage for libFuzzer and
# the sanitizers; tests/fuzz/run.sh seeds each reader's corpus, runs it for
# FUZZ_SECONDS and fails with the reproducers' paths if anything crashed.
FUZZ_SAN := -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all \
            -fno-omit-frame-pointer
fuzz:
	$(Q)$(MAKE) --no-print-directory LIMSPICE_DEPS=done BUILD=$(BUILD)/fuzz CC=$(CLANG) \
		SAN='$(FUZZ_SAN)' fuzz-build
	$(Q)sh tests/fuzz/run.sh $(BUILD)/fuzz $(FUZZ_SECONDS) $(FUZZ_MAX_LEN) $(FUZZ_READERS)

# Run with BUILD=build/fuzz: one fuzzer per reader, build/fuzz/fuzz-NAME.
fuzz-build: $(FUZZ_READERS:%=$(BUILD)/fuzz-%)
$(BUILD)/fuzz-%: tests/fuzz/fuzz.c $(BUILD)/tests/fuzz/readers.o $(BUILD)/limspice-tool.a \
                 $(BUILD)/liblimspice.a
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -fsanitize=fuzzer -DFUZZ_READER='"$*"' $^ $(LIBS) -o $@

install: build-all install-files
# Copies only (the installed-library test runs it on a built tree).
LIBDIR = $(DESTDIR)$(PREFIX)/lib
install-files:
	install -d $(DESTDIR)$(PREFIX)/bin $(LIBDIR)/limspice $(LIBDIR)/pkgconfig \
		$(DESTDIR)$(PREFIX)/include/limspice $(DESTDIR)$(PREFIX)/share/limspice/models \
		$(DESTDIR)$(PREFIX)/share/limspice/data
	install -m 755 $(BUILD)/limspice $(DESTDIR)$(PREFIX)/bin/limspice
	install -m 755 $(SHLIB) $(LIBDIR)/
	ln -sf $(notdir $(SHLIB)) $(LIBDIR)/$(SONAME)
	ln -sf $(notdir $(SHLIB)) $(LIBDIR)/liblimspice.so
	install -m 644 $(BUILD)/liblimspice.a $(LIBDIR)/
	install -m 644 $(BUILD)/limspice.pc $(LIBDIR)/pkgconfig/
	install -m 644 src/include/limspice/*.h $(DESTDIR)$(PREFIX)/include/limspice/
	install -m 644 $(BUILD)/limspice.cm $(LIBDIR)/limspice/limspice.cm
	install -m 644 $(BUILD)/limspice.osdi $(LIBDIR)/limspice/limspice.osdi
	install -m 644 models/*.lib $(DESTDIR)$(PREFIX)/share/limspice/models/
	install -m 644 testbenches/data/*.csv testbenches/data/*.md $(DESTDIR)$(PREFIX)/share/limspice/data/
	$(if $(DESTDIR),,-ldconfig 2>/dev/null)

endif
