import DeviceEmulation
import Foundation
import Ledger
import Testing

/// The daemon the way a site runs it: a config file with several stations, their own
/// scanners, modes and locations, talked to over the control socket.
@Suite struct SiteDaemonScenarioTests {
    /// The station's `prefix` and `suffix` are what its scanners are set to send around each
    /// scan; a serial scanner's are removed as a USB scanner's are (they were kept: a GTIN
    /// arrived as '#4006381333931!' and was no product).
    @Test func aSerialScannersConfiguredPrefixAndSuffixAreRemoved() throws {
        let directory = try TemporaryDirectory()
        let scanner = try PseudoTerminal()
        defer { scanner.unplug() }
        let daemon = try ControlSocketTests.RunningDaemon(directory: directory, configuration: """
            database = "\(directory.path("s.db"))"
            control_socket = "\(directory.path("control.sock"))"
            listen = "off"
            [[station]]
            name = "dock-1"
            sources = ["stdin"]
            [[station]]
            name = "dock-2"
            sources = ["serial:\(scanner.slavePath)"]
            prefix = "#"
            suffix = "!"
            """)
        defer { daemon.stop() }
        // The port opens a moment after the daemon starts: what is typed before is lost,
        // as with a real scanner.
        var first: [String: Any]?
        for _ in 0..<20 where first == nil {
            scanner.type("#]E04006381333931!\r\n")
            first = try daemon.nextAnswer(timeout: 0.5)
        }
        while try daemon.nextAnswer(timeout: 0.3) != nil {}
        #expect(first?["station"] as? String == "dock-2")
        #expect(first?["input"] as? String == "]E04006381333931")
        #expect(first?["symbology"] as? String == "ean-13")
        // A scan without them is kept whole (a warning in the log says so).
        scanner.type("OP-7\r\n")
        let whole = try daemon.nextAnswer()
        #expect(whole["input"] as? String == "OP-7")
        #expect(whole["result"] as? String == "accepted")
        // The prefix and suffix alone (a scanner's no-read) are no scan, as on USB.
        scanner.type("#!\r\n#OP-8!\r\n")
        #expect(try daemon.nextAnswer()["input"] as? String == "OP-8")
    }

    /// A small warehouse in `directory`: locations with two staging lanes, WIDGET-7 (each
    /// 04006381333931), pallet 340123450000000017 of 36 on REC-1, order ORD-1 for 5, operator 17.
    static func warehouse(in directory: TemporaryDirectory) throws -> String {
        let database = directory.path("s.db")
        let files = [
            ("locations", "code,barcode,kind,zone,sequence\nDOCK-1,DOCK-1,dock,,1\nSTAGE-1,STAGE-1,staging,,1\nSTAGE-2,STAGE-2,staging,,2\nPACK-1,PACK-1,pack,,1\nA-01,LOC-A-01,storage,A,10\n"),
            ("products", "sku,gtin,description,uom,units_per_gtin,lot_tracked,expiry_tracked\nWIDGET-7,04006381333931,Widget 7,pcs,1,false,false\n"),
            ("operators", "badge,name\n17,Alex\n"),
            ("receipts", "receipt,line,sscc,sku,qty,lot,expiry\nREC-1,1,340123450000000017,WIDGET-7,36,,\n"),
            ("orders", "order,line,sku,qty\nORD-1,1,WIDGET-7,5\n"),
        ]
        for (kind, text) in files {
            let output = try ScanStationProcess.run(["import", kind, try directory.write("\(kind).csv", text), "--db", database])
            try #require(output.status == 0, "\(output.stderr)")
        }
        return database
    }

    /// The first scan on a serial scanner: typed again until the port the daemon opens a
    /// moment after starting answers; the repeats' answers are read away.
    static func firstSerialScan(_ text: String, on scanner: PseudoTerminal, _ daemon: ControlSocketTests.RunningDaemon) throws -> [String: Any]? {
        var first: [String: Any]?
        for _ in 0..<20 where first == nil {
            scanner.type(text + "\r\n")
            first = try daemon.nextAnswer(timeout: 0.5)
        }
        while try daemon.nextAnswer(timeout: 0.3) != nil {}
        return first
    }

