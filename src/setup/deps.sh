#!/bin/sh
# deps.sh - install what limspice needs on Debian, fetch the ngspice source
# of the installed version (cmpp and the XSPICE headers are not packaged),
# and unpack ngspice 46 from bookworm-backports beside it (the OSDI build).
# Usage: deps.sh SRCDIR [NG46DIR]   (SRCDIR receives the extracted ngspice
# source, NG46DIR the unpacked ngspice 46: src/setup/ngspice46.sh)
# Idempotent: does nothing when everything is present. See LICENSE.
set -eu

srcdir=${1:?usage: deps.sh SRCDIR [NG46DIR]}
ng46dir=${2:-}
say() { printf 'deps: %s\n' "$*" >&2; }
die() { printf 'deps: error: %s\n' "$*" >&2; exit 1; }

# Debian packages: binary ngspice for decks, libngspice for the drivers, the
# toolchain, cmpp's generators, GSL for fitting, perl's prove for the tests;
# GNU parallel and Slurm run the sweep's scale-out paths for real in t-sweep
# (limspice itself needs neither); xschem netlists the testbench schematic
# for the shipped symbols (models/xschem) in t-decks.
# libreadline8: the unpacked ngspice 46 binary links it (39 uses libedit).
pkgs="ngspice libngspice0-dev gcc libc6-dev make pkgconf xz-utils flex bison libgsl-dev perl parallel slurm-wlm xschem libreadline8"
command -v gnuplot >/dev/null 2>&1 || pkgs="$pkgs gnuplot-nox"

missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done

is_root() { [ "$(id -u)" = 0 ]; }
updated=
apt_update() {
	[ -n "$updated" ] && return 0
	say "running apt-get update"
	apt-get update -qq || die "apt-get update failed"
	updated=1
}

if [ -n "$missing" ]; then
	is_root || die "missing Debian packages:$missing; run as root: apt-get update && apt-get install -y$missing"
	apt_update
	say "installing:$missing"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >&2 ||
		die "apt-get install failed for:$missing"
fi

# ngspice 46 for the OSDI build, in a folder of its own (nothing installed).
if [ -n "$ng46dir" ]; then
	sh "$(dirname "$0")/ngspice46.sh" "$ng46dir" || die "cannot set up ngspice 46 in $ng46dir"
fi

ver=$(dpkg-query -W -f='${Version}' ngspice 2>/dev/null) || die "ngspice is not installed"
stamp="$srcdir/.limspice-ngspice-version"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$ver" ]; then
	exit 0
fi

is_root || die "the ngspice $ver source is missing from $srcdir; run 'make deps' as root"

# apt-get source needs a deb-src entry; a fresh image has only deb lines.
src_entry=/etc/apt/sources.list.d/limspice-deb-src.sources
if ! grep -rqsE '^(Types:.*deb-src|deb-src )' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	say "adding a deb-src entry: $src_entry"
	if [ -f /etc/apt/sources.list.d/debian.sources ]; then
		sed 's/^Types:.*/Types: deb-src/' /etc/apt/sources.list.d/debian.sources > "$src_entry"
	elif [ -f /etc/apt/sources.list ]; then
		grep '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' \
			> /etc/apt/sources.list.d/limspice-deb-src.list
	else
		die "no apt sources found to derive a deb-src entry from"
	fi
	updated=
fi
apt_update

tmp=$(mktemp -d)
chmod 755 "$tmp"   # apt drops to user _apt for the download
trap 'rm -rf "$tmp"' EXIT
fetch() { (cd "$tmp" && apt-get source --download-only -qq "ngspice=$1" >&2); }
say "fetching the Debian source of ngspice $ver"
if ! fetch "$ver"; then
	# The mirror keeps only the newest point release: move to it and fetch that.
	cand=$(apt-cache policy ngspice | sed -n 's/^ *Candidate: //p')
	[ -n "$cand" ] && [ "$cand" != "$ver" ] ||
		die "cannot fetch the ngspice $ver source and no other version is available"
	say "ngspice $ver is no longer on the mirror; upgrading ngspice to $cand"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ngspice="$cand" \
		libngspice0="$cand" libngspice0-dev="$cand" >&2 || die "upgrade to ngspice $cand failed"
	ver=$cand
	fetch "$ver" || die "cannot fetch the ngspice $ver source"
fi

orig=$(ls "$tmp"/ngspice_*.orig.tar.* 2>/dev/null | head -n 1)
[ -n "$orig" ] || die "no orig tarball in the fetched ngspice source"
rm -rf "$srcdir"
mkdir -p "$srcdir"
# The tarball's top folder has an arbitrary name.
tar -xf "$orig" -C "$srcdir" --strip-components=1 || die "cannot extract $orig"
printf '%s\n' "$ver" > "$stamp"
say "ngspice $ver source is in $srcdir"
