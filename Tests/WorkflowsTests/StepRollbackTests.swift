import ScanCodes
import Testing
@testable import Workflows

/// A rejected scan puts the state back as it was. The engine keeps what a rejection restores
/// as the step changes it (not a copy of the whole state), so each change path is checked
/// here directly: full undo histories that drop their oldest entry, replaced histories and
/// replaced tasks, in the orders a step could make them.
@Suite struct StepRollbackTests {
    static func entry(_ number: Int) -> UndoEntry {
        UndoEntry(movements: [], short: ShortRecord(order: "O-\(number)", line: number, sku: "SKU", quantity: 1))
    }

    static func engine(undoCount: Int) -> StepEngine<InMemoryCatalog> {
        var state = WorkflowState(mode: .pick, operatorBadge: "ANNA")
        state.undo = (0..<undoCount).map(entry)
        state.pendingQuantity = 3
        state.task = .shipping(door: "D-1")
        let context = StepContext(now: 1, today: CalendarDate(year: 2026, month: 11, day: 24), ids: .sequential(milliseconds: 1, counter: 1), settings: sampleSettings(mode: .pick))
        return StepEngine(state: state, catalog: sampleCatalog(), context: context)
    }

    @Test(arguments: [0, 3, UndoEntry.depth - 1, UndoEntry.depth])
    func rememberedStepsAreTakenBack(undoCount: Int) {
        let engine = Self.engine(undoCount: undoCount)
        let before = engine.state
        engine.remember(Self.entry(100))
        engine.remember(Self.entry(101))
        engine.remember(Self.entry(102))
        // The oldest are dropped only when the step is accepted (`trimUndo`).
        #expect(engine.state.undo.count == undoCount + 3)
        #expect(engine.state.undo.last == Self.entry(102))
        engine.rollBack()
        #expect(engine.state == before)
    }

    @Test(arguments: [0, 3, UndoEntry.depth - 1, UndoEntry.depth])
    func anAcceptedStepKeepsTheNewestEntries(undoCount: Int) {
        let engine = Self.engine(undoCount: undoCount)
        engine.remember(Self.entry(100))
        engine.remember(Self.entry(101))
        engine.trimUndo()
        #expect(engine.state.undo == Array(((0..<undoCount).map(Self.entry) + [Self.entry(100), Self.entry(101)]).suffix(UndoEntry.depth)))
    }

    @Test(arguments: [0, UndoEntry.depth])
    func historyReplacedAfterAppendingIsTakenBack(undoCount: Int) {
        let engine = Self.engine(undoCount: undoCount)
        let before = engine.state
        engine.remember(Self.entry(100))
        engine.setUndo([Self.entry(200)])
        engine.remember(Self.entry(201))
        engine.setTask(.none)
        engine.setTask(.shipping(door: nil))
        engine.setPendingQuantity(nil)
        #expect(engine.state.undo == [Self.entry(200), Self.entry(201)])
        engine.rollBack()
        #expect(engine.state == before)
    }

    @Test func rollingBackTwiceChangesNothingMore() {
        let engine = Self.engine(undoCount: UndoEntry.depth)
        let before = engine.state
        engine.remember(Self.entry(100))
        engine.rollBack()
        engine.rollBack()
        #expect(engine.state == before)
    }
}
