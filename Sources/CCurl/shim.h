#ifndef K8SUPDATER_CCURL_SHIM_H
#define K8SUPDATER_CCURL_SHIM_H

/* The GCC type-check macros would turn curl_easy_setopt into a macro; the wrappers below are typed already. */
#ifndef CURL_DISABLE_TYPECHECK
#define CURL_DISABLE_TYPECHECK 1
#endif

#include <curl/curl.h>
#include <stddef.h>

/*
 * curl_easy_setopt / curl_easy_getinfo / curl_multi_setopt are C variadics, which Swift cannot
 * call, and several curl constants are macros Swift cannot import. The typed wrappers below are
 * the only way Swift reaches them. One wrapper per argument kind; each returns libcurl's result
 * code unchanged, so the Swift side checks every one.
 *
 * Ownership reminders (libcurl's rules, restated for the Swift side):
 * - strings passed to ccurl_easy_setopt_string are copied by libcurl;
 * - curl_slist lists passed to ccurl_easy_setopt_slist are NOT copied: keep them alive until the
 *   easy handle is cleaned up;
 * - blobs are copied when ccurl_easy_setopt_blob is called with copy != 0 (CURL_BLOB_COPY);
 * - the error buffer (CURLOPT_ERRORBUFFER) must stay valid, CURL_ERROR_SIZE bytes, for the
 *   handle's lifetime.
 */

/* MARK: curl_easy_setopt, one wrapper per argument type */

static inline CURLcode ccurl_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *list) {
    return curl_easy_setopt(handle, option, list);
}

/* CURLOPT_*_BLOB (CAINFO_BLOB, SSLCERT_BLOB, SSLKEY_BLOB…): copy != 0 makes libcurl copy the bytes. */
static inline CURLcode ccurl_easy_setopt_blob(CURL *handle, CURLoption option, const void *data, size_t length,
                                              int copy) {
    struct curl_blob blob;
    blob.data = (void *)data;
    blob.len = length;
    blob.flags = copy ? CURL_BLOB_COPY : CURL_BLOB_NOCOPY;
    return curl_easy_setopt(handle, option, &blob);
}

/* MARK: callbacks (a C function pointer cannot capture: context goes through the matching *DATA option) */

/* CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION share this signature. */
static inline CURLcode ccurl_easy_setopt_write_callback(CURL *handle, CURLoption option,
                                                        curl_write_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

/* CURLOPT_READFUNCTION. */
static inline CURLcode ccurl_easy_setopt_read_callback(CURL *handle, CURLoption option,
                                                       curl_read_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

/* CURLOPT_XFERINFOFUNCTION. */
static inline CURLcode ccurl_easy_setopt_xferinfo_callback(CURL *handle, CURLoption option,
                                                           curl_xferinfo_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

/* CURLOPT_SEEKFUNCTION. */
static inline CURLcode ccurl_easy_setopt_seek_callback(CURL *handle, CURLoption option,
                                                       curl_seek_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

/* CURLOPT_DEBUGFUNCTION. */
static inline CURLcode ccurl_easy_setopt_debug_callback(CURL *handle, CURLoption option,
                                                        curl_debug_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

/* MARK: curl_easy_getinfo, one wrapper per result type */

static inline CURLcode ccurl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode ccurl_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode ccurl_easy_getinfo_double(CURL *handle, CURLINFO info, double *value) {
    return curl_easy_getinfo(handle, info, value);
}

/* The string stays owned by the handle; valid until the next call on it or its cleanup. */
static inline CURLcode ccurl_easy_getinfo_string(CURL *handle, CURLINFO info, const char **value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode ccurl_easy_getinfo_pointer(CURL *handle, CURLINFO info, void **value) {
    return curl_easy_getinfo(handle, info, value);
}

/* MARK: curl_multi_setopt */

static inline CURLMcode ccurl_multi_setopt_long(CURLM *handle, CURLMoption option, long value) {
    return curl_multi_setopt(handle, option, value);
}

static inline CURLMcode ccurl_multi_setopt_pointer(CURLM *handle, CURLMoption option, void *value) {
    return curl_multi_setopt(handle, option, value);
}

static inline CURLMcode ccurl_multi_setopt_off_t(CURLM *handle, CURLMoption option, curl_off_t value) {
    return curl_multi_setopt(handle, option, value);
}

/* MARK: CURLMsg is a struct with a union Swift reads awkwardly */

/* The CURLcode of a CURLMSG_DONE message. */
static inline CURLcode ccurl_multi_message_result(const CURLMsg *message) {
    return message->data.result;
}

/* MARK: macros Swift cannot import (expressions or aliases of other macros) */

static inline long ccurl_global_default(void) { return CURL_GLOBAL_DEFAULT; }
static inline long ccurl_global_all(void) { return CURL_GLOBAL_ALL; }
static inline CURLversion ccurl_version_now(void) { return CURLVERSION_NOW; }
static inline size_t ccurl_error_size(void) { return CURL_ERROR_SIZE; }
static inline size_t ccurl_readfunc_abort(void) { return CURL_READFUNC_ABORT; }
static inline size_t ccurl_readfunc_pause(void) { return CURL_READFUNC_PAUSE; }
static inline size_t ccurl_writefunc_pause(void) { return CURL_WRITEFUNC_PAUSE; }
static inline int ccurl_pause_all(void) { return CURLPAUSE_ALL; }
static inline int ccurl_pause_cont(void) { return CURLPAUSE_CONT; }

#endif
