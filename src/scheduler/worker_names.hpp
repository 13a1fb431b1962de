// backend_type of the background workers, as pg_stat_activity shows them.
#pragma once

namespace aveloxis::scheduler {

inline constexpr const char *kLauncherType = "aveloxis launcher";
inline constexpr const char *kCollectorType = "aveloxis collector";

}  // namespace aveloxis::scheduler
