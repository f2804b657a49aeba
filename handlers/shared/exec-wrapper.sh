#!/bin/sh
# Lambda runs this script (AWS_LAMBDA_EXEC_WRAPPER) with the runtime's command line: the node binary, then
# its arguments. It execs that command with V8's young generation starting at 16 MiB a semi-space instead
# of 1: loading a bundle then takes fewer scavenges (bench/coldstart.ts). Node refuses the flag in NODE_OPTIONS.
node="$1"
shift
exec "$node" --min-semi-space-size=16 "$@"
