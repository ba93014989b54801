/// core/v1 Event ↔ events.k8s.io/v1 Event, as kube-apiserver converts between the two views of one
/// store: objects are stored in the core form, so `kubectl get events` and `kubectl describe` see events
/// written through events.k8s.io and the other way round.
enum EventConversion {
    /// Field renames events.k8s.io → core; every other field keeps its name.
    static let renames: [(events: String, core: String)] = [
        ("regarding", "involvedObject"), ("note", "message"), ("deprecatedSource", "source"),
        ("deprecatedFirstTimestamp", "firstTimestamp"), ("deprecatedLastTimestamp", "lastTimestamp"),
        ("deprecatedCount", "count"), ("reportingController", "reportingComponent"),
    ]

    static func isEventsAPI(_ type: ServedResource) -> Bool { type.group == "events.k8s.io" && type.kind == "Event" }

    static func isEventsForm(_ object: JSON) -> Bool { object["apiVersion"]?.stringValue == "events.k8s.io/v1" }

    /// The core form of an events.k8s.io Event.
    static func toCore(_ object: JSON) -> JSON {
        var core = object
        for (eventsName, coreName) in renames {
            core[coreName] = object[eventsName]
            core[eventsName] = nil
        }
        core["apiVersion"] = "v1"
        core["kind"] = "Event"
        return core
    }

    /// The events.k8s.io form of a core Event.
    static func toEvents(_ object: JSON) -> JSON {
        var events = object
        for (eventsName, coreName) in renames {
            events[eventsName] = object[coreName]
            events[coreName] = nil
        }
        events["apiVersion"] = "events.k8s.io/v1"
        events["kind"] = "Event"
        return events
    }
}
