package import Foundation

/// A real SMTP server for tests: Debian's `python3-aiosmtpd`, started with `/usr/bin/python3`, on two
/// kernel-chosen ports of `127.0.0.1`:
/// - ``startTLSPort``: plain SMTP that requires STARTTLS before AUTH and mail;
/// - ``implicitTLSPort``: TLS from the first byte (smtps).
///
/// Both require AUTH (``username`` / ``password``; a wrong password gets `535`, promptly) and save each
/// message's DATA, byte for byte as received after dot-unstuffing, with its envelope. The server uses
/// the server certificate of a ``TLSTestCertificates``; clients trust its CA.
package struct SMTPTestServer: Sendable {
    package static let username = "mailer"
    package static let password = "s3cret"

    package let startTLSPort: Int
    package let implicitTLSPort: Int
    /// Where messages are saved.
    package let maildir: String

    /// `smtp://127.0.0.1:<startTLSPort>/<ehlo>`.
    package func startTLSURL(ehlo: String = "client.example.test") -> String {
        "smtp://127.0.0.1:\(startTLSPort)/\(ehlo)"
    }

    /// `smtps://127.0.0.1:<implicitTLSPort>/<ehlo>`.
    package func implicitTLSURL(ehlo: String = "client.example.test") -> String {
        "smtps://127.0.0.1:\(implicitTLSPort)/\(ehlo)"
    }

    /// One message as the server received it.
    package struct ReceivedMail: Sendable, Equatable {
        /// The DATA bytes.
        package var data: Data
        package var mailFrom: String
        package var recipients: [String]
    }

    /// Every message received so far, oldest first.
    package func receivedMessages() -> [ReceivedMail] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: maildir)) ?? [])
            .filter { $0.hasSuffix(".eml") }.sorted()
        return names.compactMap { name in
            let base = "\(maildir)/\(name.dropLast(4))"
            guard let data = FileManager.default.contents(atPath: "\(base).eml"),
                let envelope = FileManager.default.contents(atPath: "\(base).env")
            else { return nil }
            let lines = String(decoding: envelope, as: UTF8.self).split(separator: "\n").map(String.init)
            return ReceivedMail(data: data, mailFrom: lines.first ?? "", recipients: Array(lines.dropFirst()))
        }
    }

    /// Runs the server while `body` runs.
    ///
    /// - Throws: ``SystemTool/Missing`` without `/usr/bin/python3` + aiosmtpd; ``TestProcess/Failure``
    ///   when the server does not start.
    package static func withServer<Result>(
        certificates: TLSTestCertificates, _ body: (SMTPTestServer) async throws -> Result
    ) async throws -> Result {
        try SystemTool.require(.pythonModule("aiosmtpd"))
        let maildir = "\(certificates.directory)/maildir"
        try FileManager.default.createDirectory(atPath: maildir, withIntermediateDirectories: true)
        let script = "\(certificates.directory)/smtp_server.py"
        try Data(Self.script.utf8).write(to: URL(fileURLWithPath: script))
        let arguments = [
            "-u", script, certificates.serverCertificate, certificates.serverKey, maildir, username, password,
        ]
        return try await TestProcess.withProcess(
            SystemTool.systemPython, arguments: arguments, directory: certificates.directory
        ) { process in
            let ready = try await process.waitForLine(startingWith: "ready ")
            let ports = ready.split(separator: " ").dropFirst().compactMap { Int($0) }
            guard ports.count == 2 else {
                throw TestProcess.Failure(message: "printed an unexpected ready line", output: process.output)
            }
            return try await body(SMTPTestServer(startTLSPort: ports[0], implicitTLSPort: ports[1], maildir: maildir))
        }
    }

    /// The aiosmtpd handler both test servers use: each message's envelope goes to `NNNNNN.env` and its
    /// raw DATA to `NNNNNN.eml` in `maildir` (written under a temporary name, then renamed). Expects
    /// `os`, `threading`, `lock`, `counter` and `maildir` in the script.
    static let savingHandler = #"""
        class Handler:
            async def handle_DATA(self, server, session, envelope):
                with lock:
                    counter[0] += 1
                    base = os.path.join(maildir, "%06d" % counter[0])
                with open(base + ".env", "w") as f:
                    f.write("\n".join([envelope.mail_from] + list(envelope.rcpt_tos)) + "\n")
                with open(base + ".tmp", "wb") as f:
                    f.write(envelope.original_content)
                os.rename(base + ".tmp", base + ".eml")
                return "250 OK message accepted"
        """#

    /// The server: two aiosmtpd controllers, AUTH checked against argv, DATA saved to files.
    /// Note: a failed AUTH must return `handled=False`, or aiosmtpd sends no reply and the client hangs.
    static let script = #"""
        import os, signal, socket, ssl, sys, threading
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult, LoginPassword

        cert, key, maildir, user, password = sys.argv[1:6]
        lock = threading.Lock()
        counter = [0]

        def free_port():
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
            s.close()
            return port

        \#(SMTPTestServer.savingHandler)

        def authenticator(server, session, envelope, mechanism, auth_data):
            if isinstance(auth_data, LoginPassword):
                if auth_data.login == user.encode() and auth_data.password == password.encode():
                    return AuthResult(success=True)
            return AuthResult(success=False, handled=False)

        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        starttls_port, implicit_port = free_port(), free_port()
        starttls = Controller(Handler(), hostname="127.0.0.1", port=starttls_port, tls_context=context,
                              require_starttls=True, auth_required=True, auth_require_tls=True,
                              authenticator=authenticator)
        implicit = Controller(Handler(), hostname="127.0.0.1", port=implicit_port, ssl_context=context,
                              auth_require_tls=False,  # TLS from the start; aiosmtpd only counts STARTTLS
                              auth_required=True, authenticator=authenticator)
        starttls.start()
        implicit.start()
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        print("ready %d %d" % (starttls_port, implicit_port), flush=True)
        while not stop.wait(0.2):
            pass
        starttls.stop()
        implicit.stop()
        """#
}
