import Foundation
import KubernetesClient
import Testing

@Suite("RFC 3339 times")
struct TimeTests {
    @Test(
        "MicroTime always writes six fractional digits",
        arguments: [
            (1_764_089_326.0, "2025-11-25T16:48:46.000000Z"),
            (1_764_089_326.123456, "2025-11-25T16:48:46.123456Z"),
            (1_764_089_326.1, "2025-11-25T16:48:46.100000Z"),
            (0.0, "1970-01-01T00:00:00.000000Z"),
        ])
    func microTimeWrites(seconds: Double, expected: String) throws {
        let data = try JSONEncoder().encode([MicroTime(Date(timeIntervalSince1970: seconds))])
        #expect(String(decoding: data, as: UTF8.self) == "[\"\(expected)\"]")
    }

    @Test(
        "KubeTime and MicroTime truncate, as the API server does; they never round up",
        arguments: [
            (1_764_089_326.9, "2025-11-25T16:48:46Z", "2025-11-25T16:48:46.900000Z"),
            (1_764_089_326.999_999_2, "2025-11-25T16:48:46Z", "2025-11-25T16:48:46.999999Z"),
            (1_764_089_326.96, "2025-11-25T16:48:46Z", "2025-11-25T16:48:46.960000Z"),
            (1_764_089_326.5, "2025-11-25T16:48:46Z", "2025-11-25T16:48:46.500000Z"),
            (-0.5, "1969-12-31T23:59:59Z", "1969-12-31T23:59:59.500000Z"),
        ])
    func truncation(seconds: Double, kube: String, micro: String) {
        let date = Date(timeIntervalSince1970: seconds)
        #expect(KubeTime(date).description == kube)
        #expect(MicroTime(date).description == micro)
    }

    @Test(
        "MicroTime parses leniently: any width, offsets, no fraction",
        arguments: [
            ("2025-11-25T16:48:46Z", 1_764_089_326.0),
            ("2025-11-25T16:48:46.123Z", 1_764_089_326.123),
            ("2025-11-25T16:48:46.123456789Z", 1_764_089_326.123456789),
            ("2025-11-25T17:48:46.5+01:00", 1_764_089_326.5),
            ("2025-11-25t16:48:46z", 1_764_089_326.0),
        ])
    func microTimeParses(text: String, seconds: Double) throws {
        let decoded = try JSONDecoder().decode([MicroTime].self, from: Data("[\"\(text)\"]".utf8))
        #expect(abs(decoded[0].date.timeIntervalSince1970 - seconds) < 1e-6)
    }

    @Test("a MicroTime read and written back is unchanged")
    func roundTrip() throws {
        let text = "[\"2026-11-25T16:48:46.999999Z\"]"
        let decoded = try JSONDecoder().decode([MicroTime].self, from: Data(text.utf8))
        #expect(String(decoding: try JSONEncoder().encode(decoded), as: UTF8.self) == text)
    }

    @Test("KubeTime writes whole seconds in UTC, truncated (46.7 s is 46 s, as the API server writes it)")
    func kubeTime() throws {
        let decoded = try JSONDecoder().decode([KubeTime].self, from: Data("[\"2026-11-25T17:48:46.7+01:00\"]".utf8))
        #expect(decoded[0].description == "2026-11-25T16:48:46Z")
    }

    @Test(
        "malformed timestamps are decoding errors",
        arguments: ["2026-13-01T00:00:00Z", "yesterday", "2026-11-25T16:48:46"])
    func malformed(text: String) {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([MicroTime].self, from: Data("[\"\(text)\"]".utf8))
        }
    }
}
