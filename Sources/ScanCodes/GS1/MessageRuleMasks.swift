/// The table's invalid pairs and required associations as bit masks over the AI table, so
/// that the common message (no repeated AI, no invalid pair, every association present) is
/// confirmed with a few word ANDs instead of matching every pattern against every element.
/// Any finding sends the message to the exact pattern-by-pattern check, which reports it.
final class MessageRuleMasks: Sendable {
    /// Words in a message's presence mask: one bit per AI of the table.
    let wordsPerMask: Int
    /// Each AI's position in `ApplicationIdentifierTable.all`, by digit count and number.
    private let positionOfTwo: [Int16]
    private let positionOfThree: [Int16]
    private let positionOfFour: [Int16]
    /// The non-zero words of every mask, as (word index, bits): a group such as "01,02,8006,
    /// 8026" touches two or three words of the table's ten.
    private let maskWords: [MaskWord]
    /// Per AI position, its exclusion mask (the AIs it must not appear with, itself left out:
    /// a repeat is checked apart): `maskWords[exclusionStarts[p]..<exclusionStarts[p + 1]]`.
    private let exclusionStarts: [Int]
    /// Per AI position, its required groups: `groupStarts[p]..<groupStarts[p + 1]` index
    /// `groupWordStarts`, whose consecutive entries bound each group's words in `maskWords`.
    private let groupStarts: [Int]
    private let groupWordStarts: [Int]

    struct MaskWord: Sendable {
        let word: Int
        let bits: UInt64
    }

    init(_ all: [ApplicationIdentifier]) {
        let words = (all.count + 63) / 64
        wordsPerMask = words
        var two = [Int16](repeating: -1, count: 100)
        var three = [Int16](repeating: -1, count: 1000)
        var four = [Int16](repeating: -1, count: 10000)
        for (position, entry) in all.enumerated() {
            switch entry.code.digits {
            case 2: two[entry.code.number] = Int16(position)
            case 3: three[entry.code.number] = Int16(position)
            case 4: four[entry.code.number] = Int16(position)
            default: break
            }
        }
        positionOfTwo = two
        positionOfThree = three
        positionOfFour = four

        var maskWords: [MaskWord] = []
        /// Appends the non-zero words of the mask of AIs matching `patterns`.
        func appendMask(_ patterns: some Sequence<AICode.Pattern>, leavingOut left: Int? = nil) {
            var mask = [UInt64](repeating: 0, count: words)
            for pattern in patterns {
                for (position, entry) in all.enumerated() where position != left && pattern.matches(entry.code) {
                    mask[position / 64] |= 1 << UInt64(position % 64)
                }
            }
            for (word, bits) in mask.enumerated() where bits != 0 { maskWords.append(MaskWord(word: word, bits: bits)) }
        }
        var exclusionStarts: [Int] = []
        var groupStarts: [Int] = [0]
        var groupWordStarts: [Int] = []
        for (position, entry) in all.enumerated() {
            exclusionStarts.append(maskWords.count)
            appendMask(entry.excludedCodes, leavingOut: position)
        }
        exclusionStarts.append(maskWords.count)
        for entry in all {
            for group in entry.requiredCodes {
                groupWordStarts.append(maskWords.count)
                appendMask(group)
            }
            groupStarts.append(groupWordStarts.count)
        }
        groupWordStarts.append(maskWords.count)
        self.maskWords = maskWords
        self.exclusionStarts = exclusionStarts
        self.groupStarts = groupStarts
        self.groupWordStarts = groupWordStarts
    }

    /// The AI's position in the table, nil when the table has no such AI.
    private func position(of code: AICode) -> Int? {
        let found: Int16
        switch code.digits {
        case 2 where code.number >= 0 && code.number < 100: found = positionOfTwo[code.number]
        case 3 where code.number >= 0 && code.number < 1000: found = positionOfThree[code.number]
        case 4 where code.number >= 0 && code.number < 10000: found = positionOfFour[code.number]
        default: return nil
        }
        return found >= 0 ? Int(found) : nil
    }

    /// True when the AIs `codes` are all in the table, none repeats, no pair is invalid and
    /// every required association is present: then the message rules have nothing to say.
    func allRulesMet(_ codes: UnsafeBufferPointer<AICode>) -> Bool {
        withUnsafeTemporaryAllocation(of: Int.self, capacity: codes.count) { positions in
            withUnsafeTemporaryAllocation(of: UInt64.self, capacity: wordsPerMask) { present in
                present.initialize(repeating: 0)
                for index in codes.indices {
                    guard let position = position(of: codes[index]) else { return false }
                    let word = position / 64
                    let bit: UInt64 = 1 << UInt64(position % 64)
                    if present[word] & bit != 0 { return false }
                    present[word] |= bit
                    positions[index] = position
                }
                return maskWords.withUnsafeBufferPointer { maskWords in
                    /// Whether the mask in `maskWords[range]` shares a bit with `present`.
                    func intersects(_ range: Range<Int>) -> Bool {
                        for index in range where maskWords[index].bits & present[maskWords[index].word] != 0 { return true }
                        return false
                    }
                    for index in codes.indices {
                        let position = positions[index]
                        if intersects(exclusionStarts[position]..<exclusionStarts[position + 1]) { return false }
                        for group in groupStarts[position]..<groupStarts[position + 1]
                        where !intersects(groupWordStarts[group]..<groupWordStarts[group + 1]) {
                            return false
                        }
                    }
                    return true
                }
            }
        }
    }
}
