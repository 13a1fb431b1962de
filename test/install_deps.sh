#!/usr/bin/env bash
# Debian packages aveloxis needs to build and test (see README). Run as root.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
    build-essential postgresql-15 postgresql-server-dev-15 postgresql-15-pgtap postgresql-15-cron \
    libgit2-dev libcurl4-openssl-dev libtap-parser-sourcehandler-pgtap-perl \
    libgtest-dev clang-format cppcheck git curl python3 ca-certificates >/dev/null
