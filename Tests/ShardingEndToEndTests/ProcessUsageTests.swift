import Foundation
import LocalCluster
import Testing

/// Reading a process's CPU time and peak memory from /proc (what the scale benchmark reports per replica).
@Suite("ProcessUsage")
struct ProcessUsageTests {
    @Test("utime + stime are fields 14 and 15, counted after the command name even when it holds ') '")
    func cpuFromStat() throws {
        let stat =
            "4242 (k8s (x) run) S 1 4242 4242 0 -1 4194560 1500 0 0 0 250 130 0 0 20 0 9 0 123456 712345678 4321 "
            + "18446744073709551615 1 1 0 0 0 0 0 4096 17922 0 0 0 17 1 0 0 0 0 0\n"
        #expect(try ProcessUsage.cpuSeconds(stat: stat, ticksPerSecond: 100) == 3.8)
        #expect(try ProcessUsage.cpuSeconds(stat: stat, ticksPerSecond: 1000) == 0.38)
    }

    @Test("a stat line without its fields is refused with the reason")
    func malformedStat() {
        #expect(throws: ProcessUsage.ReadError.malformed(path: "stat", reason: "no ')' closing the command name")) {
            try ProcessUsage.cpuSeconds(stat: "4242 k8supdater S 1", ticksPerSecond: 100)
        }
        #expect(throws: ProcessUsage.ReadError.self) {
            try ProcessUsage.cpuSeconds(stat: "4242 (k8supdater) S 1 2 3", ticksPerSecond: 100)
        }
    }

    @Test("VmHWM, VmRSS and its anonymous and file-backed parts are read in kB and returned in bytes")
    func memoryFromStatus() throws {
        let status = """
            Name:\tk8supdater
            VmPeak:\t  812345 kB
            VmHWM:\t   38112 kB
            VmRSS:\t   30001 kB
            RssAnon:\t   20000 kB
            RssFile:\t   10001 kB
            RssShmem:\t       0 kB
            Threads:\t9
            """
        let memory = try ProcessUsage.memory(status: status)
        #expect(memory.peak == 38112 * 1024)
        #expect(memory.resident == 30001 * 1024)
        #expect(memory.anonymous == 20000 * 1024)
        #expect(memory.file == 10001 * 1024)
        let old = try ProcessUsage.memory(status: "VmHWM:\t 2 kB\nVmRSS:\t 1 kB")
        #expect(old.anonymous == nil && old.file == nil)
        #expect(throws: ProcessUsage.ReadError.self) { try ProcessUsage.memory(status: "Name:\tx\nVmRSS:\t1 kB") }
    }

    @Test("the test process's own usage is read from /proc: some CPU time, a peak at least the current RSS")
    func ownProcess() throws {
        let usage = try ProcessUsage.read(pid: ProcessInfo.processInfo.processIdentifier)
        #expect(usage.cpuSeconds > 0)
        #expect(usage.residentBytes > 0)
        #expect(usage.peakResidentBytes >= usage.residentBytes)
    }
}
