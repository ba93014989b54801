import Testing
import Updater

@Suite("Floating tags: digest decision per platform")
struct DigestDecisionTests {
    static func digest(_ byte: String) -> ImageDigest {
        try! ImageDigest(parsing: "sha256:" + String(repeating: byte, count: 32))
    }

    static let amd64 = Platform.linuxAMD64
    static let arm64 = Platform.linuxARM64
    static let old = digest("01")
    static let new = digest("02")
    static let otherOld = digest("03")
    static let otherNew = digest("04")
    static let index = digest("0f")

    @Test("unchanged for the running platform → up to date")
    func unchanged() {
        let decision = DigestDecision.decide(
            running: [Self.amd64: Self.old],
            registry: .init(index: Self.index, platforms: [Self.amd64: Self.old, Self.arm64: Self.otherOld]),
            latestPreference: true)
        #expect(decision == .upToDate(reason: .unchanged(platforms: [Self.amd64])))
    }

    @Test("a multi-arch rebuild for another platform is not a change for this workload")
    func otherPlatformRebuilt() {
        let decision = DigestDecision.decide(
            running: [Self.amd64: Self.old],
            registry: .init(index: Self.digest("0e"), platforms: [Self.amd64: Self.old, Self.arm64: Self.otherNew]),
            latestPreference: true)
        #expect(decision == .upToDate(reason: .unchanged(platforms: [Self.amd64])))
    }

    @Test("a new image for a running platform → restart with latestPreference, notify without")
    func changed() {
        let registry = DigestDecision.RegistryState(
            index: Self.digest("0e"), platforms: [Self.amd64: Self.new, Self.arm64: Self.otherOld])
        let running = [Self.amd64: Self.old, Self.arm64: Self.otherOld]
        let reasonTrue = DigestDecision.Reason.changed(platforms: [Self.amd64], latestPreference: true)
        let reasonFalse = DigestDecision.Reason.changed(platforms: [Self.amd64], latestPreference: false)
        #expect(
            DigestDecision.decide(running: running, registry: registry, latestPreference: true)
                == .restart(reason: reasonTrue))
        #expect(
            DigestDecision.decide(running: running, registry: registry, latestPreference: false)
                == .notify(reason: reasonFalse))
    }

    @Test("pods that report the current index digest are up to date")
    func indexDigest() {
        let decision = DigestDecision.decide(
            running: [Self.amd64: Self.index], registry: .init(index: Self.index, platforms: [Self.amd64: Self.new]),
            latestPreference: true)
        #expect(decision == .upToDate(reason: .unchanged(platforms: [Self.amd64])))
    }

    @Test("single-manifest images compare against the tag's digest")
    func singleManifest() {
        #expect(
            DigestDecision.decide(
                running: [Self.amd64: Self.old], registry: .init(index: Self.old, platforms: [:]),
                latestPreference: true)
                == .upToDate(reason: .unchanged(platforms: [Self.amd64])))
        #expect(
            DigestDecision.decide(
                running: [Self.amd64: Self.old], registry: .init(index: Self.new, platforms: [:]),
                latestPreference: true)
                == .restart(reason: .changed(platforms: [Self.amd64], latestPreference: true)))
    }

    @Test("a platform the tag no longer provides is notified, never restarted")
    func platformDropped() {
        let decision = DigestDecision.decide(
            running: [Self.arm64: Self.otherOld], registry: .init(index: Self.index, platforms: [Self.amd64: Self.new]),
            latestPreference: true)
        #expect(decision == .notify(reason: .platformNoLongerProvided(platforms: [Self.arm64])))
    }

    @Test("nothing running yet → up to date, saying so")
    func nothingRunning() {
        #expect(
            DigestDecision.decide(
                running: [:], registry: .init(index: Self.index, platforms: [:]), latestPreference: true)
                == .upToDate(reason: .nothingRunning))
    }

    @Test(
        "platform spellings normalise like containerd's",
        arguments: [
            ("linux/arm64/v8", "linux/arm64"), ("linux/aarch64", "linux/arm64"), ("Linux/x86_64", "linux/amd64"),
            ("linux/arm", "linux/arm/v7"), ("linux/armhf", "linux/arm/v7"),
        ])
    func platforms(lhs: String, rhs: String) throws {
        #expect(try #require(Platform(parsing: lhs)) == #require(Platform(parsing: rhs)))
    }

    @Test("malformed platforms are rejected")
    func badPlatforms() {
        #expect(Platform(parsing: "linux") == nil)
        #expect(Platform(parsing: "linux//") == nil)
        #expect(Platform(parsing: "a/b/c/d") == nil)
    }
}
