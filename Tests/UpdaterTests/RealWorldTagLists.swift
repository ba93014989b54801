/// ImageTag lists shaped like the real repositories' (a representative slice of each, in registry order,
/// including floating tags, variant suffixes and cosign artefacts).
enum RealWorldTagLists {
    static let signature = "sha256-" + String(repeating: "9f", count: 32) + ".sig"
    static let attestation = "sha256-" + String(repeating: "9f", count: 32) + ".att"

    static let nginx = [
        "latest", "mainline", "stable", "alpine", "alpine-slim", "alpine3.19", "mainline-alpine", "stable-alpine",
        "1", "1-alpine", "1.24", "1.24.0", "1.24.0-alpine", "1.25", "1.25-alpine", "1.25.3", "1.25.3-alpine",
        "1.25.3-alpine-slim", "1.25.3-bookworm", "1.25.3-perl", "1.25.4", "1.25.4-alpine", "1.25.5-alpine",
        "1.26", "1.26.0", "1.26.0-alpine", "1.26.1-alpine", "1.27.0", "1.27.0-alpine", "1.27.2-alpine3.20",
        "1.27.0-alpine-slim", signature, attestation,
    ]

    static let node = [
        "lts-alpine", "current-alpine", "hydrogen", "iron-alpine3.19", "20", "20-alpine3.19", "20.11.1",
        "20.11.1-alpine3.19", "20.11.1-bookworm-slim", "20.12.0-alpine3.19", "20.12.2", "20.12.2-alpine3.19",
        "20.12.2-alpine3.20", "20.12.2-bookworm-slim", "21.7.3-alpine3.19", "22.0.0-alpine3.19", "22.1.0",
        "22.1.0-alpine3.19", "22.1.0-bookworm-slim", signature,
    ]

    static let python = [
        "slim", "alpine", "3-slim", "3.12", "3.12-slim", "3.13", "3.13-slim", "3.11.9-slim-bookworm", "3.12.3",
        "3.12.3-slim-bookworm", "3.12.4", "3.12.4-slim", "3.12.4-slim-bookworm", "3.12.4-alpine3.20",
        "3.12.4-windowsservercore-ltsc2022", "windowsservercore-ltsc2022", "3.13.0b3-slim-bookworm", "3.13.0rc1",
        "3.13.0", "3.13.0-slim-bookworm", "3.14.0a1",
    ]

    static let postgres = [
        "latest", "alpine", "bookworm", "15.7", "15.8-bookworm", "16", "16-alpine", "16.2", "16.3", "16.3-bookworm",
        "16.3-alpine3.20", "16.4", "16.4-alpine3.20", "17beta2", "17rc1", "17", "17.0", "17.0-alpine3.20",
        "18beta1", attestation,
    ]

    static let redis = [
        "alpine", "bookworm", "7-alpine", "7.2-alpine", "6.2.14", "6.2.14-alpine", "7.2.4", "7.2.4-alpine",
        "7.2.5", "7.2.5-alpine", "7.2.5-alpine3.20", "7.4-rc2", "7.4-rc2-alpine", "7.4.0", "7.4.0-alpine",
        "8.0-M01", "8.0-M02-alpine",
    ]

    /// A Go project's release tags: SemVer with a `v` prefix, pre-releases, one unprefixed stray.
    static let semverProject = [
        "latest", "v1.2.2", "v1.2.3", "v1.2.4-rc.1", "v1.2.4", "v1.3.0-beta.1", "v2.0.0", "1.2.5", "v1.2.10",
        signature,
    ]

    /// A GitLab project's PEP 440 tags (the original's GitLab path), in GitLab's name order.
    static let pep440Project = [
        "0.9", "1.0", "1.0.0", "1.0.1", "1.0.1.post1", "1.0.2rc1", "1.0.2", "1.1.0.dev3", "1.1.0", "v1.1.1",
        "2.0.0a1", "2.0.0",
    ]
}
