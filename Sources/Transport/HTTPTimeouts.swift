/// Time limits for one transfer.
package struct HTTPTimeouts: Sendable, Hashable {
    /// Limit for establishing the connection (TCP + TLS).
    package var connect: Duration
    /// Limit for the whole transfer; nil for none (long-running watch streams).
    package var total: Duration?
    /// Abort when fewer than `lowSpeedBytes` bytes per second arrive for `lowSpeedWindow`; nil for never.
    /// Streams use it to detect a dead peer without bounding their total length.
    package var lowSpeedWindow: Duration?
    package var lowSpeedBytes: Int

    package init(
        connect: Duration = .seconds(10),
        total: Duration? = .seconds(30),
        lowSpeedWindow: Duration? = nil,
        lowSpeedBytes: Int = 1
    ) {
        self.connect = connect
        self.total = total
        self.lowSpeedWindow = lowSpeedWindow
        self.lowSpeedBytes = lowSpeedBytes
    }

    /// Defaults for an ordinary request/response exchange.
    package static let `default` = HTTPTimeouts()
}
