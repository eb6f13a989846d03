import Foundation
import GRDB
import Testing
@testable import Ledger

@Suite struct CSVReaderTests {
    @Test func quotedFieldsHoldDelimitersLineBreaksAndQuotes() {
        let reader = CSVReader(bytes: Array("a,b,c\r\n\"x,1\",\"say \"\"hi\"\"\",\"two\nlines\"\n\nlast,,end\n".utf8))
        #expect(reader.problems.isEmpty)
        #expect(reader.records.map { $0.fields.map(\.text) } == [["a", "b", "c"], ["x,1", "say \"hi\"", "two\nlines"], ["last", "", "end"]])
        #expect(reader.records.map(\.line) == [1, 2, 5])
        #expect(reader.records[2].fields.map(\.column) == [1, 6, 7])
    }

    @Test func rowsOfBareDelimitersAreBlankLines() throws {
        // What a spreadsheet exports below the data; a quoted empty field is data.
        let reader = CSVReader(bytes: Array("sku;gtin;uom\r\nA;;kg\r\n;;\r\n ; \t;\r\n;\"\";\r\n".utf8))
        #expect(reader.problems.isEmpty)
        #expect(reader.records.map(\.line) == [1, 2, 5])
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try LedgerStore(path: directory.path("s.db"))
        let summary = try store.importCSV(.products, file: try directory.write("p.csv", "sku,gtin,description\nA,,Axle\n,,\n,,\n"))
        #expect(summary.rows == 1 && summary.inserted == 1)
    }

    @Test func bomAndSemicolonsAreDetected() {
        let reader = CSVReader(bytes: [0xEF, 0xBB, 0xBF] + Array("sku;description\nA;Schraube, 4mm\n".utf8))
        #expect(reader.delimiter == ";")
        #expect(reader.records[1].fields.map(\.text) == ["A", "Schraube, 4mm"])
        #expect(reader.records[0].fields[0].text == "sku")
    }

    @Test func brokenQuotingIsReportedWhereItIs() {
        let unclosed = CSVReader(bytes: Array("a,b\n1,\"open\n".utf8))
        #expect(unclosed.problems.map { [$0.line, $0.column] } == [[2, 3]])
        let stray = CSVReader(bytes: Array("a,b\n1,x\"y\n".utf8))
        #expect(stray.problems.map { [$0.line, $0.column] } == [[2, 4]])
        let accented = CSVReader(bytes: Array("a,b\nä€,x\"\n".utf8))
        #expect(accented.problems.map { [$0.line, $0.column] } == [[2, 5]], "columns count characters, not bytes")
        let invalid = CSVReader(bytes: Array("a,b\n".utf8) + [0x31, 0x2C, 0xC3, 0xA4, 0xFF, 0x0A])
        #expect(invalid.problems.map { [$0.line, $0.column] } == [[2, 4]])
    }
}

@Suite struct ImportTests {
    let directory: TemporaryDirectory
    let store: LedgerStore

    init() throws {
        directory = try TemporaryDirectory()
        store = try LedgerStore(path: directory.path("s.db"))
    }

    @Test func productsWithSeveralGTINsAndReimportUpdatesByKey() throws {
        let file = try directory.write("products.csv", """
            sku,gtin,description,uom,units_per_gtin,lot_tracked,expiry_tracked,ignored
            W-7,09506000134352,Widget,ea,1,yes,no,x
            W-7,4006381333931,"Widget, case of 12",ea,12,yes,no,x
            FLOUR,,Flour,kg,,0,1,

            """)
        let summary = try store.importCSV(.products, file: file)
        #expect(summary.rows == 3 && summary.inserted == 2 && summary.updated == 0)
        let match = try #require(try store.product(gtin: "4006381333931"))
        #expect(match.product == Product(sku: "W-7", description: "Widget, case of 12", unitOfMeasure: "ea", lotTracked: true, expiryTracked: false))
        #expect(match.unitsPerGTIN == 12)
        #expect(try store.product(gtin: "9506000134352")?.product.sku == "W-7")
        #expect(try store.product(sku: "FLOUR")?.expiryTracked == true)

        let again = try directory.write("products2.csv", "sku;gtin;units_per_gtin\nW-7;4006381333931;6,5\n")
        let second = try store.importCSV(.products, file: again)
        #expect(second.updated == 1 && second.inserted == 0)
        #expect(try store.product(gtin: "4006381333931")?.unitsPerGTIN == Decimal(string: "6.5")!)
    }

    @Test func reimportedReceiptAndOrderLinesCountAsUpdated() throws {
        _ = try store.importCSV(.products, file: try directory.write("p.csv", "sku\nW-7\n"))
        let receipts = try directory.write("r.csv", "receipt,line,sku,qty\nR-1,1,W-7,5\nR-1,2,W-7,6\n")
        #expect(try store.importCSV(.receipts, file: receipts).inserted == 2)
        let receiptsAgain = try store.importCSV(.receipts, file: try directory.write("r2.csv", "receipt,line,sku,qty\nR-1,2,W-7,7\nR-1,3,W-7,1\n"))
        #expect(receiptsAgain.updated == 1 && receiptsAgain.inserted == 1)
        let orders = try directory.write("o.csv", "order,line,sku,qty\nO-1,1,W-7,5\n")
        #expect(try store.importCSV(.orders, file: orders).inserted == 1)
        let ordersAgain = try store.importCSV(.orders, file: try directory.write("o2.csv", "order,line,sku,qty\nO-1,1,W-7,9\n"))
        #expect(ordersAgain.updated == 1 && ordersAgain.inserted == 0)
    }

