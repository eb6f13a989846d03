#!/usr/bin/env bash
# Installs the .deb for real with dpkg on this machine and runs its maintainer scripts:
# first install (service user and group, state directory, unit enabled, the daemon running
# as the service user), an upgrade that keeps the site's edited config and the store, remove
# (config and store kept) and purge (config gone, store kept). Needs root and a Debian
# system without a scanstation package of its own; it purges what it installed at the end.
# CONFIG=debug (the CI default) packs the faster debug build, which runs only where the Swift
# toolchain is (here). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
config=${CONFIG:-debug}
failures=0
ok() { echo "ok: $1"; }
fail() { echo "FAIL: $1"; failures=$((failures + 1)); }
check() { if eval "$2"; then ok "$1"; else fail "$1"; fi; }

[[ $(id -u) -eq 0 ]] || { echo "check-deb-install: needs root (it runs dpkg -i)"; exit 1; }
if dpkg-query -W -f='${Status}' scanstation 2>/dev/null | grep -q "installed"; then
    echo "check-deb-install: a scanstation package is already installed here; refusing to replace it"
    exit 1
fi
work=$(mktemp -d)
cleanup() {
    dpkg --purge scanstation > /dev/null 2>&1 || true
    rm -rf "$work" /var/lib/scanstation
}
trap cleanup EXIT

build_deb() { # VERSION -> path of the .deb
    make --no-print-directory deb CONFIG="$config" VERSION="$1" > "$work/deb-$1.log" 2>&1 \
        || { cat "$work/deb-$1.log" >&2; echo "FAIL: make deb VERSION=$1" >&2; exit 1; }
    sed -n 's/^built //p' "$work/deb-$1.log" | tail -1
}
first=$(build_deb 0.1.0)
cp "$first" "$work/first.deb"
second=$(build_deb 0.1.1)
cp "$second" "$work/second.deb"

# --- first install ---
dpkg -i "$work/first.deb" > "$work/install.log" 2>&1 || { cat "$work/install.log"; echo "FAIL: dpkg -i"; exit 1; }
check "install: dpkg reports 0.1.0 installed" '[[ $(dpkg-query -W -f="\${Status} \${Version}" scanstation) == "install ok installed 0.1.0" ]]'
check "install: group scanstation exists" 'getent group scanstation > /dev/null'
check "install: user scanstation in group scanstation, no login shell" \
    '[[ $(id -gn scanstation) == scanstation && $(getent passwd scanstation | cut -d: -f7) == /usr/sbin/nologin ]]'
check "install: user scanstation is a system user" '(( $(id -u scanstation) < 1000 ))'
check "install: /var/lib/scanstation is scanstation:scanstation 750" \
    '[[ $(stat -c "%U:%G %a" /var/lib/scanstation) == "scanstation:scanstation 750" ]]'
check "install: the unit is enabled (multi-user.target wants it)" \
    '[[ -L /etc/systemd/system/multi-user.target.wants/scanstation.service ]]'
check "install: the config is a conffile" 'dpkg-query -W -f="\${Conffiles}" scanstation | grep -q "/etc/scanstation/scanstation.toml"'
check "install: the installed config passes config check" '/usr/bin/scanstation config check --config /etc/scanstation/scanstation.toml > /dev/null'
check "install: man scanstation shows the manual (the unit's Documentation=)" 'man -w scanstation > /dev/null 2>&1 || [[ -f /usr/share/man/man1/scanstation.1.gz ]]'
check "install: the installed unit passes systemd-analyze verify" \
    'systemd-analyze verify /usr/lib/systemd/system/scanstation.service > "$work/verify.log" 2>&1 && ! grep -q . "$work/verify.log"'

# The daemon runs as the service user and keeps its store where the unit's StateDirectory is.
store=/var/lib/scanstation/scanstation.db
answer=$(printf '4006381333931\n' | setpriv --reuid scanstation --regid scanstation --init-groups \
    /usr/bin/scanstation run --db "$store" --source stdin --feedback jsonl --control-socket off --listen off 2> "$work/run.log" || true)
check "install: the service user records a scan in the store" 'grep -q "\"seq\":1," <<<"$answer"'
check "install: the store belongs to the service user" '[[ $(stat -c %U "$store") == scanstation ]]'

# --- upgrade: the site's edited config and the store stay ---
echo "# edited by the site" >> /etc/scanstation/scanstation.toml
dpkg -i "$work/second.deb" > "$work/upgrade.log" 2>&1 || { cat "$work/upgrade.log"; fail "dpkg -i (upgrade)"; }
check "upgrade: dpkg reports 0.1.1 installed" '[[ $(dpkg-query -W -f="\${Version}" scanstation) == 0.1.1 ]]'
check "upgrade: the edited config is kept, without a prompt" 'tail -1 /etc/scanstation/scanstation.toml | grep -q "edited by the site"'
check "upgrade: the store is kept and passes db check" '/usr/bin/scanstation db check --db "$store" > /dev/null'
check "upgrade: the user is unchanged" '[[ $(id -gn scanstation) == scanstation ]]'

# --- remove: program gone; config, store and user stay ---
dpkg -r scanstation > "$work/remove.log" 2>&1 || { cat "$work/remove.log"; fail "dpkg -r"; }
check "remove: the binary, unit and rules are gone" \
    '[[ ! -e /usr/bin/scanstation && ! -e /usr/lib/systemd/system/scanstation.service && ! -e /usr/lib/udev/rules.d/70-scanstation.rules ]]'
check "remove: the config stays" '[[ -f /etc/scanstation/scanstation.toml ]]'
check "remove: the store stays" '[[ -f "$store" ]]'
check "remove: the unit is no longer enabled" '[[ ! -e /etc/systemd/system/multi-user.target.wants/scanstation.service ]]'

# --- purge: config gone; the store (the station's ledger) and the user stay ---
dpkg -P scanstation > "$work/purge.log" 2>&1 || { cat "$work/purge.log"; fail "dpkg -P"; }
check "purge: dpkg knows no scanstation" '! dpkg-query -W scanstation > /dev/null 2>&1'
check "purge: the config and its directory are gone" '[[ ! -e /etc/scanstation ]]'
check "purge: the store stays" '[[ -f "$store" ]]'
check "purge: the store is mentioned" 'grep -q "kept the store in /var/lib/scanstation" "$work/purge.log"'

if ((failures > 0)); then echo "deb install: $failures check(s) failed"; exit 1; fi
echo "deb install: all checks passed"
