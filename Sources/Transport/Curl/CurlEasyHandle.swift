import CCurl

import struct Foundation.Data

/// Owner of one libcurl easy handle (`CURL *`): the protocol state and options of one transfer.
///
/// libcurl splits a transfer in two: the easy handle holds what one request needs (URL, headers, TLS
/// material, callbacks, the response's bookkeeping), and the multi handle it is added to
/// (``CurlMultiHandle``) does the socket I/O for many of them at once. See
/// <https://curl.se/libcurl/c/libcurl-easy.html>.
///
/// Ownership: this object owns the `CURL *`, the `curl_slist` lists handed to libcurl (libcurl does not
/// copy lists) and the error buffer (`CURLOPT_ERRORBUFFER`). `deinit` runs `curl_easy_cleanup` first, then
/// frees the lists and the buffer. The handle must have been removed from any multi handle before the
/// last reference goes away (``CurlMultiLoop`` guarantees this).
///
/// - Important: Not thread-safe and deliberately not `Sendable`: it is created, configured, driven and
///   destroyed on the transport's loop thread only.
final class CurlEasyHandle {
    /// The `CURL *`, valid for this object's lifetime.
    let raw: UnsafeMutableRawPointer
    private var lists: [UnsafeMutablePointer<curl_slist>] = []
    private let errorBuffer: UnsafeMutablePointer<CChar>

