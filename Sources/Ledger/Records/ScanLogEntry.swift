/// How the station answered a scan.
public enum ScanResult: String, Sendable, Hashable, Codable {
    case accepted, warning, rejected
}

/// One row of the scan log: every scan, accepted or not, as it was received.
public struct ScanLogEntry: Sendable, Hashable {
    public var scanID: String
    public var station: String
    /// Where the scan came from (`stdin`, `usb:1-2`, ...).
    public var source: String
    /// The first 4096 bytes of the payload as received.
    public var input: [UInt8]
    /// The payload's full length in bytes.
    public var inputLength: Int
    public var symbology: String?
    /// The classified type (`gtin`, `gs1`, ...), nil when the scan was rejected before decoding.
    public var kind: String?
    public var result: ScanResult
    public var errorCode: String?
    public var errorMessage: String?
    public var prompt: String
    /// Unix time in milliseconds.
    public var receivedAt: Int64
    /// The operator logged in at the station when the scan arrived.
    public var operatorBadge: String?

    public init(
        scanID: String, station: String, source: String, input: [UInt8], inputLength: Int,
        symbology: String?, kind: String?, result: ScanResult, errorCode: String?,
        errorMessage: String?, prompt: String, receivedAt: Int64, operatorBadge: String? = nil
    ) {
        self.scanID = scanID
        self.station = station
        self.source = source
        self.input = input
        self.inputLength = inputLength
        self.symbology = symbology
        self.kind = kind
        self.result = result
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.prompt = prompt
        self.receivedAt = receivedAt
        self.operatorBadge = operatorBadge
    }
}
