public import Ledger

/// What the station tells the worker about one scan, after it is committed.
public struct ScanAnswer: Sendable, Hashable {
    public struct Failure: Sendable, Hashable {
        public var code: String
        public var message: String
        public var offset: Int?

        public init(code: String, message: String, offset: Int?) {
            self.code = code
            self.message = message
            self.offset = offset
        }
    }

    /// The station's persistent scan sequence number; nil only when the store failed and
    /// the scan could not be recorded at all.
    public var seq: Int64?
    public var scanID: String
    public var station: String
    /// The payload as received (at most the first 4096 bytes).
    public var input: [UInt8]
    public var symbology: String?
    public var result: ScanResult
    public var prompt: String
    public var movements: [String]
    public var error: Failure?

    public init(seq: Int64?, scanID: String, station: String, input: [UInt8], symbology: String?, result: ScanResult, prompt: String, movements: [String], error: Failure?) {
        self.seq = seq
        self.scanID = scanID
        self.station = station
        self.input = input
        self.symbology = symbology
        self.result = result
        self.prompt = prompt
        self.movements = movements
        self.error = error
    }
}
