#pragma once

namespace aveloxis::http {

// curl_global_init is not thread-safe and must run once per process before any other libcurl
// call; every libcurl user in this code calls this first. Throws std::runtime_error on failure.
void ensure_curl_initialized();

}  // namespace aveloxis::http