    /// The picking station stages at its `stage_to`; a packing station with none configured
    /// packs the order from there (it looked only at the first staging location by code:
    /// 'Not enough WIDGET-7 at STAGE-1', and the order could not be packed).
    @Test func aPackingStationPacksFromTheStagingLaneThePickerUsed() throws {
        let directory = try TemporaryDirectory()
        let database = try Self.warehouse(in: directory)
        let packScanner = try PseudoTerminal()
        defer { packScanner.unplug() }
        let daemon = try ControlSocketTests.RunningDaemon(directory: directory, configuration: """
            database = "\(database)"
            control_socket = "\(directory.path("control.sock"))"
            listen = "off"
            [[station]]
            name = "dock-1"
            mode = "receive"
            modes = ["receive", "putaway", "pick"]
            sources = ["stdin"]
            stage_to = "STAGE-2"
            [[station]]
            name = "pack-1"
            mode = "pack"
            sources = ["serial:\(packScanner.slavePath)"]
            sscc_company_prefix = "4012345"
            sscc_serial_range = [1000000, 1999999]
            """)
        defer { daemon.stop() }
        for scan in ["OP-17", "REC-1", "340123450000000017", "CMD-DONE", "CMD-MODE-putaway", "340123450000000017", "LOC-A-01",
                     "CMD-MODE-pick", "ORD-1", "LOC-A-01", "CMD-QTY-5"] {
            let answer = try daemon.scan(scan)
            #expect(answer["result"] as? String == "accepted", "\(scan): \(answer)")
        }
        let picked = try daemon.scan("04006381333931")
        #expect((picked["prompt"] as? String)?.contains("Take it to STAGE-2") == true, "\(picked)")

        #expect(try Self.firstSerialScan("OP-17", on: packScanner, daemon)?["result"] as? String == "accepted")
        var answers: [[String: Any]] = []
        for scan in ["ORD-1", "CMD-NEWBOX", "CMD-QTY-5", "04006381333931", "CMD-DONE"] {
            packScanner.type(scan + "\r\n")
            answers.append(try daemon.nextAnswer())
        }
        #expect(answers.map { $0["result"] as? String } == ["accepted", "accepted", "accepted", "accepted", "accepted"], "\(answers)")
        #expect((answers.last?["prompt"] as? String)?.contains("Order ORD-1 packed.") == true, "\(answers)")

        let stock = try ScanStationProcess.run(["report", "stock", "--db", database, "--format", "csv"])
        #expect(stock.lines == [
            "location,sku,lot,expiry,container,qty",
            "A-01,WIDGET-7,,,340123450000000017,31",
            "PACK-1,WIDGET-7,,,040123450010000006,5",
        ], "\(stock.lines)")
        let check = try ScanStationProcess.run(["db", "check", "--db", database])
        #expect(check.status == 0, "\(check.stderr)")
    }

    /// Goods waiting for their lot label, and a `CMD-QTY-n` scanned then ("Quantity 3 for
    /// the next scan"): the label books n of what was scanned, across a SIGKILL of the daemon
    /// in between. Before, the label booked 1 and the 3 went to the next item scanned.
    @Test func aQuantityScannedWhileTheLotLabelIsAwaitedCountsTheWaitingGoods() throws {
        let directory = try TemporaryDirectory()
        let database = directory.path("s.db")
        let files = [
            ("locations", "code,barcode,kind,zone,sequence\nDOCK-1,DOCK-1,dock,,1\n"),
            ("products", "sku,gtin,description,uom,units_per_gtin,lot_tracked,expiry_tracked\nGEL-2,09506000134352,Gel 2,pcs,1,true,true\nGEL-2,19506000134359,Gel 2 case of 6,pcs,6,true,true\n"),
            ("receipts", "receipt,line,sscc,sku,qty,lot,expiry\nREC-1,1,,GEL-2,30,L42,2027-06-30\n"),
        ]
        for (kind, text) in files {
            let output = try ScanStationProcess.run(["import", kind, try directory.write("\(kind).csv", text), "--db", database])
            try #require(output.status == 0, "\(output.stderr)")
        }
        let configuration = """
            database = "\(database)"
            control_socket = "\(directory.path("control.sock"))"
            listen = "off"
            [[station]]
            name = "dock-1"
            mode = "receive"
            sources = ["stdin"]
            """
        var daemon = try ControlSocketTests.RunningDaemon(directory: directory, configuration: configuration)
        #expect(try daemon.scan("REC-1")["result"] as? String == "accepted")
        #expect(try daemon.scan("09506000134352")["prompt"] as? String == "Scan the lot and expiry label of GEL-2.")
        #expect(try daemon.scan("CMD-QTY-3")["prompt"] as? String == "Quantity 3 for the next scan. Scan the lot and expiry label of GEL-2.")
        kill(daemon.process.processIdentifier, SIGKILL)
        daemon.process.waitUntilExit()
        daemon = try ControlSocketTests.RunningDaemon(directory: directory, configuration: configuration)
        defer { daemon.stop() }
        let booked = try daemon.scan("(10)L42(17)270630")
        #expect(booked["prompt"] as? String == "Received 3 GEL-2. Scan the next pallet or item, or CMD-DONE.", "\(booked)")
        // A case: CMD-QTY-2 after it is two cases.
        _ = try daemon.scan("19506000134359")
        _ = try daemon.scan("CMD-QTY-2")
        #expect(try daemon.scan("(10)L42(17)270630")["prompt"] as? String == "Received 12 GEL-2. Scan the next pallet or item, or CMD-DONE.")
        // The next item is one again.
        _ = try daemon.scan("09506000134352")
        #expect(try daemon.scan("(10)L42(17)270630")["prompt"] as? String == "Received 1 GEL-2. Scan the next pallet or item, or CMD-DONE.")
        let receipts = try ScanStationProcess.run(["report", "receipts", "--db", database, "--format", "csv"])
        #expect(receipts.lines.last == "REC-1,in_progress,1,GEL-2,L42,2027-06-30,,30,16,14,false", "\(receipts.lines)")
    }

    /// Expired stock at a pick face: picking follows the station's `expired` policy, as
    /// receiving does. Before, FEFO sent the picker to the expired lot and refused the good
    /// one ('Wrong lot. Pick lot OLD.') whatever the policy said.
    @Test func pickingFollowsTheExpiredPolicy() throws {
        let directory = try TemporaryDirectory()
        let database = directory.path("s.db")
        let files = [
            ("locations", "code,barcode,kind,zone,sequence\nDOCK-1,DOCK-1,dock,,1\nSTAGE-1,STAGE-1,staging,,1\nA-01,LOC-A-01,storage,A,10\n"),
            ("products", "sku,gtin,description,uom,units_per_gtin,lot_tracked,expiry_tracked\nGEL-2,09506000134352,Gel 2,pcs,1,true,true\n"),
            ("receipts", "receipt,line,sscc,sku,qty,lot,expiry\nREC-1,1,,GEL-2,10,,\n"),
            ("orders", "order,line,sku,qty\nORD-1,1,GEL-2,4\n"),
        ]
        for (kind, text) in files {
            let output = try ScanStationProcess.run(["import", kind, try directory.write("\(kind).csv", text), "--db", database])
            try #require(output.status == 0, "\(output.stderr)")
        }
        func configuration(expired: String) -> String {
            """
            database = "\(database)"
            control_socket = "\(directory.path("control.sock"))"
            listen = "off"
            [[station]]
            name = "dock-1"
            mode = "receive"
            modes = ["receive", "putaway", "pick"]
            sources = ["stdin"]
            [station.policy]
            expired = "\(expired)"
            """
        }
        let daemon = try ControlSocketTests.RunningDaemon(directory: directory, configuration: configuration(expired: "warn"))
        defer { daemon.stop() }
        for scan in ["REC-1", "(01)09506000134352(10)OLD(17)240101(30)5", "(01)09506000134352(10)NEW(17)391231(30)5", "CMD-DONE",
                     "CMD-MODE-putaway", "(01)09506000134352(10)OLD", "CMD-QTY-5", "LOC-A-01", "(01)09506000134352(10)NEW", "CMD-QTY-5", "LOC-A-01",
                     "CMD-MODE-pick"] {
            _ = try daemon.scan(scan)
        }
        let started = try daemon.scan("ORD-1")
        #expect(started["prompt"] as? String == "Order ORD-1 started. Go to A-01 for 4 GEL-2 lot NEW. Scan the location.", "\(started)")
        _ = try daemon.scan("LOC-A-01")
        let good = try daemon.scan("(01)09506000134352(10)NEW(17)391231")
        #expect(good["result"] as? String == "accepted", "\(good)")
        // warn: the expired lot may be taken, and the picker is told.
        let lapsed = try daemon.scan("(01)09506000134352(10)OLD(17)240101")
        #expect(lapsed["result"] as? String == "warning", "\(lapsed)")
        #expect((lapsed["error"] as? [String: Any])?["code"] as? String == "expired")
        #expect(lapsed["prompt"] as? String == "GEL-2 expired on 2024-01-01. Picked 1 GEL-2. Pick 2 GEL-2 lot NEW at A-01. Scan the item.")

        // reject (the default): the expired lot is refused, the good one named.
        try directory.write("scanstation.toml", configuration(expired: "reject"))
        #expect(try ScanStationProcess.run(["reload", "--socket", daemon.socket]).status == 0)
        let refused = try daemon.scan("(01)09506000134352(10)OLD(17)240101")
        #expect(refused["result"] as? String == "rejected", "\(refused)")
        #expect((refused["error"] as? [String: Any])?["code"] as? String == "expired")
        #expect(refused["prompt"] as? String == "GEL-2 expired on 2024-01-01. Wrong lot. Pick lot NEW. Pick 2 GEL-2 lot NEW at A-01. Scan the item.")
        // A scan naming no lot takes a good one.
        _ = try daemon.scan("CMD-QTY-2")
        let rest = try daemon.scan("09506000134352")
        #expect(rest["result"] as? String == "accepted", "\(rest)")
        let stock = try ScanStationProcess.run(["report", "stock", "--db", database, "--format", "csv"])
        #expect(stock.lines == [
            "location,sku,lot,expiry,container,qty",
            "A-01,GEL-2,NEW,2039-12-31,,2",
            "A-01,GEL-2,OLD,2024-01-01,,4",
            "STAGE-1,GEL-2,NEW,2039-12-31,,3",
            "STAGE-1,GEL-2,OLD,2024-01-01,,1",
        ], "\(stock.lines)")
    }

    /// Goods kept by weight: the label's net weight (AI 310n) is the quantity received, on a
    /// case label and on a pallet label. Before, a 12.5 kg sack was booked as 1 FLOUR and the
    /// pallet label's 480.25 kg were not read as its contents.
    @Test func goodsKeptByWeightAreReceivedByTheLabelsNetWeight() throws {
        let directory = try TemporaryDirectory()
        let database = directory.path("s.db")
        let files = [
            ("locations", "code,barcode,kind,zone,sequence\nDOCK-1,DOCK-1,dock,,1\n"),
            ("products", "sku,gtin,description,uom,units_per_gtin,lot_tracked,expiry_tracked\nFLOUR,09506000134369,Flour,kg,1,true,true\n"),
            ("receipts", "receipt,line,sscc,sku,qty,lot,expiry\nREC-1,1,,FLOUR,12.5,F1,2027-06-30\nREC-1,2,340123450000000031,FLOUR,480,F2,2027-06-30\n"),
        ]
        for (kind, text) in files {
            let output = try ScanStationProcess.run(["import", kind, try directory.write("\(kind).csv", text), "--db", database])
            try #require(output.status == 0, "\(output.stderr)")
        }
        let daemon = try ControlSocketTests.RunningDaemon(directory: directory, configuration: """
            database = "\(database)"
            control_socket = "\(directory.path("control.sock"))"
            listen = "off"
            language = "de"
            [[station]]
            name = "dock-1"
            mode = "receive"
            sources = ["stdin"]
            """)
        defer { daemon.stop() }
        #expect(try daemon.scan("REC-1")["result"] as? String == "accepted")
        let sack = try daemon.scan("]C10109506000134369310100012510F1\u{1D}17270630")
        #expect(sack["result"] as? String == "accepted", "\(sack)")
        #expect(sack["prompt"] as? String == "12.5 FLOUR eingegangen. Nächste Palette oder Artikel scannen, oder CMD-DONE.")
        // The receipt expects 480 kg on the pallet; its label says 480.25: the worker is asked.
        let label = "]C1003401234500000000310209506000134369310204802510F2\u{1D}17270630"
        let pallet = try daemon.scan(label)
        #expect(pallet["result"] as? String == "warning", "\(pallet)")
        #expect((pallet["prompt"] as? String)?.contains("Etikett 480.25 FLOUR (F2), Avis 480 FLOUR (F2)") == true, "\(pallet)")
        let confirmed = try daemon.scan(label)
        // 0.25 kg more than the receipt expects: the station's over-receipt policy (warn).
        #expect(confirmed["result"] as? String == "warning", "\(confirmed)")
        #expect(confirmed["prompt"] as? String == "Überlieferung: FLOUR erwartet 492.5, jetzt 492.75. 480.25 FLOUR eingegangen. Nächste Palette oder Artikel scannen, oder CMD-DONE.", "\(confirmed)")
        let stock = try ScanStationProcess.run(["report", "stock", "--db", database, "--format", "json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: stock.stdout) as? [[String: Any]])
        #expect(rows.map { $0["qty"] as? Double } == [12.5, 480.25], "\(rows)")
        #expect(rows.map { $0["container"] as? String } == [nil, "340123450000000031"])
    }

    /// `run --source stdin` with standard input at /dev/null (a script, a CI job): end of
    /// input at once, and the run ends, as CONTRACTS.md says. Before, the stdin source was
    /// dropped as if from the config under systemd and the daemon waited for ever ("station
    /// has no source yet; waiting").
    @Test func aRunAskedToReadStandardInputEndsWhenItIsDevNull() throws {
        let directory = try TemporaryDirectory()
        let process = Process()
        process.executableURL = ScanStationProcess.executable
        process.arguments = ["run", "--source", "stdin", "--db", directory.path("s.db"), "--listen", "off", "--control-socket", "off", "--feedback", "jsonl"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        var waited = 0
        while process.isRunning, waited < 300 {
            usleep(50_000)
            waited += 1
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0, "still running after 15 s, or failed")
    }

    /// A cycle count that finds the loose goods but not a pallet booked there: the pallet's
    /// stock goes, the loose goods stay. Before, the shortfall was taken from the loose stock
    /// first: the 2 counted on the shelf vanished and the missing pallet kept 2.
    @Test func aCountThatMissesAPalletTakesThePalletsStockNotTheShelfs() throws {
        let directory = try TemporaryDirectory()
        let database = try Self.warehouse(in: directory)
        let daemon = try ControlSocketTests.RunningDaemon(directory: directory, configuration: """
            database = "\(database)"
            control_socket = "\(directory.path("control.sock"))"
            listen = "off"
            [[station]]
            name = "dock-1"
            mode = "receive"
            modes = ["receive", "putaway", "count"]
            sources = ["stdin"]
            """)
        defer { daemon.stop() }
        // The pallet of 36 goes to A-01; a count there finds it and 2 loose ones more, so
        // A-01 holds the pallet's 36 and 2 loose.
        for scan in ["REC-1", "340123450000000017", "CMD-DONE", "CMD-MODE-putaway", "340123450000000017", "LOC-A-01",
                     "CMD-MODE-count", "LOC-A-01", "340123450000000017", "CMD-QTY-2", "04006381333931", "CMD-DONE"] {
            let answer = try daemon.scan(scan)
            #expect(answer["result"] as? String != "rejected", "\(scan): \(answer)")
        }
        let before = try ScanStationProcess.run(["report", "stock", "--db", database, "--format", "csv"])
        #expect(before.lines == ["location,sku,lot,expiry,container,qty", "A-01,WIDGET-7,,,,2", "A-01,WIDGET-7,,,340123450000000017,36"], "\(before.lines)")
        // The next count finds the 2 loose ones and no pallet.
        for scan in ["LOC-A-01", "CMD-QTY-2", "04006381333931"] {
            _ = try daemon.scan(scan)
        }
        let done = try daemon.scan("CMD-DONE")
        #expect(done["result"] as? String == "warning", "\(done)")
        let after = try ScanStationProcess.run(["report", "stock", "--db", database, "--format", "csv"])
        #expect(after.lines == ["location,sku,lot,expiry,container,qty", "A-01,WIDGET-7,,,,2"], "\(after.lines)")
        let check = try ScanStationProcess.run(["db", "check", "--db", database])
        #expect(check.status == 0, "\(check.stderr)")
    }

    /// A picker leaves an order (CMD-DONE with lines open) and takes it up again: it holds the
    /// order again, and a second station is refused. Before, the station's released claim
    /// stayed released, and both stations picked the same order at once.
    @Test func aStationThatTakesUpAnOrderAgainHoldsItAgainstOthers() throws {
        let directory = try TemporaryDirectory()
        let database = try Self.warehouse(in: directory)
        let picker2 = try PseudoTerminal()
        defer { picker2.unplug() }
        let daemon = try ControlSocketTests.RunningDaemon(directory: directory, configuration: """
            database = "\(database)"
            control_socket = "\(directory.path("control.sock"))"
            listen = "off"
            [[station]]
            name = "pick-1"
            mode = "pick"
            sources = ["stdin"]
            [[station]]
            name = "pick-2"
            mode = "pick"
            sources = ["serial:\(picker2.slavePath)"]
            """)
        defer { daemon.stop() }
        #expect(try daemon.scan("ORD-1")["result"] as? String == "accepted")
        #expect(try daemon.scan("CMD-DONE")["result"] as? String == "warning")
        #expect(try daemon.scan("ORD-1")["result"] as? String == "accepted")
        let second = try Self.firstSerialScan("ORD-1", on: picker2, daemon)
        #expect(second?["station"] as? String == "pick-2")
        #expect(second?["result"] as? String == "rejected", "\(String(describing: second))")
        #expect((second?["error"] as? [String: Any])?["code"] as? String == "claimed_elsewhere")
        #expect(second?["prompt"] as? String == "ORD-1 is being worked at pick-1. Scan an order number.")
        // Left again, the order is free for the other station.
        #expect(try daemon.scan("CMD-DONE")["result"] as? String == "warning")
        picker2.type("ORD-1\r\n")
        #expect(try daemon.nextAnswer()["result"] as? String == "accepted")
    }

    /// Two counters at one location: the second is refused while the first counts, as for
    /// receipts and orders. Before, count claims were not stored, both counted at once and
    /// each booked its own differences (the last one's count overwrote the other's).
    @Test func aLocationBeingCountedIsClaimedAgainstOtherCounters() throws {
        let directory = try TemporaryDirectory()
        let database = try Self.warehouse(in: directory)
        let counter2 = try PseudoTerminal()
        defer { counter2.unplug() }
        let daemon = try ControlSocketTests.RunningDaemon(directory: directory, configuration: """
            database = "\(database)"
            control_socket = "\(directory.path("control.sock"))"
            listen = "off"
            [[station]]
            name = "count-1"
            mode = "count"
            sources = ["stdin"]
            [[station]]
            name = "count-2"
            mode = "count"
            sources = ["serial:\(counter2.slavePath)"]
            """)
        defer { daemon.stop() }
        #expect(try daemon.scan("LOC-A-01")["result"] as? String == "accepted")
        let second = try Self.firstSerialScan("LOC-A-01", on: counter2, daemon)
        #expect(second?["station"] as? String == "count-2")
        #expect(second?["result"] as? String == "rejected", "\(String(describing: second))")
        #expect(second?["prompt"] as? String == "A-01 is being worked at count-1. Scan a location to count.")
        // Cancelled, the location is free again.
        #expect(try daemon.scan("CMD-CANCEL")["result"] as? String == "accepted")
        counter2.type("LOC-A-01\r\n")
        #expect(try daemon.nextAnswer()["result"] as? String == "accepted")
        #expect(try daemon.scan("LOC-A-01")["result"] as? String == "rejected")
    }

    /// A station removed by a reload while it has a receipt open keeps its claim (added back,
    /// it goes on where it was); the reload says so, naming the receipt. Before, it said
    /// only "stations removed: dock-2", and the other stations were refused the receipt
    /// with no hint why dock-2, gone, still held it.
    @Test func aReloadThatRemovesAStationWithWorkOpenSaysWhatItStillHolds() throws {
        let directory = try TemporaryDirectory()
        let database = try Self.warehouse(in: directory)
        let dock2 = try PseudoTerminal()
        defer { dock2.unplug() }
        let common = """
            database = "\(database)"
            control_socket = "\(directory.path("control.sock"))"
            listen = "off"
            [[station]]
            name = "dock-1"
            mode = "receive"
            sources = ["stdin"]
            """
        let daemon = try ControlSocketTests.RunningDaemon(directory: directory, configuration: common + """

            [[station]]
            name = "dock-2"
            mode = "receive"
            sources = ["serial:\(dock2.slavePath)"]
            """)
        defer { daemon.stop() }
        #expect(try Self.firstSerialScan("REC-1", on: dock2, daemon)?["result"] as? String == "accepted")
        try directory.write("scanstation.toml", common)
        let reload = try ScanStationProcess.run(["reload", "--socket", daemon.socket])
        let message = String(decoding: reload.stdout, as: UTF8.self)
        #expect(reload.status == 0, "\(reload.stderr)")
        #expect(message.contains("stations removed: dock-2"), "\(message)")
        #expect(message.contains("station dock-2 still holds receipt REC-1 (no other station may work it until dock-2 is added back and finishes or cancels it, or `scanstation release dock-2` frees it)"), "\(message)")
        #expect(try daemon.scan("REC-1")["prompt"] as? String == "REC-1 is being worked at dock-2. Scan a receipt number or pallet.")

        // The admin frees what the gone station held; a running station's work is its own.
        let running = try ScanStationProcess.run(["release", "dock-1", "--socket", daemon.socket])
        #expect(running.status != 0 && running.stderr.contains("station dock-1 is running here"), "\(running.stderr)")
        let release = try ScanStationProcess.run(["release", "dock-2", "--socket", daemon.socket])
        #expect(release.status == 0, "\(release.stderr)")
        #expect(String(decoding: release.stdout, as: UTF8.self).contains("released receipt REC-1 held by dock-2: other stations may take it up"))
        let takenUp = try daemon.scan("REC-1")
        #expect(takenUp["result"] as? String == "accepted", "\(takenUp)")
        let again = try ScanStationProcess.run(["release", "dock-2", "--socket", daemon.socket])
        #expect(String(decoding: again.stdout, as: UTF8.self).contains("station dock-2 holds nothing"))
        // Added back, dock-2 starts afresh instead of resuming the receipt dock-1 now works.
        let session = try LedgerStore(path: database, readOnly: true).session(station: "dock-2")
        #expect(session?.state == nil)
    }

    /// A station switched to another mode (CMD-MODE-x) is still in it after the daemon
    /// restarts (SIGKILL or SIGTERM) with the same config; a config that starts it in a new
    /// mode wins. Before, it fell back to its starting mode whenever no document was open:
    /// the worker's next pallet, scanned for put-away, was 'No open receipt expects pallet'.
    @Test func aModeChosenByScanSurvivesARestart() throws {
        let directory = try TemporaryDirectory()
        let database = try Self.warehouse(in: directory)
        func configuration(dockMode: String) -> String {
            """
            database = "\(database)"
            control_socket = "\(directory.path("control.sock"))"
            listen = "off"
            [[station]]
            name = "dock-1"
            mode = "\(dockMode)"
            modes = ["receive", "putaway", "count"]
            sources = ["stdin"]
            """
        }
        var daemon = try ControlSocketTests.RunningDaemon(directory: directory, configuration: configuration(dockMode: "receive"))
        for scan in ["REC-1", "340123450000000017", "CMD-DONE", "CMD-MODE-putaway"] {
            #expect(try daemon.scan(scan)["result"] as? String == "accepted", "\(scan)")
        }
        kill(daemon.process.processIdentifier, SIGKILL)
        daemon.process.waitUntilExit()
        daemon = try ControlSocketTests.RunningDaemon(directory: directory, configuration: configuration(dockMode: "receive"))
        let pallet = try daemon.scan("340123450000000017")
        #expect(pallet["prompt"] as? String == "Take it to A-01 and scan the location.", "\(pallet)")
        #expect(try daemon.scan("LOC-A-01")["prompt"] as? String == "Stored at A-01. Scan a pallet or item at the dock.")
        daemon.stop()
        // SIGTERM, same config: still put-away.
        daemon = try ControlSocketTests.RunningDaemon(directory: directory, configuration: configuration(dockMode: "receive"))
        #expect(try daemon.scan("CMD-HELP")["prompt"] as? String == "Stored at A-01. Scan a pallet or item at the dock.")
        #expect(try daemon.scan("LOC-A-01")["error"].flatMap { ($0 as? [String: Any])?["code"] as? String } == "unit_first")
        daemon.stop()
        // The config now starts the station counting: that wins.
        daemon = try ControlSocketTests.RunningDaemon(directory: directory, configuration: configuration(dockMode: "count"))
        defer { daemon.stop() }
        #expect(try daemon.scan("LOC-A-01")["prompt"] as? String == "Count A-01: scan everything there, then CMD-DONE.")
    }

    /// A log station a CMD-MODE-x scan took into receiving is still receiving after a restart.
    @Test func aLogStationSwitchedIntoAWorkflowStaysThereAfterARestart() throws {
        let directory = try TemporaryDirectory()
        let database = try Self.warehouse(in: directory)
        let configuration = """
            database = "\(database)"
            control_socket = "\(directory.path("control.sock"))"
            listen = "off"
            [[station]]
            name = "dock-1"
            sources = ["stdin"]
            """
        var daemon = try ControlSocketTests.RunningDaemon(directory: directory, configuration: configuration)
        #expect(try daemon.scan("CMD-MODE-receive")["result"] as? String == "accepted")
        daemon.stop()
        daemon = try ControlSocketTests.RunningDaemon(directory: directory, configuration: configuration)
        defer { daemon.stop() }
        #expect(try daemon.scan("REC-1")["prompt"] as? String == "Receipt REC-1 started. Scan the next pallet or item, or CMD-DONE.")
    }
}