    @Test func anOrderGivenMoreToPickByAReimportIsOpenAgain() throws {
        _ = try store.importCSV(.products, file: try directory.write("p.csv", "sku\nW-7\nG-2\n"))
        _ = try store.importCSV(.orders, file: try directory.write("o.csv", "order,line,sku,qty\nO-1,1,W-7,5\nO-2,1,W-7,5\nO-3,1,W-7,5\n"))
        try store.write(station: "s", time: 1) { transaction in
            for order in ["O-1", "O-2", "O-3"] { try transaction.setOrderStatus(order, .done) }
        }
        // The same lines again (an idempotent re-import), a smaller quantity, a larger one, a new line.
        _ = try store.importCSV(.orders, file: try directory.write("o2.csv", "order,line,sku,qty\nO-1,1,W-7,5\nO-2,1,W-7,4\nO-3,1,W-7,5\nO-3,2,G-2,1\n"))
        #expect(try store.order("O-1")?.status == .done)
        #expect(try store.order("O-2")?.status == .done)
        #expect(try store.order("O-3")?.status == .open)
        _ = try store.importCSV(.orders, file: try directory.write("o3.csv", "order,line,sku,qty\nO-1,1,W-7,9\n"))
        #expect(try store.order("O-1")?.status == .open)
        // An order being worked (in progress) stays so: it was never called finished.
        try store.write(station: "s", time: 2) { try $0.setOrderStatus("O-2", .inProgress) }
        _ = try store.importCSV(.orders, file: try directory.write("o4.csv", "order,line,sku,qty\nO-2,1,W-7,8\n"))
        #expect(try store.order("O-2")?.status == .inProgress)
    }

    @Test func productsCarryTheirStorageZoneAndAReimportWithoutTheColumnKeepsIt() throws {
        _ = try store.importCSV(.products, file: try directory.write("zoned.csv", "sku,gtin,zone\nW-7,4006381333931,A\nFLOUR,,\n"))
        #expect(try store.product(sku: "W-7")?.zone == "A")
        #expect(try store.product(sku: "FLOUR")?.zone == nil)
        // A file without the column leaves the zones; one with it sets them (empty clears).
        _ = try store.importCSV(.products, file: try directory.write("plain.csv", "sku,description\nW-7,Widget\n"))
        #expect(try store.product(sku: "W-7")?.zone == "A")
        #expect(try store.product(sku: "W-7")?.description == "Widget")
        _ = try store.importCSV(.products, file: try directory.write("rezoned.csv", "sku,zone\nW-7,\nFLOUR,B\n"))
        #expect(try store.product(sku: "W-7")?.zone == nil)
        #expect(try store.product(sku: "FLOUR")?.zone == "B")
    }

