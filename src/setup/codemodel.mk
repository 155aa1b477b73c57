# codemodel.mk - build cmpp and build/limspice.cm from models/ (included by
# the Makefile's second stage). See LICENSE for copyright.
#
# What the ngspice source provides: cmpp (src/xspice/cmpp), the XSPICE
# headers (src/include/ngspice), the .cm entry points (src/xspice/icm/
# dlmain.c) and dstring.c, which dlmain needs ("undefined symbol: ds_free"
# at load time without it).

NGS       := $(NGSPICE_SRC)/src
CMPP_SRC  := $(NGS)/xspice/cmpp
CMPP_DIR  := $(BUILD)/cmpp
CMPP      := $(CMPP_DIR)/cmpp
CM_DIR    := $(BUILD)/cm
CM_MODELS := $(shell cat models/modpath.lst 2>/dev/null)

# cmpp is a build tool from ngspice: compiled as it comes, warnings off.
$(CMPP): $(wildcard $(CMPP_SRC)/*.c $(CMPP_SRC)/*.h $(CMPP_SRC)/*.y $(CMPP_SRC)/*.l)
	@mkdir -p $(CMPP_DIR)
	@$(if $(Q),echo "  CMPP    build $@")
	$(Q)cd $(CMPP_DIR) && bison -d -o ifs_yacc.c $(abspath $(CMPP_SRC))/ifs_yacc.y 2>/dev/null \
		&& bison -d -o mod_yacc.c $(abspath $(CMPP_SRC))/mod_yacc.y 2>/dev/null \
		&& flex -o ifs_lex.c $(abspath $(CMPP_SRC))/ifs_lex.l \
		&& flex -o mod_lex.c $(abspath $(CMPP_SRC))/mod_lex.l
	$(Q)$(CC) -O1 -w -I$(CMPP_DIR) -I$(CMPP_SRC) -I$(NGS)/include -o $@ \
		$(CMPP_SRC)/*.c $(CMPP_DIR)/*.c

# ngspice's configure writes config.h; the .cm only needs the switches that
# change the layout of the structures it shares with ngspice. Debian builds
# with --enable-xspice --enable-cider: without CIDER the .cm loads and then
# ngspice crashes (SPICEdev differs). OSDI must stay undefined. t-abi checks.
$(CM_DIR)/include/ngspice/config.h: src/setup/codemodel.mk
	@mkdir -p $(@D)
	$(Q)printf '%s\n' '/* written by limspice: the switches Debian configures */' \
		'#define XSPICE 1' '#define CIDER 1' '#define HAVE_STDLIB_H 1' \
		'#define HAVE_STRING_H 1' '#define HAVE_LIMITS_H 1' > $@

CM_CFLAGS = -std=gnu11 -O2 -g -fPIC -fvisibility=hidden $(SAN) \
            -I$(CM_DIR)/include -I$(NGS)/include -I$(CM_DIR) -Isrc/include/limspice
CM_WARN   = -Wall -Wextra -Werror -Wno-unused-parameter

# cmpp reads models/modpath.lst and each model's ifspec.ifs.
$(CM_DIR)/cmextrn.h: models/modpath.lst models/udnpath.lst \
                     $(CM_MODELS:%=models/%/ifspec.ifs) $(CMPP)
	@mkdir -p $(@D)
	$(Q)CMPP_IDIR=models CMPP_ODIR=$(CM_DIR) $(CMPP) -lst

$(CM_DIR)/%/ifspec.c: models/%/ifspec.ifs $(CMPP)
	@mkdir -p $(@D)
	$(Q)CMPP_IDIR=models/$* CMPP_ODIR=$(@D) $(CMPP) -ifs

$(CM_DIR)/%/cfunc.c: models/%/cfunc.mod $(CMPP)
	@mkdir -p $(@D)
	$(Q)CMPP_IDIR=models/$* CMPP_ODIR=$(@D) $(CMPP) -mod

CM_HDRS := $(CM_DIR)/include/ngspice/config.h $(CM_DIR)/cmextrn.h src/include/limspice/phys.h

# The model's C is ours: warnings are errors. cmpp's ifspec.c is generated
# data tables and compiled without them.
$(CM_DIR)/%/cfunc.o: $(CM_DIR)/%/cfunc.c $(CM_HDRS)
	@$(if $(Q),echo "  CC      models/$*/cfunc.mod")
	$(Q)$(CC) $(CM_CFLAGS) $(CM_WARN) -Imodels/$* -c $< -o $@

$(CM_DIR)/%/ifspec.o: $(CM_DIR)/%/ifspec.c $(CM_HDRS)
	$(Q)$(CC) $(CM_CFLAGS) -w -c $< -o $@

$(CM_DIR)/dlmain.o: $(NGS)/xspice/icm/dlmain.c $(CM_HDRS)
	$(Q)$(CC) $(CM_CFLAGS) -w -c $< -o $@

$(CM_DIR)/dstring.o: $(NGS)/misc/dstring.c $(CM_HDRS)
	$(Q)$(CC) $(CM_CFLAGS) -w -c $< -o $@

# The physics core again, hidden inside the .cm so its symbols never clash
# with a program that loads it.
$(CM_DIR)/phys_%.o: src/lib/phys_%.c src/include/limspice/phys.h $(CM_DIR)/include/ngspice/config.h
	$(Q)$(CC) $(CM_CFLAGS) $(CM_WARN) -c $< -o $@

CM_OBJS := $(CM_DIR)/dlmain.o $(CM_DIR)/dstring.o \
           $(CM_DIR)/phys_device.o $(CM_DIR)/phys_params.o $(CM_DIR)/phys_rng.o \
           $(foreach m,$(CM_MODELS),$(CM_DIR)/$(m)/cfunc.o $(CM_DIR)/$(m)/ifspec.o)

$(BUILD)/limspice.cm: $(CM_OBJS)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) -shared -Wl,--no-undefined $(SAN) $^ -lm -o $@
