#ifndef K8SUPDATER_CCURL_SHIM_H
#define K8SUPDATER_CCURL_SHIM_H

#include <curl/curl.h>

/*
 * curl_easy_setopt / curl_easy_getinfo / curl_multi_setopt are C variadics, which Swift cannot
 * call, and several curl constants are macros Swift cannot import. The typed wrappers below are
 * the only way Swift reaches them. One wrapper per argument kind.
 */

#endif
