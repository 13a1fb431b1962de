// The PostgreSQL headers aveloxis uses, with C linkage. Only files under src/pg, sql_api,
// scheduler and pipeline may include this: the rest of src/ is pure C++.
#pragma once

extern "C" {
#include "postgres.h"

#include "access/xact.h"
#include "funcapi.h"
#include "nodes/parsenodes.h"
#include "postmaster/interrupt.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "storage/proc.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"
#include "utils/uuid.h"
#include "tcop/utility.h"
}
