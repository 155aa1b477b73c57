#!/bin/sh
# fuzz-deps.sh - install what 'make fuzz' needs on Debian: clang and its
# libFuzzer runtime. Plain builds and 'make check' use gcc and never run this.
# Usage: fuzz-deps.sh CLANG    (the compiler 'make fuzz' will call, clang-14)
# Idempotent: does nothing when both are present. See LICENSE.
set -eu

clang=${1:?usage: fuzz-deps.sh CLANG}
say() { printf 'fuzz-deps: %s\n' "$*" >&2; }
die() { printf 'fuzz-deps: error: %s\n' "$*" >&2; exit 1; }

# bookworm's clang-14 keeps libFuzzer (libclang_rt.fuzzer-*.a) and the
# sanitizer runtimes in libclang-rt-14-dev, which clang-14 only recommends.
ver=$(printf '%s\n' "$clang" | sed -n 's/^clang-\([0-9][0-9]*\)$/\1/p')
[ -n "$ver" ] || ver=14
pkgs="clang-$ver libclang-rt-$ver-dev"

missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

[ "$(id -u)" = 0 ] ||
	die "missing Debian packages:$missing; run as root: apt-get update && apt-get install -y$missing"
say "running apt-get update"
apt-get update -qq || die "apt-get update failed"
say "installing:$missing"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >&2 ||
	die "apt-get install failed for:$missing"
