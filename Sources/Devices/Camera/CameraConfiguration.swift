/// How a camera source decodes. Built from the station's config at the edge.
public struct CameraConfiguration: Sendable, Hashable {
    /// The symbologies the site uses; only these decoders run.
    public var symbologies: SymbologySelection
    /// How long a symbol must be out of sight before the same data is a new scan.
    public var holdOffMilliseconds: Int
    /// Multi-frame consistency (`FrameConsistency`): EAN/UPC/ITF must be seen in three
    /// consecutive frames before they count, which avoids misreads from blurred frames.
    public var consistency: Bool
    /// The time libdmtx may search one frame for DataMatrix.
    public var dataMatrixBudgetMilliseconds: Int
    /// The resolution to ask the camera for (nil: the driver's default).
    public var width: Int?
    public var height: Int?
    /// Back-off between attempts to reopen a camera that went away: doubles from the first
    /// value up to the second.
    /// Back-off between attempts to reopen a camera that went away: doubles from the
    /// first delay up to the maximum.
    public var reconnectFirstMilliseconds: Int
    public var reconnectMaximumMilliseconds: Int

    public init(
        symbologies: SymbologySelection = .standard, holdOffMilliseconds: Int = 1500, consistency: Bool = true,
        dataMatrixBudgetMilliseconds: Int = 150, width: Int? = nil, height: Int? = nil,
        reconnectFirstMilliseconds: Int = 500, reconnectMaximumMilliseconds: Int = 30_000
    ) {
        self.symbologies = symbologies
        self.holdOffMilliseconds = holdOffMilliseconds
        self.consistency = consistency
        self.dataMatrixBudgetMilliseconds = dataMatrixBudgetMilliseconds
        self.width = width
        self.height = height
        self.reconnectFirstMilliseconds = reconnectFirstMilliseconds
        self.reconnectMaximumMilliseconds = reconnectMaximumMilliseconds
    }
}

/// What happens to a frame that arrives while the decoder is still busy.
public enum FrameDelivery: Sendable, Hashable {
    /// Keep only the newest waiting frame and count the replaced one as dropped (cameras:
    /// a late frame is worth less than a current one).
    case dropWhenBusy
    /// Wait for the decoder (frame files and pipes: the writer is paced by the pipe and no
    /// frame is lost).
    case waitForDecoder
}
