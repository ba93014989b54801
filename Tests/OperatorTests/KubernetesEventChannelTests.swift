import Foundation
import KubeEmulator
import KubernetesClient
import OperatorCore
import Synchronization
import Testing
import Updater
import VersioningAPI

@Suite("Kubernetes Events channel against KubeEmulator")
struct KubernetesEventChannelTests {
    @Test("a notice becomes one events.k8s.io/v1 Event on the VersioningHandler")
    func createsEvent() async throws {
        let fixture = try await NotifyEmulatorFixture.make()
        let channel = KubernetesEventChannel(
            client: fixture.client(), reportingInstance: "k8supdater-0", now: { NotifyEmulatorFixture.time })
        let notice = try Notice(NotifyEmulatorFixture.finding(.updateAvailable(.beyondFrontier)))
        try await channel.deliver(notice)
        let events = try await fixture.events()
        #expect(events.count == 1)
        let event = try #require(events.first)
        #expect(event.metadata.name == "nginx-checker.\(notice.fingerprint.prefix(16))")
        #expect(event.reason == "UpdateAvailable")
        #expect(event.type == "Normal")
        #expect(event.action == "Notify")
        #expect(event.reportingController == "k8supdater.io/operator")
        #expect(event.reportingInstance == "k8supdater-0")
        #expect(event.regarding.kind == "VersioningHandler" && event.regarding.name == "nginx-checker")
        #expect(event.regarding.apiVersion == "k8supdater.io/v1")
        // kubectl describe selects an object's Events by involvedObject.uid as well.
        let handler = try await fixture.client().get(
            VersioningHandler.self, name: NotifyEmulatorFixture.handler.name,
            namespace: NotifyEmulatorFixture.handler.namespace)
        #expect(event.regarding.uid != nil && event.regarding.uid == handler.metadata.uid)
        #expect(event.related?.kind == "Deployment" && event.related?.name == "nginx-deployment")
        #expect(
            event.note
                == "[No update!] - Image: nginx - Deployment: nginx-deployment: Did not update image: 2.0.0 is "
                + "beyond the versions frontier and needs a review")
        #expect(event.series == nil)
    }

    @Test("the same notice again bumps series.count and lastObservedTime instead of adding Events")
    func seriesAggregation() async throws {
        let fixture = try await NotifyEmulatorFixture.make()
        let clock = Mutex(NotifyEmulatorFixture.time)
        let channel = KubernetesEventChannel(
            client: fixture.client(), reportingInstance: "k8supdater-0", now: { clock.withLock { $0 } })
        let notice = try Notice(NotifyEmulatorFixture.finding(.updated(to: "1.3.0")))
        try await channel.deliver(notice)
        clock.withLock { $0 += 60 }
        try await channel.deliver(notice)
        clock.withLock { $0 += 60 }
        // Another replica reports the same news: still the same Event.
        try await KubernetesEventChannel(
            client: fixture.client(), reportingInstance: "k8supdater-1", now: { clock.withLock { $0 } }
        ).deliver(notice)
        let events = try await fixture.events()
        #expect(events.count == 1)
        let event = try #require(events.first)
        #expect(event.series?.count == 3)
        #expect(event.series?.lastObservedTime == MicroTime(NotifyEmulatorFixture.time + 120))
        #expect(event.eventTime == MicroTime(NotifyEmulatorFixture.time))
        #expect(event.reason == "Updated" && event.action == "Update")

        // Different news is a different Event.
        let failure = Finding.CheckFailure(reason: "RegistryUnreachable", message: "connection refused")
        try await channel.deliver(try Notice(NotifyEmulatorFixture.finding(.checkFailed(failure))))
        let all = try await fixture.events()
        #expect(all.count == 2)
        #expect(all.contains { $0.reason == "CheckFailed" && $0.type == "Warning" && $0.action == "Check" })
    }

    @Test("an API refusal is reported as a channel error, not retried")
    func refusal() async throws {
        let fixture = try await NotifyEmulatorFixture.make()
        let channel = KubernetesEventChannel(client: fixture.client(), reportingInstance: "k8supdater-0")
        var finding = NotifyEmulatorFixture.finding(.restarted)
        finding.handler = Finding.ObjectName(namespace: "missing-namespace", name: "nginx-checker")
        let error = try await #require(throws: NotificationError.self) {
            try await channel.deliver(try Notice(finding))
        }
        #expect(error.channel == "events")
        #expect(!error.isRetryable)
    }
}
