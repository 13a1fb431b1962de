// aveloxis.platform_uuid(platform_id int, user_id bigint) -> uuid (REFERENCE.md section 2).
#include "pg/error.hpp"
#include "pg/postgres.hpp"
#include "util/contributor_id.hpp"

extern "C" {
PG_FUNCTION_INFO_V1(aveloxis_platform_uuid);
}

Datum aveloxis_platform_uuid(PG_FUNCTION_ARGS) {
    int32 platform_id = PG_GETARG_INT32(0);
    int64 user_id = PG_GETARG_INT64(1);
    if (platform_id < 0 || platform_id > 255) {
        ereport(ERROR, (errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
                        errmsg("platform_id %d is out of range (0..255)", platform_id)));
    }
    auto *uuid = static_cast<pg_uuid_t *>(palloc(sizeof(pg_uuid_t)));
    aveloxis::pg::guarded([&] {
        auto bytes = aveloxis::util::platform_uuid_bytes(platform_id, user_id);
        std::copy(bytes.begin(), bytes.end(), uuid->data);
    });
    PG_RETURN_UUID_P(uuid);
}
