import Foundation
import Updater

extension CheckTarget {
    /// Holds the changes of `checks` that may not happen now: an image whose new tag is younger than
    /// `minReleaseAge` (by the registry's creation time), any change outside the maintenance windows
    /// (notified once as ``Finding/Outcome/held(to:reason:until:)``), and — while rollback is on — every
    /// image change after the first, so that one rollout is followed at a time.
    ///
    /// - Returns: the earliest moment a hold ends (when to look again), nil when none has a known end.
    func gate(_ checks: inout [ContainerCheck], registries: RegistryClients, now: Date) async -> Date? {
        var wake: Date?
        func wakeAt(_ date: Date?) { if let date { wake = min(wake ?? date, date) } }
        var rollingOut: String?
        for index in checks.indices {
            guard let change = checks[index].change else { continue }
            var check = checks[index]
            var newTag: String?
            if case .updated(let to) = check.outcome { newTag = to }
            if case .setImage = change, let age = rollout.minReleaseAge, let tag = newTag {
                let (registry, repository, credentials) = lookup(check.reference, registries: registries)
                do {
                    if let created = try await registry.created(of: repository, tag: tag, credentials: credentials) {
                        let due = created.addingTimeInterval(age.timeInterval)
                        if due > now {
                            check.holdChange(
                                tag, until: due,
                                "\(tag) waits until \(HeldTime.utc(due)): minReleaseAge \(DurationText.format(age)), "
                                    + "created \(HeldTime.utc(created))")
                            wakeAt(due)
                            checks[index] = check
                            continue
                        }
                    } else {
                        check.holdChange(
                            tag, until: nil,
                            "the registry reports no creation time for \(tag), so minReleaseAge "
                                + "\(DurationText.format(age)) cannot be met; it is not applied")
                        checks[index] = check
                        continue
                    }
                } catch {
                    let failure = Finding.CheckFailure(
                        reason: error.reason, message: "creation time of \(tag): \(error.description)")
                    check.change = nil
                    check.failure = failure
                    check.outcome = .checkFailed(failure)
                    checks[index] = check
                    continue
                }
            }
            if let schedule = rollout.schedule, !schedule.contains(now) {
                let next = schedule.nextStart(after: now)
                let tag = newTag ?? check.currentTag
                check.holdChange(
                    tag, until: next,
                    "\(tag) waits for the next maintenance window"
                        + (next.map { ", \(HeldTime.utc($0))" } ?? " (none in the next 8 days)"))
                check.outcome = .held(to: tag, reason: .maintenanceWindow, until: next)
                wakeAt(next)
                checks[index] = check
                continue
            }
            if rollout.rollback, case .setImage = change, let tag = newTag {
                if let first = rollingOut {
                    check.holdChange(tag, until: nil, "\(tag) waits for the rollout of container \(first)")
                    checks[index] = check
                    continue
                }
                rollingOut = check.name
            }
        }
        return wake
    }
}

extension ContainerCheck {
    /// Drops the change (and its "updated" news) and records why it waits.
    fileprivate mutating func holdChange(_ tag: String, until: Date?, _ message: String) {
        change = nil
        outcome = nil
        hold = Hold(tag: tag, until: until, message: message)
    }
}

extension Duration {
    /// Whole and fractional seconds as a `TimeInterval`.
    var timeInterval: TimeInterval {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) / 1e18
    }

    /// The time from `now` to `date`, at least `minimum`.
    static func until(_ date: Date, from now: Date, atLeast minimum: Duration = .seconds(1)) -> Duration {
        let milliseconds = Int64((date.timeIntervalSince(now) * 1000).rounded(.up))
        return max(.milliseconds(milliseconds), minimum)
    }
}
