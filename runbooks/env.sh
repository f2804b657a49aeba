# Sets the variables every runbook's commands use, from the stack's outputs. From the repository root:
#
#   source runbooks/env.sh [stage]          # stage: default $TIDEWATCH_STAGE, else dev
#
# Outputs come from .tidewatch/outputs.json when the local cloud wrote it for this stack (needs jq),
# else from `aws cloudformation describe-stacks`. For the local cloud, first:
#   export AWS_ENDPOINT_URL=http://127.0.0.1:4566 AWS_DEFAULT_REGION=us-east-1 AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local
# (`npx tidewatch` and the aws CLI v2 honour AWS_ENDPOINT_URL; for the CLI v1, see `aws` below).
#
# Sets: STAGE STACK BUCKET_NAME API_URL FILES_QUEUE_URL FILES_DLQ_URL JOBS_QUEUE_URL JOBS_DLQ_URL
#       STATUS_TABLE_NAME PAGING_TOPIC_ARN DASHBOARD_NAME FILES_WORKER_FUNCTION JOBS_WORKER_FUNCTION API_ID
# Defines: tw_ago SECONDS (an ISO-8601 UTC time that many seconds ago, for --start-time/--end-time);
#          with AWS_ENDPOINT_URL set, aws (the aws CLI with --endpoint-url "$AWS_ENDPOINT_URL").

export STAGE="${1:-${TIDEWATCH_STAGE:-dev}}"
export STACK="Tidewatch-$STAGE"

tw_ago() {
  local t=$(($(date +%s) - $1))
  date -u -d "@$t" +%Y-%m-%dT%H:%M:%SZ 2>/dev/null || date -u -r "$t" +%Y-%m-%dT%H:%M:%SZ
}

# The aws CLI v1 ignores AWS_ENDPOINT_URL for SQS: it pins SQS to its legacy queue.amazonaws.com host
# unless --endpoint-url is on the command line. So with an endpoint set, every aws command gets it.
if [ -n "${AWS_ENDPOINT_URL:-}" ]; then
  aws() { command aws --endpoint-url "$AWS_ENDPOINT_URL" "$@"; }
fi

_tw_outputs() {
  if [ -f .tidewatch/outputs.json ] && command -v jq >/dev/null 2>&1 &&
    jq -e --arg stack "$STACK" 'has($stack)' .tidewatch/outputs.json >/dev/null 2>&1; then
    jq -r --arg stack "$STACK" '.[$stack] | to_entries[] | "\(.key)\t\(.value)"' .tidewatch/outputs.json
  else
    aws cloudformation describe-stacks --stack-name "$STACK" --query 'Stacks[0].Outputs[].[OutputKey,OutputValue]' --output text
  fi
}

# The worker's function name and the API's id are not outputs: the alarms that watch them name them.
_tw_alarm_dimension() {
  aws cloudwatch describe-alarms --alarm-names "$STACK-$1" --query "$2" --output text
}

if _tw_all="$(_tw_outputs)" && [ -n "$_tw_all" ]; then
  _tw_get() { printf '%s\n' "$_tw_all" | awk -F '\t' -v key="$1" '$1 == key { print $2 }'; }
  export BUCKET_NAME="$(_tw_get BucketName)"
  export API_URL="$(_tw_get ApiUrl)"
  export FILES_QUEUE_URL="$(_tw_get FilesQueueUrl)"
  export FILES_DLQ_URL="$(_tw_get FilesDeadLetterQueueUrl)"
  export JOBS_QUEUE_URL="$(_tw_get JobsQueueUrl)"
  export JOBS_DLQ_URL="$(_tw_get JobsDeadLetterQueueUrl)"
  export STATUS_TABLE_NAME="$(_tw_get StatusTableName)"
  export PAGING_TOPIC_ARN="$(_tw_get PagingTopicArn)"
  export DASHBOARD_NAME="$(_tw_get DashboardName)"
  export FILES_WORKER_FUNCTION="$(_tw_alarm_dimension files-worker-throttles 'MetricAlarms[0].Dimensions[0].Value')"
  export JOBS_WORKER_FUNCTION="$(_tw_alarm_dimension jobs-worker-throttles 'MetricAlarms[0].Dimensions[0].Value')"
  export API_ID="$(_tw_alarm_dimension api-5xx 'MetricAlarms[0].Metrics[?Id==`requests`].MetricStat.Metric.Dimensions[0].Value | [0]')"
  echo "runbooks/env.sh: $STACK (files queue $FILES_QUEUE_URL)" >&2
else
  echo "runbooks/env.sh: no outputs found for stack $STACK (is the stage right? is AWS_ENDPOINT_URL set for the local cloud?)" >&2
  return 1 2>/dev/null || exit 1
fi
unset _tw_all