    /// Creates a handle with an error buffer attached.
    ///
    /// - Throws: ``TransportError/curl(code:message:)`` when libcurl cannot create a handle.
    init() throws(TransportError) {
        try CurlGlobal.ensureInitialized()
        guard let raw = curl_easy_init() else {
            throw .curl(code: Int(CURLE_FAILED_INIT.rawValue), message: "curl_easy_init failed")
        }
        self.raw = raw
        errorBuffer = .allocate(capacity: ccurl_error_size())
        errorBuffer.initialize(repeating: 0, count: ccurl_error_size())
        // Fully initialised from here on: on failure, deinit releases the handle and the buffer.
        let code = ccurl_easy_setopt_pointer(raw, CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBuffer))
        if code != CURLE_OK {
            throw .curl(code: Int(code.rawValue), message: "CURLOPT_ERRORBUFFER: \(CurlError.text(of: code))")
        }
    }

    deinit {
        curl_easy_cleanup(raw)
        for list in lists { curl_slist_free_all(list) }
        errorBuffer.deallocate()
    }

    // MARK: Options (https://curl.se/libcurl/c/curl_easy_setopt.html)

    /// Sets a `long` option (numbers, and booleans as 0/1).
    func set(_ option: CURLoption, _ value: Int) throws(TransportError) {
        try check(ccurl_easy_setopt_long(raw, option, value), option)
    }

    /// Sets a boolean option as 1 or 0.
    func set(_ option: CURLoption, _ value: Bool) throws(TransportError) {
        try set(option, value ? 1 : 0)
    }

    /// Sets a string option; libcurl copies the string.
    func set(_ option: CURLoption, _ value: String) throws(TransportError) {
        if value.utf8.contains(0) { throw .invalidRequest("option \(option.rawValue) contains a NUL byte") }
        try check(value.withCString { ccurl_easy_setopt_string(raw, option, $0) }, option)
    }

    /// Resets a string or pointer option to NULL (libcurl's default, or "none" for CA paths).
    func setNull(_ option: CURLoption) throws(TransportError) {
        try check(ccurl_easy_setopt_pointer(raw, option, nil), option)
    }

    /// Sets a `curl_off_t` option (sizes of bodies and uploads).
    func set(_ option: CURLoption, offset value: Int64) throws(TransportError) {
        try check(ccurl_easy_setopt_off_t(raw, option, curl_off_t(value)), option)
    }

    /// Sets a pointer option (callback user data).
    func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer?) throws(TransportError) {
        try check(ccurl_easy_setopt_pointer(raw, option, pointer), option)
    }

    /// Sets a blob option (PEM bytes for CAs, certificates and keys); libcurl copies the bytes.
    func set(_ option: CURLoption, blob: Data) throws(TransportError) {
        let code = blob.withUnsafeBytes { bytes in
            ccurl_easy_setopt_blob(raw, option, bytes.baseAddress, bytes.count, 1)
        }
        try check(code, option)
    }

    /// Sets a list option (`CURLOPT_HTTPHEADER`, `CURLOPT_MAIL_RCPT`, `CURLOPT_CONNECT_TO`). The list
    /// is kept alive until this handle is destroyed.
    func set(_ option: CURLoption, list items: [String]) throws(TransportError) {
        var list: UnsafeMutablePointer<curl_slist>?
        for item in items {
            if item.utf8.contains(0) {
                if let list { curl_slist_free_all(list) }
                throw .invalidRequest("list option \(option.rawValue) contains a NUL byte")
            }
            guard let appended = item.withCString({ curl_slist_append(list, $0) }) else {
                if let list { curl_slist_free_all(list) }
                throw .curl(code: Int(CURLE_OUT_OF_MEMORY.rawValue), message: "curl_slist_append failed")
            }
            list = appended
        }
        guard let list else { return }
        lists.append(list)
        try check(ccurl_easy_setopt_slist(raw, option, list), option)
    }

    /// Sets `CURLOPT_WRITEFUNCTION` or `CURLOPT_HEADERFUNCTION`.
    func set(_ option: CURLoption, writeCallback: curl_write_callback) throws(TransportError) {
        try check(ccurl_easy_setopt_write_callback(raw, option, writeCallback), option)
    }

    /// Sets `CURLOPT_READFUNCTION`.
    func set(_ option: CURLoption, readCallback: curl_read_callback) throws(TransportError) {
        try check(ccurl_easy_setopt_read_callback(raw, option, readCallback), option)
    }

    private func check(_ code: CURLcode, _ option: CURLoption) throws(TransportError) {
        guard code != CURLE_OK else { return }
        let text = CurlError.text(of: code)
        switch code {
        case CURLE_UNKNOWN_OPTION, CURLE_NOT_BUILT_IN, CURLE_BAD_FUNCTION_ARGUMENT:
            throw .invalidRequest("libcurl option \(option.rawValue) rejected: \(text)")
        default:
            throw .curl(code: Int(code.rawValue), message: "setting libcurl option \(option.rawValue): \(text)")
        }
    }

    // MARK: Information (https://curl.se/libcurl/c/curl_easy_getinfo.html)

    /// A `long` piece of information, or nil when libcurl has none.
    func info(_ info: CURLINFO) -> Int? {
        var value = 0
        guard ccurl_easy_getinfo_long(raw, info, &value) == CURLE_OK else { return nil }
        return value
    }

    /// A `curl_off_t` piece of information (times in microseconds, sizes), or nil.
    func info(offset info: CURLINFO) -> Int64? {
        var value: curl_off_t = 0
        guard ccurl_easy_getinfo_off_t(raw, info, &value) == CURLE_OK else { return nil }
        return Int64(value)
    }

    /// The error buffer's text from the last failure, or libcurl's generic text for `code`.
    func errorMessage(for code: CURLcode) -> String {
        let text = String(cString: errorBuffer)
        return text.isEmpty ? CurlError.text(of: code) : text
    }

    /// What the handle observed, for ``CurlError/transportError(_:context:observation:)``.
    func observation(for code: CURLcode) -> CurlError.Observation {
        CurlError.Observation(
            message: errorMessage(for: code),
            responseCode: info(CURLINFO_RESPONSE_CODE) ?? 0,
            connected: (info(offset: CURLINFO_PRETRANSFER_TIME_T) ?? 0) > 0
        )
    }
}

@available(*, unavailable)
extension CurlEasyHandle: Sendable {}
