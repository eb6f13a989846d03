#!/usr/bin/python3
"""Test driver for runtime device changes under umockdev (run under umockdev-wrapper).

    umockdev-wrapper /usr/bin/python3 testbed.py [options] -- COMMAND...

Options (repeatable where it makes sense):
  --device FILE.umockdev      add this device before starting COMMAND
  --pcap SYSFS=FILE.pcap      replay this usbmon capture for the device at SYSFS
  --plug-after SECONDS        start with an empty bus; plug the devices in after this delay
  --unplug-after SECONDS      unplug them this long after plugging
  --replug-after SECONDS      plug a device in again this long after unplugging: the
                              --replug-device description (a new address, as on real
                              hardware) with its --replug-pcap replay
  --open-testbed              make the testbed usable by other users while the device
                              nodes stay root-only (permission tests run COMMAND as nobody)
Prints PLUGGED / UNPLUGGED / REPLUGGED on stderr when it does so; exits with COMMAND's status.
"""
import os
import subprocess
import sys
import time

import gi
gi.require_version('UMockdev', '1.0')
from gi.repository import UMockdev


def main():
    args = sys.argv[1:]
    split = args.index('--')
    options, command = args[:split], args[split + 1:]
    devices, pcaps, replug_devices, replug_pcaps = [], [], [], []
    plug_after = unplug_after = replug_after = None
    open_testbed = False
    i = 0
    while i < len(options):
        name = options[i]
        if name == '--open-testbed':
            open_testbed = True
            i += 1
            continue
        value = options[i + 1]
        if name == '--device':
            devices.append(value)
        elif name == '--pcap':
            pcaps.append(tuple(value.split('=', 1)))
        elif name == '--replug-device':
            replug_devices.append(value)
        elif name == '--replug-pcap':
            replug_pcaps.append(tuple(value.split('=', 1)))
        elif name == '--plug-after':
            plug_after = float(value)
        elif name == '--unplug-after':
            unplug_after = float(value)
        elif name == '--replug-after':
            replug_after = float(value)
        i += 2

    testbed = UMockdev.Testbed.new()
    assert UMockdev.in_mock_environment(), 'run under umockdev-wrapper'
    root = testbed.get_root_dir()

    def syspath_of(path):
        with open(path) as description:
            return '/sys' + description.readline().split(': ', 1)[1].strip()

    def plug(devices, pcaps):
        syspaths = []
        for path in devices:
            testbed.add_from_file(path)
            syspaths.append(syspath_of(path))
        for sysfs, replay in pcaps:
            testbed.load_pcap(sysfs, replay)
        return syspaths

    def unplug(syspaths):
        for syspath in syspaths:
            testbed.uevent(syspath, 'remove')
            testbed.remove_device(syspath)

    syspaths = [] if plug_after is not None else plug(devices, pcaps)
    if open_testbed:
        for directory, subdirectories, files in os.walk(root):
            os.chmod(directory, 0o777)  # umockdev's udev monitor makes its socket here
            for name in files:
                path = os.path.join(directory, name)
                if os.path.relpath(path, root).startswith('ioctl'):
                    os.chmod(path, 0o666)  # umockdev's own sockets: anyone may talk to the emulation
                    continue
                try:
                    os.chmod(path, 0o600 if '/dev/' in path else 0o644)
                except FileNotFoundError:
                    pass  # a dangling link of umockdev's own
    child = subprocess.Popen(command)
    if plug_after is not None:
        time.sleep(plug_after)
        syspaths = plug(devices, pcaps)
        print('PLUGGED', file=sys.stderr, flush=True)
        if unplug_after is not None:
            time.sleep(unplug_after)
            unplug(syspaths)
            print('UNPLUGGED', file=sys.stderr, flush=True)
            if replug_after is not None:
                time.sleep(replug_after)
                plug(replug_devices, replug_pcaps)
                print('REPLUGGED', file=sys.stderr, flush=True)
    sys.exit(child.wait())


if __name__ == '__main__':
    main()
