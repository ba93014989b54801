/// The version frontier `N` (`VERSIONS_FRONTIER`, `spec.frontier`): the first `N` components of a
/// version are protected. A newer version that differs only right of them is an update; one that
/// differs in them is only notified. `N = 0` means always update.
///
/// The rule is a function of two versions of any lengths, compatible with the original k8sUpdater
/// (its README table and test vectors hold) except that components compare **numerically**
/// (`1.9 → 1.10` changes the second component):
/// - `N == 0` → update;
/// - `N` greater than the shorter version's component count → update (the original's rule: a
///   frontier deeper than the versions protects nothing — `3.2.0 → 3.2.1` with `N = 5` updates);
/// - otherwise update exactly when the first `N` components are equal.
///
/// Candidate selection keeps the component count, so in practice both versions have the same length.
package struct Frontier: Hashable, Sendable, Comparable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    /// How many leading components are protected; never negative.
    package let depth: Int

    /// A frontier of `depth` components; negative values mean 0 (always update), as in the original.
    package init(_ depth: Int) {
        self.depth = max(0, depth)
    }

    package init(integerLiteral value: Int) {
        self.init(value)
    }

    /// Always update.
    package static let alwaysUpdate = Frontier(0)

    package var description: String { String(depth) }

    package static func < (lhs: Frontier, rhs: Frontier) -> Bool { lhs.depth < rhs.depth }

    /// Whether moving from `current` to `candidate` stays within the frontier (may be applied
    /// automatically). Says nothing about direction: callers only pass newer candidates.
    package func allowsAutomaticUpdate(from current: [UInt64], to candidate: [UInt64]) -> Bool {
        allows(current.count, candidate.count) { current[$0] == candidate[$0] }
    }

    /// The rule above on two versions, their components read in place
    /// (a SemVer version's `components` is an array built on each call).
    package func allowsAutomaticUpdate(from current: Version, to candidate: Version) -> Bool {
        allows(current.componentCount, candidate.componentCount) {
            current.component(at: $0) == candidate.component(at: $0)
        }
    }

    /// The rule on component counts and a comparison of the component at an index.
    private func allows(_ currentCount: Int, _ candidateCount: Int, sameAt: (Int) -> Bool) -> Bool {
        if depth == 0 || depth > min(currentCount, candidateCount) { return true }
        for index in 0..<depth where !sameAt(index) { return false }
        return true
    }

    /// The original's `perform_automatic_update(curr, latest, frontier)` with numeric components:
    /// true when `latest` is newer than `current` and within the frontier. Equal versions give false.
    package func shouldUpdate(from current: NumericVersion, to latest: NumericVersion) -> Bool {
        Self.isNewer(latest.components, than: current.components)
            && allowsAutomaticUpdate(from: current.components, to: latest.components)
    }

    /// Numeric comparison with missing components read as 0 (`3.1.5.1` is newer than `3.1.5`,
    /// `1.2.0` is not newer than `1.2`).
    package static func isNewer(_ candidate: [UInt64], than current: [UInt64]) -> Bool {
        for index in 0..<max(candidate.count, current.count) {
            let a = index < candidate.count ? candidate[index] : 0
            let b = index < current.count ? current[index] : 0
            if a != b { return a > b }
        }
        return false
    }
}
