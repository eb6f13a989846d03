/// GS1 trade measures (AIs 310n-369n of a trade item, as opposed to the logistic unit's
/// 330n-369n "log" ones) and the units of measure products are kept in.
enum TradeMeasure {
    /// The first three digits of the AIs that measure the trade item itself.
    static let tradeAIs: Set<String> = [
        "310", "311", "312", "313", "314", "315", "316", "320", "321", "322", "323", "324", "325", "326", "327", "328",
        "329", "350", "351", "352", "356", "357", "360", "361", "364", "365", "366",
    ]

    static func isTradeMeasure(ai: String) -> Bool {
        ai.utf8.count == 4 && tradeAIs.contains(String(ai.prefix(3)))
    }

    /// Other spellings of the GS1 measure units (UN/ECE Rec 20 codes among them).
    static let aliases: [String: String] = [
        "kgm": "kg", "kilogram": "kg", "mtr": "m", "metre": "m", "meter": "m", "ltr": "l", "litre": "l", "liter": "l",
        "lbr": "lb", "lbs": "lb", "mtk": "m2", "m²": "m2", "mtq": "m3", "m³": "m3", "inh": "in", "ft²": "ft2", "in²": "in2",
        "yd²": "yd2", "ft³": "ft3", "in³": "in3", "yd³": "yd3",
    ]

    /// The GS1 unit a product's unit of measure names ("KG" → "kg"), nil for counted units.
    static func unit(_ productUnit: String) -> String? {
        let lowered = productUnit.lowercased()
        let unit = aliases[lowered] ?? lowered
        return measureUnits.contains(unit) ? unit : nil
    }

    /// Whether quantities of a product kept in this unit may have a fraction: a GS1
    /// measure unit, or another common unit of weight, length or volume ("g", "cm", "ml").
    /// Anything else ("pcs", "ea", "box", "") counts whole pieces.
    static func isDivisible(_ productUnit: String) -> Bool {
        unit(productUnit) != nil || otherMeasureUnits.contains(productUnit.lowercased())
    }

    /// Units of measure that are not GS1 trade measures but measure all the same.
    /// (UN/ECE Rec 20 codes among them: GRM gram, MMT millimetre, CMT centimetre, MLT millilitre.)
    static let otherMeasureUnits: Set<String> = [
        "g", "gram", "grm", "mg", "t", "oz", "mm", "mmt", "cm", "cmt", "km", "ml", "mlt", "cl", "dl", "hl",
    ]

    static let measureUnits: Set<String> = [
        "kg", "m", "m2", "l", "m3", "lb", "in", "ft", "yd", "in2", "ft2", "yd2", "ozt", "floz", "qt", "gal", "in3", "ft3", "yd3",
    ]
}
