#ifndef K8SUPDATER_CCRYPTO_SHIM_H
#define K8SUPDATER_CCRYPTO_SHIM_H

/*
 * OpenSSL's libcrypto, for the digests Transport exposes to Swift (SHA-256, HMAC-SHA256).
 * Only the one-shot, non-deprecated OpenSSL 3 entry points are used.
 */
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#endif
