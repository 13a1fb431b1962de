#include "http/curl_global.hpp"

#include <curl/curl.h>

#include <mutex>
#include <stdexcept>

namespace aveloxis::http {

void ensure_curl_initialized() {
    static std::once_flag once;
    static CURLcode result = CURLE_OK;
    std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
    if (result != CURLE_OK) {
        throw std::runtime_error(std::string("libcurl initialisation failed: ") +
                                 curl_easy_strerror(result));
    }
}

}  // namespace aveloxis::http
