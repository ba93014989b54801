import Testing
import Transport

@Suite("HTTP headers")
struct HTTPHeadersTests {
    @Test("lookup ignores case and returns the first value")
    func caseInsensitiveLookup() {
        var headers: HTTPHeaders = ["Content-Type": "application/json", "Link": "<a>"]
        headers.add("link", "<b>")
        #expect(headers["content-type"] == "application/json")
        #expect(headers["LINK"] == "<a>")
        #expect(headers.values("Link") == ["<a>", "<b>"])
    }

    @Test("setting a value replaces every field of that name")
    func setReplaces() {
        var headers: HTTPHeaders = ["Accept": "a", "accept": "b"]
        headers["ACCEPT"] = "c"
        #expect(headers.values("accept") == ["c"])
        headers["accept"] = nil
        #expect(!headers.contains("Accept"))
    }
}
