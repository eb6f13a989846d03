#!/usr/bin/env bash
# Checks what `scanstation udev-rules` prints with `udevadm test` on emulated USB devices
# (umockdev), as check-udev-rules.sh does for udev/: a device the config names gets the
# service group, mode 0660 and starts the service; another is left alone; udev reports no
# rule errors. Usage: check-site-udev-rules.sh [SCANSTATION-BINARY]. Exits non-zero on any
# failure (also when umockdev or udevadm cannot be had).
set -euo pipefail
cd "$(dirname "$0")/../.."
binary=$(realpath "${1:-${SCANSTATION_BINARY:-.build/debug/scanstation}}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
mkdir -p "$work/rules"

cat > "$work/site.toml" <<'TOML'
[[station]]
name = "dock-1"
sources = ["usb:05e0:1200", "serial:/dev/ttyACM0@115200"]
[[station]]
name = "pack-2"
sources = ["usb:serial=ABC123", "usb:port=3-7.1", "stdin"]
TOML
"$binary" udev-rules --config "$work/site.toml" > "$work/rules/71-scanstation-site.rules"

device() { # VID PID NAME [SERIAL] -> writes $work/NAME.umockdev
    local vid=$1 pid=$2 name=$3 serial=${4:-}
    {
        cat <<DEV
P: /devices/pci0000:00/0000:00:14.0/usb1/1-1
N: bus/usb/001/002
E: BUSNUM=001
E: DEVNUM=002
E: DEVNAME=/dev/bus/usb/001/002
E: DEVTYPE=usb_device
E: DRIVER=usb
E: MAJOR=189
E: MINOR=1
E: PRODUCT=${vid#0}/${pid}/100
E: SUBSYSTEM=usb
A: idVendor=$vid
A: idProduct=$pid
A: busnum=1\n
A: devnum=2\n
A: dev=189:1
A: bConfigurationValue=1\n
DEV
        if [[ -n "$serial" ]]; then echo "A: serial=$serial"; fi
    } > "$work/$name.umockdev"
}

run_test() { # NAME -> udevadm test output
    mkdir -p /etc/udev/rules.d
    unshare -m sh -c "mount --bind '$work/rules' /etc/udev/rules.d && umockdev-run -d '$work/$1.umockdev' -- '$udevadm' test --action=add /sys/devices/pci0000:00/0000:00:14.0/usb1/1-1" 2>&1
}

expect() { # DESCRIPTION GREP-PATTERN OUTPUT
    if grep -qE "$2" <<<"$3"; then echo "ok: $1"; else echo "FAIL: $1"; failures=$((failures + 1)); fi
}
reject() {
    if grep -qE "$2" <<<"$3"; then echo "FAIL: $1"; grep -E "$2" <<<"$3" | head -5; failures=$((failures + 1)); else echo "ok: $1"; fi
}

command -v umockdev-run >/dev/null || { echo "FAIL: umockdev-run is not installed"; exit 1; }
# As check-udev-rules.sh: Debian's udevadm unpacked from its package when udev is not installed.
udevadm=$(command -v udevadm || true)
if [[ -z "$udevadm" ]]; then
    (cd "$work" && apt-get download -qq udev >/dev/null 2>&1 && dpkg-deb -x udev_*.deb "$work/udev-root")
    udevadm="$work/udev-root/bin/udevadm"
fi
"$udevadm" --version >/dev/null
getent group scanstation >/dev/null || systemd-sysusers "$(realpath systemd/scanstation.sysusers)"
gid=$(getent group scanstation | cut -d: -f3)

rules=$(cat "$work/rules/71-scanstation-site.rules")
reject "nothing world-writable in the text" 'MODE="0?[0-7][0-7][2367]"' "$rules"
expect "every assignment gives mode 0660" 'MODE="0660"' "$rules"

device 05e0 1200 named
out=$(run_test named)
[[ -n "${VERBOSE:-}" ]] && echo "$out"
expect "usb:VID:PID device gets the service group" "71-scanstation-site.rules:[0-9]+ GROUP $gid\$" "$out"
expect "usb:VID:PID device gets mode 0660" "71-scanstation-site.rules:[0-9]+ MODE 0660\$" "$out"
expect "usb:VID:PID device starts the service" "SYSTEMD_WANTS=.*scanstation.service" "$out"
reject "no rule errors" "Invalid|Unknown group|no matching label|Failed to parse|error" "$out"

device 046d c31c by-serial ABC123
out=$(run_test by-serial)
expect "usb:serial= device gets the service group" "71-scanstation-site.rules:[0-9]+ GROUP $gid\$" "$out"
expect "usb:serial= device starts the service" "SYSTEMD_WANTS=.*scanstation.service" "$out"

device 05e0 1300 other
out=$(run_test other)
reject "another device keeps its group" "71-scanstation-site.rules:[0-9]+ GROUP" "$out"
reject "another device does not start the service" "SYSTEMD_WANTS=.*scanstation" "$out"
reject "no rule errors (other)" "Invalid|no matching label|Failed to parse" "$out"

if ((failures > 0)); then echo "site udev rules: $failures check(s) failed"; exit 1; fi
echo "site udev rules: all checks passed"
