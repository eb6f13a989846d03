#!/usr/bin/env python3
"""Generates Sources/HIDDecoding/Keyboard/KeyboardLayoutTables.swift from the system's XKB data.

    python3 Tools/generate-keyboard-layouts.py > Sources/HIDDecoding/Keyboard/KeyboardLayoutTables.swift

libxkbcommon (through ctypes) is the reference: for every layout, every HID keyboard usage and
every combination of Shift, Caps Lock, Control, Num Lock and AltGr (Level 3), the table holds the
keysym and the UTF-8 text that `xkb_state_key_get_one_sym` and `xkb_state_key_get_utf8` give,
exactly as an X or Wayland session with rules=evdev model=pc105 would. Dead keys are resolved with
the en_US.UTF-8 Compose table (`xkb_compose_*`). The HID usage -> Linux keycode step is the
kernel's `hid_keyboard[]` table (drivers/hid/hid-input.c); XKB keycodes are Linux keycodes + 8.

The test KeyboardLayoutTableTests runs this script and compares its output with the committed
file, so a table that drifts from libxkbcommon fails the build's tests.
Needs: python3, libxkbcommon0 (libxkbcommon.so.0), xkb-data, libx11-data (Compose).
"""
import ctypes
import ctypes.util
import sys

LAYOUTS = [("us", "us"), ("uk", "gb"), ("de", "de"), ("fr", "fr"), ("es", "es"), ("it", "it")]
RULES, MODEL = b"evdev", b"pc105"
COMPOSE_LOCALE = b"en_US.UTF-8"

# HID Usage Tables, Keyboard/Keypad page (0x07) -> Linux input keycode, as the kernel's
# hid_keyboard[] maps them (0 = no key). Written from the usage tables and
# include/uapi/linux/input-event-codes.h.
HID_KEYBOARD = [0] * 256
def _assign(first_usage, keycodes):
    for index, keycode in enumerate(keycodes):
        HID_KEYBOARD[first_usage + index] = keycode
# 0x04..0x1D: a..z (KEY_A=30, B=48, C=46, D=32, E=18, F=33, G=34, H=35, I=23, J=36, K=37, L=38,
# M=50, N=49, O=24, P=25, Q=16, R=19, S=31, T=20, U=22, V=47, W=17, X=45, Y=21, Z=44)
_assign(0x04, [30, 48, 46, 32, 18, 33, 34, 35, 23, 36, 37, 38, 50, 49, 24, 25, 16, 19, 31, 20, 22, 47, 17, 45, 21, 44])
_assign(0x1E, [2, 3, 4, 5, 6, 7, 8, 9, 10, 11])            # 1..9, 0
_assign(0x28, [28, 1, 14, 15, 57, 12, 13, 26, 27, 43, 43])  # Enter Esc Backspace Tab Space - = [ ] \ Non-US#
_assign(0x33, [39, 40, 41, 51, 52, 53, 58])                 # ; ' ` , . / CapsLock
_assign(0x3A, list(range(59, 69)) + [87, 88])              # F1..F10, F11, F12
_assign(0x46, [99, 70, 119, 110, 102, 104, 111, 107, 109, 106, 105, 108, 103])  # PrtSc ScrLk Pause Ins Home PgUp Del End PgDn Right Left Down Up
_assign(0x53, [69, 98, 55, 74, 78, 96, 79, 80, 81, 75, 76, 77, 71, 72, 73, 82, 83])  # NumLock KP/ KP* KP- KP+ KPEnter KP1..KP9 KP0 KP.
_assign(0x64, [86, 127, 116, 117])                          # Non-US\ Application Power KP=
_assign(0x68, list(range(183, 195)))                        # F13..F24
_assign(0x74, [134, 138, 130, 132, 128, 129, 131, 137, 133, 135, 136, 113, 115, 114])  # Execute..Find Mute VolUp VolDown
_assign(0x85, [121])                                        # KP,
_assign(0x87, [89, 93, 124, 92, 94, 95])                    # International1..6
_assign(0x90, [122, 123, 90, 91, 85])                       # LANG1..5
_assign(0x9C, [111])                                        # Clear
_assign(0xB6, [179, 180])                                   # KP( KP)
_assign(0xD8, [111])                                        # KP Clear
_assign(0xE0, [29, 42, 56, 125, 97, 54, 100, 126])          # LCtrl LShift LAlt LMeta RCtrl RShift RAlt RMeta

# The index bits of a table row, in this order; the decoder uses the same order.
SHIFT, LOCK, CONTROL, NUMLOCK, LEVEL3 = 1, 2, 4, 8, 16
COMBINATIONS = 32

lib = ctypes.CDLL(ctypes.util.find_library("xkbcommon") or "libxkbcommon.so.0")


class RuleNames(ctypes.Structure):
    _fields_ = [(name, ctypes.c_char_p) for name in ("rules", "model", "layout", "variant", "options")]


