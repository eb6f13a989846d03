# Shared by check-udev-rules.sh and check-site-udev-rules.sh (sourced, not run): emulated
# USB devices for `udevadm test` under umockdev, and the checks' ok/FAIL bookkeeping.
# The caller sets `work` (a temporary directory) and `rules_dir`, and runs from the repo root.
failures=0

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

run_test() { # NAME -> udevadm test output, with $rules_dir as /etc/udev/rules.d
    mkdir -p /etc/udev/rules.d
    unshare -m sh -c "mount --bind '$rules_dir' /etc/udev/rules.d && umockdev-run -d '$work/$1.umockdev' -- '$udevadm' test --action=add /sys/devices/pci0000:00/0000:00:14.0/usb1/1-1" 2>&1
}

expect() { # DESCRIPTION GREP-PATTERN OUTPUT
    if grep -qE "$2" <<<"$3"; then echo "ok: $1"; else echo "FAIL: $1"; failures=$((failures + 1)); fi
}
reject() {
    if grep -qE "$2" <<<"$3"; then echo "FAIL: $1"; grep -E "$2" <<<"$3" | head -5; failures=$((failures + 1)); else echo "ok: $1"; fi
}

command -v umockdev-run >/dev/null || { echo "FAIL: umockdev-run is not installed"; exit 1; }
# Installing Debian's udev would upgrade systemd on these machines; its udevadm runs fine
# unpacked from the package beside the installed systemd of the same major version.
udevadm=$(command -v udevadm || true)
if [[ -z "$udevadm" ]]; then
    (cd "$work" && apt-get download -qq udev >/dev/null 2>&1 && dpkg-deb -x udev_*.deb "$work/udev-root")
    udevadm="$work/udev-root/bin/udevadm"
fi
"$udevadm" --version >/dev/null
# The rules name the service group; create it from our sysusers.d file as the package does
# (this also checks that file).
getent group scanstation >/dev/null || systemd-sysusers "$(realpath systemd/scanstation.sysusers)"
gid=$(getent group scanstation | cut -d: -f3)
