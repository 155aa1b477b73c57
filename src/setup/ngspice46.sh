#!/bin/sh
# ngspice46.sh - unpack ngspice 46 and libngspice 46 from bookworm-backports
# into a folder of their own, beside Debian's ngspice 39 (called by deps.sh).
# Usage: ngspice46.sh DIR    (DIR receives usr/bin/ngspice, the library and
# the scripts). See LICENSE.
#
# Why unpacked and not installed: the XSPICE build needs ngspice 39 and its
# matching source (the .cm is built with that ngspice's cmpp and headers),
# and Debian installs one ngspice at a time. The backports packages need
# nothing bookworm's ngspice 39 does not already pull in (libgomp1,
# libreadline8, the X libraries). Nothing outside DIR is changed: apt runs
# with a private source list, list folder and cache.
set -eu

dir=${1:?usage: ngspice46.sh DIR}
want_major=46
say() { printf 'deps: %s\n' "$*" >&2; }
die() { printf 'deps: error: %s\n' "$*" >&2; exit 1; }

stamp="$dir/.limspice-ngspice-version"
if [ -f "$stamp" ] && [ -x "$dir/usr/bin/ngspice" ] &&
   [ -f "$dir/usr/lib/x86_64-linux-gnu/libngspice.so.0" ]; then
	exit 0
fi
command -v dpkg-deb >/dev/null 2>&1 || die "dpkg-deb is missing"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
mkdir -p "$tmp/parts" "$tmp/lists/partial" "$tmp/cache/archives/partial" "$tmp/dl"
chmod 777 "$tmp/dl"   # apt drops to user _apt for the download
# The machine's own deb822 sources name the mirror; backports is the same
# archive with another suite.
uri=http://deb.debian.org/debian
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
	u=$(sed -n 's/^URIs: *\([^ ]*debian\)$/\1/p' /etc/apt/sources.list.d/debian.sources | head -n 1)
	[ -n "$u" ] && uri=$u
fi
cat > "$tmp/parts/backports.sources" <<EOF
Types: deb
URIs: $uri
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
apt_private() {
	apt-get -qq -o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts="$tmp/parts" \
		-o Dir::State::Lists="$tmp/lists" -o Dir::Cache="$tmp/cache" \
		-o Debug::NoLocking=1 "$@"
}
say "reading bookworm-backports (a private apt list, nothing installed)"
apt_private update >&2 || die "apt-get update of bookworm-backports failed"
(cd "$tmp/dl" && apt_private download ngspice libngspice0 >&2) ||
	die "cannot download ngspice and libngspice0 from bookworm-backports"
ver=$(dpkg-deb -f "$tmp"/dl/ngspice_*.deb Version)
case $ver in
$want_major*) ;;
*) die "bookworm-backports has ngspice $ver, expected $want_major.x" ;;
esac
rm -rf "$dir"
mkdir -p "$dir"
for deb in "$tmp"/dl/ngspice_*.deb "$tmp"/dl/libngspice0_*.deb; do
	dpkg-deb -x "$deb" "$dir" || die "cannot unpack $deb"
done
# The binary and the library read /usr/share/ngspice/scripts/spinit, built
# in, unless SPICE_LIB_DIR names another: run plainly they would load the
# system's ngspice 39 code models into ngspice 46 (and crash). Point the
# unpacked spinit at the unpacked code models; limspice and the tests set
# SPICE_LIB_DIR=DIR/usr/share/ngspice.
libdir="$dir/usr/lib/x86_64-linux-gnu/ngspice"
sed -i "s|/usr/lib/x86_64-linux-gnu/ngspice/|$(cd "$libdir" && pwd)/|" \
	"$dir/usr/share/ngspice/scripts/spinit"
printf '%s\n' "$ver" > "$stamp"
say "ngspice $ver (binary and library) is unpacked in $dir"
