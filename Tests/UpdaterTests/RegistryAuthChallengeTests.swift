import Testing
import Updater

@Suite("WWW-Authenticate challenges")
struct RegistryAuthChallengeTests {
    @Test("a Bearer challenge yields realm, service and scope")
    func bearerChallenge() {
        let parsed = AuthChallenge.parse([
            #"Bearer realm="http://127.0.0.1:5101/auth",service="fixture-registry",scope="repository:private/app:pull""#
        ])
        #expect(parsed.count == 1)
        #expect(parsed[0].scheme == "bearer")
        #expect(parsed[0].realm == "http://127.0.0.1:5101/auth")
        #expect(parsed[0].service == "fixture-registry")
        #expect(parsed[0].scopes == ["repository:private/app:pull"])
        #expect(parsed[0].error == nil)
    }

    @Test("several challenges in one header are split, including a Basic one after a Bearer one")
    func severalChallenges() {
        let parsed = AuthChallenge.parse([
            #"Bearer realm="https://codeberg.org/v2/token",service="container_registry",scope="*",Basic realm="https://codeberg.org/v2",charset="UTF-8""#
        ])
        #expect(parsed.map(\.scheme) == ["bearer", "basic"])
        #expect(parsed[1].realm == "https://codeberg.org/v2")
        #expect(parsed[1].parameters["charset"] == "UTF-8")
    }

    @Test("the error parameter of an expired-token challenge is read")
    func errorParameter() {
        let parsed = AuthChallenge.parse([
            #"Bearer realm="https://auth.example/token",service="svc",scope="repository:a/b:pull",error="invalid_token""#
        ])
        #expect(parsed.first?.error == "invalid_token")
    }

    @Test("Basic challenges and unquoted or escaped values parse")
    func basicAndEscapes() {
        let parsed = AuthChallenge.parse([#"Basic realm=fixture-realm"#, #"Bearer realm="a\"b",scope="x y""#])
        #expect(parsed.first?.realm == "fixture-realm")
        #expect(parsed.last?.realm == #"a"b"#)
        #expect(parsed.last?.scopes == ["x", "y"])
    }

    @Test(
        "garbage yields no challenge rather than a crash",
        arguments: ["", ",,,", "=", "\"", "Bearer =\"", "Bearer realm"])
    func garbage(_ header: String) {
        let parsed = AuthChallenge.parse([header])
        #expect(parsed.allSatisfy { $0.realm == nil || $0.realm?.isEmpty == false })
    }
}
