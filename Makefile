# aveloxis: PostgreSQL 15 extension in C++17, built with PGXS.
#
# Layout of src/ (see README "Architecture"):
#   pure C++ (no PostgreSQL header, unit-tested without a server):
#     util/ http/ platform/ facade/
#   PostgreSQL side (SPI, GUCs, background workers, SQL-callable functions):
#     pg/ sql_api/ scheduler/ pipeline/

EXTENSION  = aveloxis
EXTVERSION = 0.1.0
MODULE_big = aveloxis

PURE_SRCS := $(sort $(wildcard src/util/*.cpp src/http/*.cpp src/platform/*.cpp \
                               src/platform/*/*.cpp src/facade/*.cpp))
PG_SRCS   := $(sort $(wildcard src/pg/*.cpp src/sql_api/*.cpp src/scheduler/*.cpp \
                               src/pipeline/*.cpp))
OBJS       = $(PURE_SRCS:.cpp=.o) $(PG_SRCS:.cpp=.o)

# The install script is assembled from the readable parts in sql/install/.
INSTALL_PARTS := $(sort $(wildcard sql/install/*.sql))
DATA_built     = $(EXTENSION)--$(EXTVERSION).sql
EXTRA_CLEAN    = test/unit/run_unit

# Debian's PGXS would also compile every source to LLVM bitcode with clang,
# without our C++ flags; the JIT gains nothing from this extension.
override with_llvm = no
# Rebuild objects when the headers they include change.
override autodepend = yes

CXX_WARN     = -Wall -Wextra -Wno-register -Wno-unused-parameter -Wno-missing-field-initializers
PG_CXXFLAGS  = -std=c++17 $(CXX_WARN) -fno-omit-frame-pointer
PG_CPPFLAGS  = -Isrc
SHLIB_LINK   = -lcurl -lgit2 -lstdc++

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

$(DATA_built): $(INSTALL_PARTS)
	cat $^ > $@

# Unit tests of the pure C++ (GoogleTest), no server needed.
UNIT_SRCS := $(sort $(wildcard test/unit/*.cpp))
test/unit/run_unit: $(UNIT_SRCS) $(PURE_SRCS) $(wildcard src/*/*.hpp src/*/*/*.hpp)
	$(CXX) -std=c++17 -g -O1 $(CXX_WARN) -Werror -Isrc -o $@ $(UNIT_SRCS) $(PURE_SRCS) \
	    -lgtest -lgtest_main -lpthread -lcurl -lgit2

.PHONY: unit
unit: test/unit/run_unit
	./test/unit/run_unit
