#!/usr/bin/env bash
# Checks `make install`, `make uninstall` and `make deb`: installs into a DESTDIR (every
# file present with its mode, ExecStart following PREFIX, an existing config kept), then
# inspects the package with `dpkg-deb -c` and `-I` (files, modes, owners, conffiles,
# maintainer scripts, Depends covering every library the binary links, no shared Swift
# runtime). CONFIG=debug (the CI default) builds faster; CONFIG=release checks the shipped
# build. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
config=${CONFIG:-debug}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
ok() { echo "ok: $1"; }
fail() { echo "FAIL: $1"; failures=$((failures + 1)); }
check() { if eval "$2"; then ok "$1"; else fail "$1"; fi; }
mode_of() { stat -c %a "$1" 2>/dev/null || echo missing; }

# --- make install into a DESTDIR, default PREFIX (/usr) ---
root="$work/root"
make --no-print-directory install CONFIG="$config" DESTDIR="$root" > "$work/install.log" 2>&1 \
    || { cat "$work/install.log"; echo "FAIL: make install"; exit 1; }
expected_files=(
    "usr/bin/scanstation 755"
    "usr/lib/systemd/system/scanstation.service 644"
    "usr/lib/sysusers.d/scanstation.conf 644"
    "usr/lib/udev/rules.d/70-scanstation.rules 644"
    "etc/scanstation/scanstation.toml 644"
    "usr/share/man/man1/scanstation.1.gz 644"
)
for entry in "${expected_files[@]}"; do
    read -r path mode <<<"$entry"
    check "install: /$path with mode $mode" '[[ $(mode_of "$root/$path") == "$mode" ]]'
done
check "install: nothing else installed" '[[ $(find "$root" -type f | wc -l) -eq ${#expected_files[@]} ]]'
check "install: ExecStart is /usr/bin/scanstation" 'grep -q "^ExecStart=/usr/bin/scanstation run " "$root/usr/lib/systemd/system/scanstation.service"'
check "install: unit otherwise unchanged" 'diff <(grep -v ^ExecStart= systemd/scanstation.service) <(grep -v ^ExecStart= "$root/usr/lib/systemd/system/scanstation.service") >/dev/null'
check "install: sysusers file is the repository's" 'cmp -s systemd/scanstation.sysusers "$root/usr/lib/sysusers.d/scanstation.conf"'
check "install: the example config passes config check" '"$root/usr/bin/scanstation" config check --config "$root/etc/scanstation/scanstation.toml" >/dev/null'
swift_runtime="libswift|libFoundation|lib_Foundation|libdispatch|libBlocksRuntime"
if [[ $config == release ]]; then
    check "install: no shared Swift runtime linked" '! ldd "$root/usr/bin/scanstation" | grep -qE "$swift_runtime"'
else
    echo "skipped: static Swift runtime (CONFIG=$config links it dynamically; run with CONFIG=release)"
fi
check "install: every linked library resolves" '! ldd "$root/usr/bin/scanstation" | grep -q "not found"'

# A site's edited config survives a reinstall.
echo "# edited by the site" >> "$root/etc/scanstation/scanstation.toml"
make --no-print-directory install-files DESTDIR="$root" > "$work/reinstall.log" 2>&1 || fail "make install-files (again)"
check "install: an existing config is kept" 'tail -1 "$root/etc/scanstation/scanstation.toml" | grep -q "edited by the site"'

make --no-print-directory uninstall DESTDIR="$root" > "$work/uninstall.log" 2>&1 || fail "make uninstall"
check "uninstall: only the config is left" '[[ $(find "$root" -type f) == "$root/etc/scanstation/scanstation.toml" ]]'

