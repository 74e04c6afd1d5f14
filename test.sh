#!/usr/bin/env bash
# Runs every test. Installs what a fresh machine lacks (PostgreSQL 15 for the storage tests);
# the tests start and remove their own throwaway PostgreSQL clusters.
set -euo pipefail
cd "$(dirname "$0")"

if [ ! -x /usr/lib/postgresql/15/bin/initdb ]; then
  echo "Installing PostgreSQL 15 (the tests start their own clusters from its binaries)..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null
fi

if grep -q 'Browser.Tests' ReturnOps.sln && [ ! -x /usr/bin/chromium ]; then
  echo "Installing Chromium (the browser tests drive Debian's build headless; nothing is downloaded by the tests)..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

if ! command -v npm >/dev/null; then
  echo "Installing Node.js and npm (the contract tests install Spectral and Optic from their committed lockfiles)..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi

rm -rf TestResults
dotnet build ReturnOps.sln -c Release -warnaserror
status=0
# Test projects as the solution lists them (Windows separators in the classic format).
for project in $(grep -o 'tests\\[^"]*\.Tests\.csproj' ReturnOps.sln | tr '\\' /); do
  name=$(basename "$project" .csproj)
  dotnet test "$project" -c Release --no-build --logger "trx;LogFileName=$name.trx" --results-directory TestResults "$@" || status=1
done
exit $status
