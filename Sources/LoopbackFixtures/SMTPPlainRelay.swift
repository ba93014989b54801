import struct Foundation.Data
import class Foundation.FileManager
import struct Foundation.URL

/// A plain SMTP relay for tests: Debian's `python3-aiosmtpd` on `127.0.0.1` and a kernel-chosen port,
/// with neither TLS nor AUTH — the local relay that `EMAIL_TLS=none` is for. Messages are saved like
/// ``SMTPTestServer``'s and read back with ``receivedMessages()``.
package struct SMTPPlainRelay: Sendable {
    package let port: Int
    package let maildir: String

    /// `smtp://127.0.0.1:<port>/<ehlo>`.
    package func url(ehlo: String = "client.example.test") -> String { "smtp://127.0.0.1:\(port)/\(ehlo)" }

    /// Every message received so far, oldest first.
    package func receivedMessages() -> [SMTPTestServer.ReceivedMail] {
        SMTPTestServer(startTLSPort: port, implicitTLSPort: port, maildir: maildir).receivedMessages()
    }

    /// Runs the relay while `body` runs, in a temporary directory removed afterwards.
    ///
    /// - Throws: ``SystemTool/Missing`` without `/usr/bin/python3` + aiosmtpd; ``TestProcess/Failure``
    ///   when the relay does not start.
    package static func withRelay<Result>(_ body: (SMTPPlainRelay) async throws -> Result) async throws -> Result {
        try SystemTool.require(.pythonModule("aiosmtpd"))
        let temporary = try TemporaryDirectory(prefix: "smtp-relay")
        defer { temporary.remove() }
        let directory = temporary.path
        let maildir = "\(directory)/maildir"
        try FileManager.default.createDirectory(atPath: maildir, withIntermediateDirectories: true)
        let script = "\(directory)/smtp_relay.py"
        try Data(Self.script.utf8).write(to: URL(fileURLWithPath: script))
        return try await TestProcess.withProcess(
            SystemTool.systemPython, arguments: ["-u", script, maildir], directory: directory
        ) { process in
            let ready = try await process.waitForLine(startingWith: "ready ")
            guard let port = ready.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else {
                throw TestProcess.Failure(message: "printed an unexpected ready line", output: process.output)
            }
            return try await body(SMTPPlainRelay(port: port, maildir: maildir))
        }
    }

    /// One aiosmtpd controller without TLS or AUTH; DATA saved as `SMTPTestServer` saves it.
    static let script = #"""
        import os, signal, socket, sys, threading
        from aiosmtpd.controller import Controller

        maildir = sys.argv[1]
        lock = threading.Lock()
        counter = [0]

        \#(SMTPTestServer.savingHandler)

        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        relay = Controller(Handler(), hostname="127.0.0.1", port=port)
        relay.start()
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        print("ready %d" % port, flush=True)
        while not stop.wait(0.2):
            pass
        relay.stop()
        """#
}
