extension Emulator {
    /// How a client reaches the emulator: its in-process transport, or its loopback HTTP front (through
    /// libcurl). Tests run each rule over both (`Emulator.Front.allCases`).
    package enum Front: String, CaseIterable, Sendable, CustomStringConvertible {
        case inProcess
        case http

        package var description: String { rawValue }
    }
}
