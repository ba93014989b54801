import Foundation
import KubeEmulator
import KubernetesClient
import Logging
import OperatorCore
import TestSupport
import Testing
import Transport
import Updater
import VersioningAPI

/// With secret-bearing channels failing against peers that echo their credentials, neither the
/// Events nor the VersioningHandler's status nor the logs carry a secret.
@Suite("Secrets stay out of Events and status")
struct NotifyRedactionTests {
    static let token = "777777:REDACT-ME-telegram"
    static let hookPath = "/hooks/REDACT-ME-hook-path"
    static let hookSecret = "REDACT-ME-whsec"
    static let secrets = ["REDACT-ME-telegram", "REDACT-ME-hook-path", hookSecret]

    @Test("Events, status and logs after failing secret-bearing channels contain no secret")
    func noSecretsInClusterState() async throws {
        let fixture = try await NotifyEmulatorFixture.make()
        let transport = try CurlTransport()
        let logs = CapturedLogs()
        let echo = HTTPResponse(
            status: 401, body: Data("unauthorized: \(Self.token) \(Self.hookPath) \(Self.hookSecret)".utf8))
        try await FixtureHTTPServer.withServer(replies: [echo]) { peer in
            let client = fixture.client()
            let channels: [any NotificationChannel] = [
                TelegramChannel(
                    settings: TelegramSettings(token: SecretValue(Self.token), chatID: "1", apiURL: peer.baseURL),
                    transport: transport),
                WebhookChannel(
                    settings: WebhookSettings(
                        url: SecretValue(peer.url(Self.hookPath)), secret: SecretValue(Self.hookSecret)),
                    transport: transport),
                KubernetesEventChannel(client: client, reportingInstance: "k8supdater-0"),
                LogChannel(logger: logs.logger()),
            ]
            let settings = NotificationSettings(
                telegram: TelegramSettings(token: SecretValue(Self.token), chatID: "1", apiURL: peer.baseURL),
                webhook: WebhookSettings(
                    url: SecretValue(peer.url(Self.hookPath)), secret: SecretValue(Self.hookSecret)))
            // One peer echoes every channel's credentials: the fan-out scrubs all configured secrets.
            let fanOut = NotificationFanOut(
                policy: DeliveryPolicy(maxAttempts: 1), clock: ContinuousClock(), logger: logs.logger(),
                redactor: Redactor(settings.secrets))
            let dispatcher = NotificationDispatcher(
                channels: channels, fanOut: fanOut, store: StatusLedgerStore(client: client), logger: logs.logger())
            let report = try await dispatcher.dispatch(
                [NotifyEmulatorFixture.finding(.updated(to: "1.3.0"))], for: NotifyEmulatorFixture.handler)
            let failures = report.sent.values.flatMap(\.values).filter { !$0.isDelivered }
            #expect(failures.count == 2)

            let encoder = JSONEncoder()
            var outputs = try await fixture.events().map { String(decoding: try encoder.encode($0), as: UTF8.self) }
            let handler = try await client.get(
                VersioningHandler.self, name: NotifyEmulatorFixture.handler.name,
                namespace: NotifyEmulatorFixture.handler.namespace)
            outputs.append(String(decoding: try encoder.encode(handler), as: UTF8.self))
            outputs += logs.records.map(\.text)
            outputs += failures.map { String(reflecting: $0) }
            #expect(outputs.count > 3)
            let leaked = outputs.flatMap { output in Self.secrets.filter { output.contains($0) } }
            #expect(leaked.isEmpty, "leaked: \(leaked)")
            #expect(handler.status?.notified?.first?.state == "Pending")
        }
        await transport.shutdown()
    }
}
