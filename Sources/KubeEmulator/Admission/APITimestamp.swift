import Transport

/// How kube-apiserver decodes the timestamps of built-in kinds: `metav1.Time` fields parse with Go's
/// `time.RFC3339` layout (any fraction width, `Z` or a numeric offset) and are stored in UTC truncated
/// to the second; `metav1.MicroTime` fields parse with `RFC3339Micro` (exactly six fractional digits)
/// and are stored in UTC with six digits. A value that does not parse makes the whole body undecodable:
/// 400 BadRequest, as a real server answers.
enum APITimestamp {
    enum Precision: Sendable {
        /// `metav1.Time`: `2006-01-02T15:04:05Z07:00`, written with seconds.
        case seconds
        /// `metav1.MicroTime`: `2006-01-02T15:04:05.000000Z07:00`, written with microseconds.
        case micro

        var layout: String {
            switch self {
            case .seconds: "2006-01-02T15:04:05Z07:00"
            case .micro: "2006-01-02T15:04:05.000000Z07:00"
            }
        }
    }

    /// The stored (UTC, `Z`) form of `text`, or nil when Go's layout would not parse it.
    static func normalize(_ text: String, _ precision: Precision) -> String? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20 else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                guard bytes[index] >= 0x30 && bytes[index] <= 0x39 else { return nil }
                value = value * 10 + Int(bytes[index] - 0x30)
            }
            return value
        }
        guard bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
            (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year), hour < 24, minute < 60,
            second < 60
        else { return nil }
        var index = 19
        var fraction: [UInt8] = []
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: ",") {
            index += 1
            while index < bytes.count, bytes[index] >= 0x30 && bytes[index] <= 0x39 {
                fraction.append(bytes[index])
                index += 1
            }
            if fraction.isEmpty { return nil }
        }
        if precision == .micro && fraction.count != 6 { return nil }
        var offsetMinutes = 0
        let zone = bytes[index...]
        if zone.elementsEqual("Z".utf8) {
            offsetMinutes = 0
        } else if zone.count == 6, zone.first == UInt8(ascii: "+") || zone.first == UInt8(ascii: "-"),
            bytes[index + 3] == UInt8(ascii: ":"), let zoneHours = number(index + 1..<index + 3),
            let zoneMinutes = number(index + 4..<index + 6), zoneHours < 24, zoneMinutes < 60
        {
            offsetMinutes = (zoneHours * 60 + zoneMinutes) * (zone.first == UInt8(ascii: "-") ? -1 : 1)
        } else {
            return nil
        }
        let local =
            (CivilCalendar.days(year: year, month: month, day: day) * 86_400) + hour * 3600 + minute * 60 + second
        let utc = local - offsetMinutes * 60
        let days = utc >= 0 ? utc / 86_400 : (utc - 86_399) / 86_400
        let secondsOfDay = utc - days * 86_400
        let date = CivilCalendar.date(fromDays: days)
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        var out =
            "\(pad(date.year, 4))-\(pad(date.month, 2))-\(pad(date.day, 2))T\(pad(secondsOfDay / 3600, 2)):"
            + "\(pad(secondsOfDay / 60 % 60, 2)):\(pad(secondsOfDay % 60, 2))"
        if precision == .micro { out += "." + String(decoding: fraction, as: UTF8.self) }
        return out + "Z"
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Where built-in kinds keep timestamps: a path of keys, `[]` for every array item, `*` for every
    /// map value.
    static func fields(_ type: ServedResource) -> [(path: [String], precision: Precision)] {
        let conditions: [(path: [String], precision: Precision)] = [
            (["status", "conditions", "[]", "lastTransitionTime"], .seconds),
            (["status", "conditions", "[]", "lastUpdateTime"], .seconds),
            (["status", "conditions", "[]", "lastProbeTime"], .seconds),
            (["status", "conditions", "[]", "lastHeartbeatTime"], .seconds),
        ]
        var fields: [(path: [String], precision: Precision)] = [
            (["metadata", "creationTimestamp"], .seconds), (["metadata", "deletionTimestamp"], .seconds),
            (["metadata", "managedFields", "[]", "time"], .seconds),
        ]
        switch (type.group, type.plural) {
        case ("coordination.k8s.io", "leases"):
            fields += [(["spec", "acquireTime"], .micro), (["spec", "renewTime"], .micro)]
        case ("", "events"):
            fields += [
                (["firstTimestamp"], .seconds), (["lastTimestamp"], .seconds), (["eventTime"], .micro),
                (["series", "lastObservedTime"], .micro),
            ]
        case ("events.k8s.io", "events"):
            fields += [
                (["deprecatedFirstTimestamp"], .seconds), (["deprecatedLastTimestamp"], .seconds),
                (["eventTime"], .micro), (["series", "lastObservedTime"], .micro),
            ]
        case ("", "pods"):
            fields += conditions + [(["status", "startTime"], .seconds)]
            for list in ["containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses"] {
                for state in ["state", "lastState"] {
                    fields += [
                        (["status", list, "[]", state, "running", "startedAt"], .seconds),
                        (["status", list, "[]", state, "terminated", "startedAt"], .seconds),
                        (["status", list, "[]", state, "terminated", "finishedAt"], .seconds),
                    ]
                }
            }
        case ("policy", "poddisruptionbudgets"):
            fields += conditions + [(["status", "disruptedPods", "*"], .seconds)]
        default:
            fields += conditions
        }
        return fields
    }

    /// The object with every timestamp of its kind in stored form.
    ///
    /// - Throws: ``APIError`` 400 BadRequest naming the first value that does not parse.
    static func decode(_ type: ServedResource, _ object: JSON) throws(APIError) -> JSON {
        var object = object
        for (path, precision) in fields(type) {
            try rewrite(&object, path[...], precision, type: type)
        }
        return object
    }

    private static func rewrite(
        _ value: inout JSON, _ path: ArraySlice<String>, _ precision: Precision, type: ServedResource
    )
        throws(APIError)
    {
        guard let key = path.first else {
            switch value {
            case .null:
                return
            case .string(let text):
                guard let normalized = normalize(text, precision) else {
                    throw APIError.badRequest(
                        "\(type.kind) in version \"\(type.version)\" cannot be handled as a \(type.kind): parsing time "
                            + "\"\(text)\" as \"\(precision.layout)\": cannot parse")
                }
                value = .string(normalized)
            default:
                throw APIError.badRequest(
                    "\(type.kind) in version \"\(type.version)\" cannot be handled as a \(type.kind): json: cannot "
                        + "unmarshal \(value.typeName) into Go value of type string")
            }
            return
        }
        let rest = path.dropFirst()
        switch (key, value) {
        case ("[]", .array(var items)):
            for index in items.indices { try rewrite(&items[index], rest, precision, type: type) }
            value = .array(items)
        case ("*", .object(var members)):
            for name in members.keys {
                guard var member = members[name] else { continue }
                try rewrite(&member, rest, precision, type: type)
                members[name] = member
            }
            value = .object(members)
        case (_, .object(var members)) where key != "[]" && key != "*":
            guard var member = members[key] else { return }
            try rewrite(&member, rest, precision, type: type)
            members[key] = member
            value = .object(members)
        default:
            return
        }
    }
}
