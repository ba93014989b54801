/// An image platform, `os/architecture[/variant]` (OCI image index `platform`).
///
/// Normalised as containerd does, so the same platform compares equal however it is written:
/// `arm64` ≡ `arm64/v8`, `aarch64` → `arm64`, `x86_64`/`x86-64` → `amd64`, `arm` ≡ `arm/v7`,
/// OS and architecture lowercased.
package struct Platform: Hashable, Sendable, Comparable, CustomStringConvertible {
    package let os: String
    package let architecture: String
    package let variant: String?

    package init(os: String, architecture: String, variant: String? = nil) {
        let os = os.lowercased()
        var architecture = architecture.lowercased()
        var variant = variant?.lowercased()
        switch architecture {
        case "aarch64", "arm64":
            architecture = "arm64"
            if variant == "v8" || variant == "8" { variant = nil }
        case "x86_64", "x86-64":
            architecture = "amd64"
        case "armhf", "arm":
            architecture = "arm"
            if variant == nil || variant == "7" { variant = "v7" }
        case "armel":
            architecture = "arm"
            variant = "v6"
        default:
            break
        }
        self.os = os
        self.architecture = architecture
        self.variant = (variant?.isEmpty ?? true) ? nil : variant
    }

    /// Parses `os/arch[/variant]`, e.g. `linux/amd64`, `linux/arm64/v8`. Returns nil otherwise.
    package init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard (2...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        self.init(os: parts[0], architecture: parts[1], variant: parts.count == 3 ? parts[2] : nil)
    }

    package static let linuxAMD64 = Platform(os: "linux", architecture: "amd64")
    package static let linuxARM64 = Platform(os: "linux", architecture: "arm64")

    package var description: String {
        variant.map { "\(os)/\(architecture)/\($0)" } ?? "\(os)/\(architecture)"
    }

    package static func < (lhs: Platform, rhs: Platform) -> Bool { lhs.description < rhs.description }
}