# --- PREFIX=/usr/local: everything follows it, ExecStart included ---
local_root="$work/local"
make --no-print-directory install-files DESTDIR="$local_root" PREFIX=/usr/local > "$work/local.log" 2>&1 || { cat "$work/local.log"; fail "make install-files PREFIX=/usr/local"; }
check "PREFIX=/usr/local: binary in /usr/local/bin" '[[ -x "$local_root/usr/local/bin/scanstation" ]]'
check "PREFIX=/usr/local: rules in /usr/local/lib/udev/rules.d" '[[ -f "$local_root/usr/local/lib/udev/rules.d/70-scanstation.rules" ]]'
check "PREFIX=/usr/local: manual in /usr/local/share/man/man1" '[[ -f "$local_root/usr/local/share/man/man1/scanstation.1.gz" ]]'
check "PREFIX=/usr/local: ExecStart is /usr/local/bin/scanstation" 'grep -q "^ExecStart=/usr/local/bin/scanstation run " "$local_root/usr/local/lib/systemd/system/scanstation.service"'

# --- make deb, inspected with dpkg-deb -c and -I ---
make --no-print-directory deb CONFIG="$config" > "$work/deb.log" 2>&1 || { cat "$work/deb.log"; echo "FAIL: make deb"; exit 1; }
deb=$(sed -n 's/^built //p' "$work/deb.log" | tail -1)
check "deb: built ($deb)" '[[ -f "$deb" ]]'
contents=$(dpkg-deb -c "$deb")
info=$(dpkg-deb -I "$deb")
for entry in "${expected_files[@]}" "usr/share/doc/scanstation/copyright 644"; do
    read -r path mode <<<"$entry"
    want=$( [[ $mode == 755 ]] && echo "-rwxr-xr-x" || echo "-rw-r--r--" )
    check "deb: /$path, $want root/root" 'grep -qE "^$want root/root .* \./$path\$" <<<"$contents"'
done
check "deb: no world-writable file" '! grep -qE "^.{8}w" <<<"$contents"'
for field in Package Version Architecture Maintainer Depends Description Installed-Size; do
    check "deb: control has $field" 'grep -qE "^ $field: ." <<<"$info"'
done
for script in postinst prerm postrm; do
    check "deb: $script present, executable" 'grep -qE "^ +[0-9]+ bytes, +[0-9]+ lines +\* +$script " <<<"$info"'
done
dpkg-deb -e "$deb" "$work/control"
check "deb: conffiles lists the config" '[[ $(cat "$work/control/conffiles") == /etc/scanstation/scanstation.toml ]]'
for script in postinst prerm postrm; do
    check "deb: $script parses (sh -n)" 'sh -n "$work/control/$script"'
done
check "deb: postinst creates the user with systemd-sysusers" 'grep -q "systemd-sysusers /usr/lib/sysusers.d/scanstation.conf" "$work/control/postinst"'
check "deb: postinst restarts on upgrade" 'grep -q "try-restart scanstation.service" "$work/control/postinst"'

# Depends names the package of every library the binary links directly (NEEDED).
depends=$(dpkg-deb -f "$deb" Depends)
dpkg-deb -x "$deb" "$work/unpacked"
binary="$work/unpacked/usr/bin/scanstation"
check "deb: the packaged binary runs" '"$binary" config example >/dev/null'
check "deb: the unit starts /usr/bin/scanstation" 'grep -q "^ExecStart=/usr/bin/scanstation run " "$work/unpacked/usr/lib/systemd/system/scanstation.service"'
while read -r library; do
    if [[ $config != release ]] && grep -qE "$swift_runtime" <<<"$library"; then
        echo "skipped: $library (the toolchain's, CONFIG=$config)"; continue
    fi
    # ldd names the dynamic loader by its path only.
    path=$(ldd "$binary" | awk -v lib="$library" '$1 == lib { print $3 } $1 ~ ("/" lib "$") { print $1 }')
    [[ -n "$path" ]] || { fail "deb: $library does not resolve"; continue; }
    owner=$(dpkg -S "$path" 2>/dev/null || dpkg -S "$(realpath "$path")" 2>/dev/null || dpkg -S "${path#/usr}" 2>/dev/null || true)
    package=${owner%%:*}
    if [[ -z "$package" ]]; then fail "deb: no Debian package owns $path ($library)"; continue; fi
    check "deb: Depends covers $library ($package)" 'tr "," "\\n" <<<"$depends" | sed "s/^ *//; s/ .*//" | grep -qxF "$package"'
done < <(readelf -d "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')

if ((failures > 0)); then echo "packaging: $failures check(s) failed"; exit 1; fi
echo "packaging: all checks passed"