lib.xkb_context_new.restype = ctypes.c_void_p
lib.xkb_context_new.argtypes = [ctypes.c_int]
lib.xkb_keymap_new_from_names.restype = ctypes.c_void_p
lib.xkb_keymap_new_from_names.argtypes = [ctypes.c_void_p, ctypes.POINTER(RuleNames), ctypes.c_int]
lib.xkb_keymap_mod_get_index.restype = ctypes.c_uint32
lib.xkb_keymap_mod_get_index.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
lib.xkb_state_new.restype = ctypes.c_void_p
lib.xkb_state_new.argtypes = [ctypes.c_void_p]
lib.xkb_state_unref.argtypes = [ctypes.c_void_p]
lib.xkb_state_update_mask.argtypes = [ctypes.c_void_p] + [ctypes.c_uint32] * 6
lib.xkb_state_update_key.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int]
lib.xkb_state_serialize_mods.restype = ctypes.c_uint32
lib.xkb_state_serialize_mods.argtypes = [ctypes.c_void_p, ctypes.c_int]
lib.xkb_state_key_get_one_sym.restype = ctypes.c_uint32
lib.xkb_state_key_get_one_sym.argtypes = [ctypes.c_void_p, ctypes.c_uint32]
lib.xkb_state_key_get_utf8.restype = ctypes.c_int
lib.xkb_state_key_get_utf8.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_char_p, ctypes.c_size_t]
lib.xkb_keysym_get_name.restype = ctypes.c_int
lib.xkb_keysym_get_name.argtypes = [ctypes.c_uint32, ctypes.c_char_p, ctypes.c_size_t]
lib.xkb_compose_table_new_from_locale.restype = ctypes.c_void_p
lib.xkb_compose_table_new_from_locale.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
lib.xkb_compose_state_new.restype = ctypes.c_void_p
lib.xkb_compose_state_new.argtypes = [ctypes.c_void_p, ctypes.c_int]
lib.xkb_compose_state_reset.argtypes = [ctypes.c_void_p]
lib.xkb_compose_state_feed.restype = ctypes.c_int
lib.xkb_compose_state_feed.argtypes = [ctypes.c_void_p, ctypes.c_uint32]
lib.xkb_compose_state_get_status.restype = ctypes.c_int
lib.xkb_compose_state_get_status.argtypes = [ctypes.c_void_p]
lib.xkb_compose_state_get_utf8.restype = ctypes.c_int
lib.xkb_compose_state_get_utf8.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t]

XKB_KEY_DOWN = 1
XKB_STATE_MODS_DEPRESSED = 1
XKB_COMPOSE_COMPOSED = 2
XKB_KEY_SPACE = 0x20


def fail(message):
    sys.stderr.write("generate-keyboard-layouts: " + message + "\n")
    sys.exit(1)


def keysym_name(keysym):
    buffer = ctypes.create_string_buffer(64)
    lib.xkb_keysym_get_name(keysym, buffer, 64)
    return buffer.value.decode()


def is_dead(keysym):
    return 0xFE50 <= keysym <= 0xFE8F


def utf8_of(state, keycode):
    buffer = ctypes.create_string_buffer(64)
    length = lib.xkb_state_key_get_utf8(state, keycode, buffer, 64)
    return buffer.raw[:max(length, 0)]


context = lib.xkb_context_new(0)
if not context:
    fail("xkb_context_new failed")


def layout_table(xkb_name):
    names = RuleNames(RULES, MODEL, xkb_name.encode(), b"", b"")
    keymap = lib.xkb_keymap_new_from_names(context, ctypes.byref(names), 0)
    if not keymap:
        fail("cannot compile the XKB keymap for layout " + xkb_name + "; is xkb-data installed?")
    real = {name: 1 << lib.xkb_keymap_mod_get_index(keymap, name.encode()) for name in ("Shift", "Lock", "Control", "Mod1", "Mod2", "Mod4", "Mod5")}

    # What each modifier key of the boot report's modifier byte sets, in the decoder's bits.
    modifier_bits = []
    for bit in range(8):
        state = lib.xkb_state_new(keymap)
        lib.xkb_state_update_key(state, HID_KEYBOARD[0xE0 + bit] + 8, XKB_KEY_DOWN)
        mask = lib.xkb_state_serialize_mods(state, XKB_STATE_MODS_DEPRESSED)
        lib.xkb_state_unref(state)
        bits = 0
        bits |= SHIFT if mask & real["Shift"] else 0
        bits |= CONTROL if mask & real["Control"] else 0
        bits |= LEVEL3 if mask & real["Mod5"] else 0
        bits |= 32 if mask & real["Mod1"] else 0   # Alt: not a level modifier here
        bits |= 64 if mask & real["Mod4"] else 0   # Super
        modifier_bits.append(bits)

    rows = []
    state = lib.xkb_state_new(keymap)
    for usage in range(0x04, 0xE0):
        keycode = HID_KEYBOARD[usage]
        if keycode == 0:
            continue
        entries, indices = [], []
        for combination in range(COMBINATIONS):
            mask = 0
            mask |= real["Shift"] if combination & SHIFT else 0
            mask |= real["Lock"] if combination & LOCK else 0
            mask |= real["Control"] if combination & CONTROL else 0
            mask |= real["Mod2"] if combination & NUMLOCK else 0
            mask |= real["Mod5"] if combination & LEVEL3 else 0
            lib.xkb_state_update_mask(state, mask, 0, 0, 0, 0, 0)
            keysym = lib.xkb_state_key_get_one_sym(state, keycode + 8)
            entry = (keysym, utf8_of(state, keycode + 8))
            if entry not in entries:
                entries.append(entry)
            indices.append(entries.index(entry))
        if all(keysym == 0 for keysym, _ in entries):
            continue
        rows.append((usage, keycode, entries, indices))
    lib.xkb_state_unref(state)
    return modifier_bits, rows


DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def encode_row(usage, entries, indices):
    cells = " ".join("%x:%s" % (keysym, utf8.hex()) for keysym, utf8 in entries)
    return "%02x %s %s" % (usage, "".join(DIGITS[i] for i in indices), cells)


def compose_rows(all_rows):
    table = lib.xkb_compose_table_new_from_locale(context, COMPOSE_LOCALE, 0)
    if not table:
        fail("cannot load the Compose table for " + COMPOSE_LOCALE.decode() + "; is libx11-data installed?")
    compose = lib.xkb_compose_state_new(table, 0)
    dead, others = set(), {XKB_KEY_SPACE}
    for rows in all_rows:
        for _, _, entries, _ in rows:
            for keysym, _ in entries:
                (dead if is_dead(keysym) else others).add(keysym)
    results = []
    for first in sorted(dead):
        for second in sorted(others | dead):
            lib.xkb_compose_state_reset(compose)
            lib.xkb_compose_state_feed(compose, first)
            lib.xkb_compose_state_feed(compose, second)
            if lib.xkb_compose_state_get_status(compose) != XKB_COMPOSE_COMPOSED:
                continue
            buffer = ctypes.create_string_buffer(64)
            length = lib.xkb_compose_state_get_utf8(compose, buffer, 64)
            if length > 0:
                results.append("%x %x %s" % (first, second, buffer.raw[:length].hex()))
    return results


def main():
    tables = [(name, xkb, *layout_table(xkb)) for name, xkb in LAYOUTS]
    out = []
    out.append("// Generated by Tools/generate-keyboard-layouts.py from the XKB data (xkb-data) through")
    out.append("// libxkbcommon, rules=%s model=%s; dead keys from the %s Compose table." % (RULES.decode(), MODEL.decode(), COMPOSE_LOCALE.decode()))
    out.append("// Do not edit: run the script again. KeyboardLayoutTableTests checks this file against libxkbcommon.")
    out.append("//")
    out.append("// Row format: `UU IIII…(32) K:U K:U …`: the HID usage (hex), then for each of the 32 combinations")
    out.append("// of Shift(1) Lock(2) Control(4) NumLock(8) Level3(16) the index (0-9a-zA-Z) of its cell; a cell")
    out.append("// is the keysym (hex) and the UTF-8 text (hex, empty when the key types nothing).")
    out.append("")
    out.append("enum KeyboardLayoutTables {")
    out.append("    /// The kernel's hid_keyboard[]: HID keyboard usage -> Linux keycode (0: none).")
    out.append("    static let linuxKeycodes: [UInt8] = [")
    for start in range(0, 256, 16):
        out.append("        " + ", ".join("%d" % code for code in HID_KEYBOARD[start:start + 16]) + ",")
    out.append("    ]")
    out.append("")
    for name, xkb, modifier_bits, rows in tables:
        out.append("    /// `%s` (XKB layout `%s`): decoder bits set by the modifier byte's bits 0-7" % (name, xkb))
        out.append("    /// (1 Shift, 4 Control, 16 Level3, 32 Alt, 64 Super).")
        out.append("    static let %sModifiers: [UInt8] = [%s]" % (name, ", ".join(str(b) for b in modifier_bits)))
        out.append("    static let %s = \"\"\"" % name)
        for usage, keycode, entries, indices in rows:
            out.append("        " + encode_row(usage, entries, indices))
        out.append("        \"\"\"")
        out.append("")
    out.append("    /// Dead key compositions: `DEAD SECOND UTF8` (keysyms in hex).")
    out.append("    static let compose = \"\"\"")
    for row in compose_rows([rows for _, _, _, rows in tables]):
        out.append("        " + row)
    out.append("        \"\"\"")
    out.append("}")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
