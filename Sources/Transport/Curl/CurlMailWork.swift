import CCurl

import struct Foundation.Data

/// An SMTP submission carried out by a ``CurlTransfer``.
struct CurlMailWork: Sendable {
    var configuration: SMTPConfiguration
    var envelope: MailEnvelope
    /// The RFC 5322 message, CRLF line endings (libcurl dot-stuffs it but does not fix line endings).
    var message: Data
}

extension CurlEasyHandle {
    /// Configures this handle to submit `mail`, reading the message from `transfer`.
    ///
    /// STARTTLS is required for `smtp://` (`CURLUSESSL_ALL`) unless the configuration allows plain
    /// text (`CURLUSESSL_TRY`); `smtps://` is TLS from the start.
    func configure(mail: CurlMailWork, transfer: CurlTransfer) throws(TransportError) {
        let configuration = mail.configuration
        try set(CURLOPT_URL, configuration.url)
        try set(CURLOPT_PROTOCOLS_STR, "smtp,smtps")
        try set(CURLOPT_NOSIGNAL, true)
        let useSSL = configuration.allowPlaintext && !configuration.isImplicitTLS ? CURLUSESSL_TRY : CURLUSESSL_ALL
        try set(CURLOPT_USE_SSL, Int(useSSL.rawValue))
        if let username = configuration.username { try set(CURLOPT_USERNAME, username) }
        if let password = configuration.password { try set(CURLOPT_PASSWORD, password) }
        try set(CURLOPT_MAIL_FROM, "<\(mail.envelope.from)>")
        try set(CURLOPT_MAIL_RCPT, list: mail.envelope.recipients.map { "<\($0)>" })
        try set(CURLOPT_UPLOAD, true)
        try set(CURLOPT_INFILESIZE_LARGE, offset: Int64(mail.message.count))
        try configure(timeouts: configuration.timeouts)
        var tls = configuration.tls
        tls.serverName = nil  // a server-name override is an HTTP (kubeconfig) feature
        try configure(tls: tls, url: configuration.url)
        try set(CURLOPT_READDATA, pointer: transfer.userData)
        try set(
            CURLOPT_READFUNCTION,
            readCallback: { buffer, size, count, userData in
                guard let buffer, let userData else { return ccurl_readfunc_abort() }
                return CurlTransfer.from(userData).provideUpload(
                    into: UnsafeMutableRawBufferPointer(start: buffer, count: size * count))
            })
    }
}
