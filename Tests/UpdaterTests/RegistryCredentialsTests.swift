import Foundation
import Testing
import Updater

@Suite("Registry credentials from dockerconfigjson bytes")
struct RegistryCredentialsTests {
    private static let config = Data(
        """
        {"auths": {
          "https://index.docker.io/v1/": {"auth": "\(Data("hubuser:hub-secret".utf8).base64EncodedString())"},
          "ghcr.io": {"username": "octo", "password": "ghp_secret"},
          "http://127.0.0.1:5001/v2/": {"auth": "\(Data("testuser:test:pass".utf8).base64EncodedString())"},
          "quay.io": {"identitytoken": "only-a-token"}
        }}
        """.utf8)

    @Test("entries are found by host, whatever the key's spelling")
    func lookupByHost() throws {
        let credentials = try DockerConfigCredentials(json: Self.config)
        #expect(credentials.credentials(forHost: "docker.io")?.username == "hubuser")
        #expect(credentials.credentials(forHost: "registry-1.docker.io")?.password == "hub-secret")
        #expect(credentials.credentials(forHost: "GHCR.io")?.username == "octo")
        #expect(credentials.credentials(forHost: "127.0.0.1:5001")?.password == "test:pass")
        #expect(credentials.credentials(forHost: "quay.io") == nil)
        #expect(credentials.credentials(forHost: "gcr.io") == nil)
    }

    @Test("the legacy .dockercfg shape (no auths wrapper) is read too")
    func legacyShape() throws {
        let legacy = Data(#"{"registry.example:5000": {"username": "u", "password": "p"}}"#.utf8)
        #expect(
            try DockerConfigCredentials(json: legacy).credentials(forHost: "registry.example:5000")?.username == "u")
    }

    @Test("a Secret of another object wins when merged")
    func merging() throws {
        let base = try DockerConfigCredentials(json: Self.config)
        let own = DockerConfigCredentials(entries: ["ghcr.io": RegistryCredentials(username: "bot", password: "x")])
        #expect(base.merging(own).credentials(forHost: "ghcr.io")?.username == "bot")
    }

    @Test(
        "malformed bytes give a typed error that never contains the secret",
        arguments: [
            #"not json"#, #"[1,2]"#, #"{"auths":{"h":"s3cr3t-value"}}"#,
            #"{"auths":{"h":{"auth":"!!s3cr3t-value!!"}}}"#,
        ])
    func malformed(_ text: String) {
        #expect(throws: DockerConfigError.self) { try DockerConfigCredentials(json: Data(text.utf8)) }
        do {
            _ = try DockerConfigCredentials(json: Data(text.utf8))
        } catch {
            #expect(!error.description.contains("s3cr3t"))
        }
    }

    @Test("credentials print without their secret")
    func redacted() {
        let credentials = RegistryCredentials(username: "octo", password: "ghp_secret")
        #expect(!"\(credentials)".contains("ghp_secret"))
        #expect(!String(reflecting: credentials).contains("ghp_secret"))
        #expect(credentials.basicAuthorization == "Basic " + Data("octo:ghp_secret".utf8).base64EncodedString())
    }
}
