import CCurl

/// Owner of one libcurl multi handle (`CURLM *`): socket I/O for many easy handles, and the shared
/// connection and DNS caches that make connection reuse (and HTTP/2 multiplexing) work.
///
/// See <https://curl.se/libcurl/c/libcurl-multi.html>. `deinit` runs `curl_multi_cleanup`; every easy
/// handle must have been removed first.
///
/// - Important: Not thread-safe. Only ``wakeup()`` may be called from another thread, and only while the
///   handle is alive (``CurlMultiLoop`` serialises that against cleanup with its lock).
final class CurlMultiHandle {
    let raw: UnsafeMutableRawPointer

    /// Creates a multi handle with HTTP/2 multiplexing enabled.
    ///
    /// - Throws: ``TransportError/curl(code:message:)`` when libcurl cannot create one.
    init() throws(TransportError) {
        try CurlGlobal.ensureInitialized()
        guard let raw = curl_multi_init() else {
            throw .curl(code: Int(CURLE_FAILED_INIT.rawValue), message: "curl_multi_init failed")
        }
        self.raw = raw
        let code = ccurl_multi_setopt_long(raw, CURLMOPT_PIPELINING, Int(CURLPIPE_MULTIPLEX))
        if code != CURLM_OK {
            curl_multi_cleanup(raw)
            throw CurlError.transportError(code, operation: "CURLMOPT_PIPELINING")
        }
    }

    deinit {
        curl_multi_cleanup(raw)
    }

    /// Adds an easy handle; its transfer starts on the next ``perform()``.
    func add(_ easy: CurlEasyHandle) throws(TransportError) {
        let code = curl_multi_add_handle(raw, easy.raw)
        guard code == CURLM_OK else { throw CurlError.transportError(code, operation: "curl_multi_add_handle") }
    }

    /// Removes an easy handle, aborting its transfer if it is still running. Removing a handle that
    /// was not added is harmless.
    func remove(_ easy: CurlEasyHandle) {
        // The only failures are a bad handle or a call from inside a callback; neither can happen here.
        _ = curl_multi_remove_handle(raw, easy.raw)
    }

    /// Does whatever I/O is ready without blocking; callbacks run inside this call.
    func perform() throws(TransportError) {
        var running: Int32 = 0
        let code = curl_multi_perform(raw, &running)
        guard code == CURLM_OK else { throw CurlError.transportError(code, operation: "curl_multi_perform") }
    }

    /// Waits until there is I/O to do, libcurl's own timer expires, ``wakeup()`` is called, or
    /// `timeoutMilliseconds` passes.
    func poll(timeoutMilliseconds: Int32) throws(TransportError) {
        var ready: Int32 = 0
        let code = curl_multi_poll(raw, nil, 0, timeoutMilliseconds, &ready)
        guard code == CURLM_OK else { throw CurlError.transportError(code, operation: "curl_multi_poll") }
    }

    /// Makes a concurrent or the next ``poll(timeoutMilliseconds:)`` return at once. Thread-safe.
    func wakeup() {
        _ = curl_multi_wakeup(raw)
    }

    /// The transfers that have finished since the last call: each `CURL *` with its result.
    func completedTransfers() -> [(easy: UnsafeMutableRawPointer, result: CURLcode)] {
        var done: [(easy: UnsafeMutableRawPointer, result: CURLcode)] = []
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(raw, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            done.append((easy, ccurl_multi_message_result(message)))
        }
        return done
    }
}

@available(*, unavailable)
extension CurlMultiHandle: Sendable {}
