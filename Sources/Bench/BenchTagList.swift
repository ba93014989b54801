import Updater

// Also compiled by the Benchmarks/ package (DecideBenchmarks, through a symbolic link): one list for
// `k8supdater-bench decide` and the ordo-one/benchmark suite.

/// The tags of the decide benchmarks.
enum BenchTagList {
    /// A deterministic list shaped like a busy Docker Hub repository: releases in several variants,
    /// floating tags and cosign artefacts, in no particular order.
    static func make(count: Int, flavor: VersionFlavor) -> [String] {
        let suffixes = flavor == .docker ? ["", "-alpine", "-alpine3.19", "-bookworm", "-perl", "-alpine-slim"] : [""]
        var tags: [String] = []
        tags.reserveCapacity(count)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        while tags.count < count {
            switch next() % 50 {
            case 0: tags.append(["latest", "stable", "mainline", "alpine", "mainline-alpine"][Int(next() % 5)])
            case 1: tags.append("sha256-" + String(next(), radix: 16) + String(repeating: "0", count: 48) + ".sig")
            default:
                let version = "\(next() % 3).\(next() % 30).\(next() % 15)"
                tags.append(version + suffixes[Int(next() % UInt64(suffixes.count))])
            }
        }
        return tags
    }
}
