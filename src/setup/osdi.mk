# osdi.mk - build/limspice.osdi, the lim_synapse device for ngspice's OSDI
# loader (included by the Makefile's second stage). See LICENSE.
#
# OSDI's interface is one header, src/osdi/osdi.h (version 0.3) in the
# fetched ngspice 39 source: it is included from there, never copied. The
# .osdi imports nothing from ngspice, so one file loads in any ngspice that
# has OSDI (Debian's 39 is built without it; 46 from bookworm-backports has it).

OSDI_DIR    := $(BUILD)/osdi
OSDI_CFLAGS  = -std=c11 -D_GNU_SOURCE -O2 -g -fPIC -fvisibility=hidden $(SAN) \
               -I$(NGS)/osdi -Isrc/include/limspice

$(OSDI_DIR)/%.o: models/lim_synapse/%.c $(NGS)/osdi/osdi.h src/include/limspice/phys.h Makefile
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(OSDI_CFLAGS) $(WARN) -c $< -o $@

# The physics core once more, hidden inside the .osdi like inside the .cm.
$(OSDI_DIR)/phys_%.o: src/lib/phys_%.c src/include/limspice/phys.h Makefile
	@mkdir -p $(@D)
	$(Q)$(CC) $(OSDI_CFLAGS) $(WARN) -c $< -o $@

# Only the OSDI symbols are exported (t-osdi checks with nm).
$(BUILD)/limspice.osdi: $(OSDI_DIR)/osdi.o $(OSDI_DIR)/phys_device.o $(OSDI_DIR)/phys_params.o \
                        $(OSDI_DIR)/phys_rng.o
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) -shared -Wl,--no-undefined $(SAN) $^ -lm -o $@