    @Test func aBadFileChangesNothingAndListsEveryProblem() throws {
        _ = try store.importCSV(.products, file: try directory.write("ok.csv", "sku\nKEEP\n"))
        let file = try directory.write("bad.csv", """
            sku,gtin,units_per_gtin,lot_tracked
            A,09506000134353,1,yes
            B,12345,1,no
            ,,1,no
            C,,abc,maybe
            D,,1,no
            """)
        let error = try #require(throws: ImportError.self) { try store.importCSV(.products, file: file) }
        #expect(error.description.split(separator: "\n").map(String.init) == [
            "\(file):2:3: GTIN '09506000134353' has a wrong check digit",
            "\(file):3:3: '12345' is not a GTIN (8, 12, 13 or 14 digits)",
            "\(file):4:1: 'sku' is required and empty",
            "\(file):5:4: 'abc' is not a decimal number with at most 6 decimals ('.' as decimal mark)",
            "\(file):5:8: 'maybe' is not a boolean; use true/false, yes/no or 1/0",
        ])
        #expect(try store.read { try String.fetchAll($0, sql: "SELECT sku FROM product") } == ["KEEP"])
    }

    @Test func anEmptyFileIsOneProblemNamingTheColumnsItNeeds() throws {
        for content in ["", "\n\n", "\u{FEFF};;\r\n"] {
            let file = try directory.write("empty.csv", content)
            let error = try #require(throws: ImportError.self) { try store.importCSV(.orders, file: file) }
            #expect(error.description == "\(file):1:1: the file is empty; it needs a header row with at least order, line, sku, qty")
        }
    }

    @Test func aGTINDoesNotMoveSilentlyFromAProductTheFileDoesNotList() throws {
        _ = try store.importCSV(.products, file: try directory.write("p.csv", "sku,gtin,units_per_gtin\nW-7,4006381333931,1\nW-7,14006381333938,12\nB-3,4006381333948,1\n"))
        // A typo'd row giving W-7's GTIN to a new product: refused, nothing changes.
        let typo = try directory.write("typo.csv", "sku,gtin\nC-1,4006381333948\nD-1,4006381333931\n")
        let error = try #require(throws: ImportError.self) { try store.importCSV(.products, file: typo) }
        #expect(error.problems.map { [$0.line, $0.column] } == [[2, 5], [3, 5]])
        #expect(error.problems.last?.message.contains("GTIN 04006381333931 already belongs to product W-7") == true, "\(error.problems)")
        #expect(try store.product(gtin: "4006381333931")?.product.sku == "W-7")
        #expect(try store.product(sku: "D-1") == nil)
        // A file that lists the old owner too is a deliberate move: taken.
        _ = try store.importCSV(.products, file: try directory.write("move.csv", "sku,gtin,units_per_gtin\nW-7,14006381333938,12\nD-1,4006381333931,1\n"))
        #expect(try store.product(gtin: "4006381333931")?.product.sku == "D-1")
        // Re-importing a product's own GTIN is an update, as before.
        #expect(try store.importCSV(.products, file: try directory.write("same.csv", "sku,gtin\nB-3,4006381333948\n")).updated == 1)
    }

    @Test func locationsDefaultTheirBarcodeAndCheckKinds() throws {
        _ = try store.importCSV(.locations, file: try directory.write("l.csv", "code,barcode,kind,zone,sequence\nDOCK-1,,dock,A,1\nB-02-04,LOC-B0204,storage,B,20\n"))
        #expect(try store.location(barcode: "DOCK-1")?.kind == .dock)
        #expect(try store.location(barcode: "LOC-B0204")?.code == "B-02-04")
        #expect(try store.locations(kind: .storage).map(\.sequence) == [20])
        let bad = try directory.write("bad.csv", "code,kind\nX,shelf\nY,dock\nY,pick\n")
        let error = try #require(throws: ImportError.self) { try store.importCSV(.locations, file: bad) }
        #expect(error.problems.map(\.line) == [2, 4, 4])
        #expect(try store.location(code: "Y") == nil)
    }

    @Test func receiptsNumberLinesByRowOrderAndNeedKnownProducts() throws {
        _ = try store.importCSV(.products, file: try directory.write("p.csv", "sku\nA\nB\n"))
        _ = try store.importCSV(.receipts, file: try directory.write("r.csv", """
            receipt;sku;qty;lot;expiry;sscc
            R1;A;10;L1;2027-03-01;012345670000000015
            R1;B;2,5;;;
            R2;A;1;;;
            """))
        let receipt = try #require(try store.receipt("R1"))
        #expect(receipt.lines == [
            ReceiptLine(line: 1, sscc: "012345670000000015", sku: "A", expected: 10, lot: "L1", expiry: "2027-03-01"),
            ReceiptLine(line: 2, sku: "B", expected: Decimal(string: "2.5")!),
        ])
        #expect(try store.receipts(sscc: "012345670000000015").map(\.receipt) == ["R1"])
        let bad = try directory.write("bad.csv", "receipt,line,sku,qty,expiry\nR3,1,ZZZ,1,2027-02-30\nR3,2,A,-1,\n")
        let error = try #require(throws: ImportError.self) { try store.importCSV(.receipts, file: bad) }
        #expect(error.problems.map { "\($0.line):\($0.column)" } == ["2:6", "2:12", "3:8"])
        #expect(try store.receipt("R3") == nil)
    }

    @Test func ordersAndOperators() throws {
        _ = try store.importCSV(.products, file: try directory.write("p.csv", "sku\nA\n"))
        _ = try store.importCSV(.orders, file: try directory.write("o.csv", "order,line,sku,qty\nO1,1,A,3\nO1,2,A,4\n"))
        #expect(try store.order("O1")?.lines.map(\.ordered) == [3, 4])
        _ = try store.importCSV(.operators, file: try directory.write("op.csv", "badge,name\nOP-1,Ana\n"))
        #expect(try store.operator(badge: "OP-1")?.name == "Ana")
        let missing = try directory.write("m.csv", "order,sku,qty\nO2,A,1\n")
        let error = try #require(throws: ImportError.self) { try store.importCSV(.orders, file: missing) }
        #expect(error.description == "\(missing):1:1: the header has no 'line' column, which is required")
    }

    /// A wrong path says why in the system's words, not Foundation's error numbers.
    @Test func unreadablePathsSayWhy() throws {
        let absent = directory.path("absent.csv")
        let noFile = try #require(throws: ImportError.self) { try store.importCSV(.products, file: absent) }
        #expect(noFile.description == "\(absent):1:1: cannot read the file (No such file or directory)")
        let folder = directory.path("")
        let isFolder = try #require(throws: ImportError.self) { try store.importCSV(.products, file: folder) }
        #expect(isFolder.description == "\(folder):1:1: cannot read the file (is a directory, not a file)")
        #expect(try FileContents.bytes(atPath: "/dev/null").isEmpty)
    }
}
