/// The host keyboard layout a keyboard-wedge scanner's keystrokes are read in. Tables are
/// generated from the XKB data (rules evdev, model pc105) by Tools/generate-keyboard-layouts.py.
public enum KeyboardLayout: String, Sendable, Hashable, CaseIterable {
    case us, uk, de, fr, es, it

    /// The XKB layout name (`setxkbmap -layout`).
    public var xkbName: String {
        switch self {
        case .uk: "gb"
        default: rawValue
        }
    }
}
