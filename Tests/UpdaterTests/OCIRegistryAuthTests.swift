import Clocks
import TestSupport
import Testing
import Transport
import Updater

/// Auth against the real docker-registry: htpasswd (plain Basic) and token auth with our token server.
@Suite(
    "OCI client auth against a real docker-registry",
    .requires(.executable("docker-registry"), .executable("openssl"), .executable("htpasswd")))
struct OCIRegistryAuthTests {
    private let user = RegistryCredentials(username: "testuser", password: "testpass")

    @Test("htpasswd: Basic credentials from the challenge work; none or wrong ones give a typed error without secrets")
    func htpasswd() async throws {
        try SystemTool.require("htpasswd")
        let user = self.user
        try await DockerRegistryServer.withRegistry(auth: .htpasswd(username: "testuser", password: "testpass")) {
            registry in
            try await RegistryTest.withTransport { transport in
                let seeder = RegistryImageSeeder(transport: transport, baseURL: registry.baseURL) { _ in
                    user.basicAuthorization
                }
                let pushed = try await seeder.pushImage("private/app", tag: "1.0.0")
                let client = OCIRegistryClient(http: RegistryTest.http(transport))
                let repository = RegistryTest.repository(registry.host, "private/app")
                #expect(try await client.tags(of: repository, credentials: user).tags == ["1.0.0"])
                #expect(
                    try await client.digest(of: repository, tag: "1.0.0", credentials: user).digest == pushed.digest)

                let fresh = OCIRegistryClient(http: RegistryTest.http(transport))
                for credentials in [nil, RegistryCredentials(username: "testuser", password: "wrong-secret")] {
                    do {
                        _ = try await fresh.tags(of: repository, credentials: credentials)
                        Issue.record("expected an auth error")
                    } catch let error as RegistryError {
                        #expect(error.reason == "RegistryUnauthorized")
                        #expect(!error.description.contains("wrong-secret"))
                        #expect(
                            !error.description.contains(
                                RegistryCredentials(username: "testuser", password: "wrong-secret").basicAuthorization))
                    }
                }
            }
        }
    }

    @Test("token auth: one token per repository scope, reused until it expires on the injected clock")
    func tokenFlow() async throws {
        let user = self.user
        try await RegistryTokenServer.withServer { tokens in
            try await DockerRegistryServer.withRegistry(auth: .token(tokens)) { registry in
                try await RegistryTest.withTransport { transport in
                    let seeder = RegistryImageSeeder(transport: transport, baseURL: registry.baseURL) { repository in
                        try tokens.bearerAuthorization(
                            username: "testuser", repository: repository, actions: ["pull", "push"])
                    }
                    try await seeder.pushImage("team/app", tag: "1.0.0")
                    try await seeder.pushImage("team/app", tag: "1.1.0")
                    try await seeder.pushImage("public/tool", tag: "0.1.0")
                    let issuedForSeeding = tokens.issuedCount

                    let clock = TestClock()
                    let recording = RecordingTransport(transport)
                    let client = OCIRegistryClient(http: RegistryTest.http(recording), clock: RegistryClock(clock))
                    let repository = RegistryTest.repository(registry.host, "team/app")
                    #expect(Set(try await client.tags(of: repository, credentials: user).tags) == ["1.0.0", "1.1.0"])
                    _ = try await client.digest(of: repository, tag: "1.0.0", credentials: user)
                    _ = try await client.tags(of: repository, credentials: user)
                    #expect(tokens.issuedCount - issuedForSeeding == 1)
                    // Only the first request met a challenge; later ones carried the cached token.
                    #expect(recording.count { $0.contains("/tags/list") } == 3)

                    await clock.advance(by: .seconds(271))
                    _ = try await client.tags(of: repository, credentials: user)
                    #expect(tokens.issuedCount - issuedForSeeding == 2)

                    // Anonymous pull of a public repository works; of a private one it is refused (insufficient_scope).
                    let anonymous = OCIRegistryClient(http: RegistryTest.http(transport))
                    #expect(
                        try await anonymous.tags(
                            of: RegistryTest.repository(registry.host, "public/tool"), credentials: nil
                        )
                        .tags == ["0.1.0"])
                    do {
                        _ = try await anonymous.tags(of: repository, credentials: nil)
                        Issue.record("expected an auth error")
                    } catch let error as RegistryError {
                        #expect(error.reason == "RegistryUnauthorized")
                        #expect(error.description.contains("anonymously"))
                    }
                }
            }
        }
    }

    @Test("an expired token is answered with invalid_token and the client re-authenticates once")
    func reauthenticatesOnExpiredToken() async throws {
        let user = self.user
        try await RegistryTokenServer.withServer { tokens in
            try await DockerRegistryServer.withRegistry(auth: .token(tokens)) { registry in
                try await RegistryTest.withTransport { transport in
                    let seeder = RegistryImageSeeder(transport: transport, baseURL: registry.baseURL) { repository in
                        try tokens.bearerAuthorization(
                            username: "testuser", repository: repository, actions: ["pull", "push"])
                    }
                    let pushed = try await seeder.pushImage("team/app", tag: "1.0.0")
                    let before = tokens.issuedCount
                    tokens.issueExpiredTokens(1)
                    let client = OCIRegistryClient(http: RegistryTest.http(transport))
                    let repository = RegistryTest.repository(registry.host, "team/app")
                    let digest = try await client.digest(of: repository, tag: "1.0.0", credentials: user)
                    #expect(digest.digest == pushed.digest)
                    #expect(tokens.issuedCount - before == 2)

                    // Wrong credentials are refused by the token server: a typed error, no secret in it.
                    do {
                        _ = try await OCIRegistryClient(http: RegistryTest.http(transport)).tags(
                            of: repository,
                            credentials: RegistryCredentials(username: "testuser", password: "bad-secret"))
                        Issue.record("expected an auth error")
                    } catch let error as RegistryError {
                        #expect(error.reason == "RegistryUnauthorized")
                        #expect(!error.description.contains("bad-secret"))
                    }
                }
            }
        }
    }
}
