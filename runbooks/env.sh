# Sets the variables every runbook's commands use, from the stack's outputs. From the repository root:
#
#   source runbooks/env.sh [stage] [queue]
#
#   stage  default $TIDEWATCH_STAGE, else dev
#   queue  the work queue the page names (its "Queue:" line); default $QUEUE. Without one (or with ''),
#          only the stack's variables are set and the queue's are unset.
#
# Outputs come from .tidewatch/outputs.json when the local cloud wrote it for this stack (needs jq),
# else from `aws cloudformation describe-stacks`. For the local cloud, first:
#   export AWS_ENDPOINT_URL=http://127.0.0.1:4566 AWS_DEFAULT_REGION=us-east-1 AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
# (`npx tidewatch` and the aws CLI v2 honour AWS_ENDPOINT_URL; for the CLI v1, see `aws` below).
#
# Sets: STAGE STACK BUCKET_NAME API_URL STATUS_TABLE_NAME PAGING_TOPIC_ARN DASHBOARD_NAME API_ID
#       WORK_QUEUES (the stack's work queues, space-separated: for QUEUE in $WORK_QUEUES; do ...)
#   with a queue: QUEUE QUEUE_URL DLQ_URL WORKER_FUNCTION (the worker's Lambda function)
#                 WORKER_SERVICE (the worker kind, e.g. job-worker: the `service` dimension of its metrics)
# Defines: tw_ago SECONDS (an ISO-8601 UTC time that many seconds ago, for --start-time/--end-time);
#          with AWS_ENDPOINT_URL set, aws (the aws CLI with --endpoint-url "$AWS_ENDPOINT_URL").
# Costs at most two aws calls: the outputs (none with outputs.json) and one describe-alarms.

export STAGE="${1:-${TIDEWATCH_STAGE:-dev}}"
export STACK="Tidewatch-$STAGE"
_tw_queue="${2-${QUEUE:-}}"
# A previous queue's variables must never outlive a switch of queue or a failure below.
unset QUEUE QUEUE_URL DLQ_URL WORKER_FUNCTION WORKER_SERVICE

tw_ago() {
  local t=$(($(date +%s) - $1))
  date -u -d "@$t" +%Y-%m-%dT%H:%M:%SZ 2>/dev/null || date -u -r "$t" +%Y-%m-%dT%H:%M:%SZ
}

# The aws CLI v1 ignores AWS_ENDPOINT_URL for SQS: it pins SQS to its legacy queue.amazonaws.com host
# unless --endpoint-url is on the command line. So with an endpoint set, every aws command gets it.
if [ -n "${AWS_ENDPOINT_URL:-}" ]; then
  aws() { command aws --endpoint-url "$AWS_ENDPOINT_URL" "$@"; }
fi

_tw_fail() {
  echo "runbooks/env.sh: $1" >&2
  unset _tw_queue _tw_all _tw_alarms _tw_dimensions _tw_title
  unset -f _tw_fail _tw_outputs _tw_get
}

_tw_outputs() {
  if [ -f .tidewatch/outputs.json ] && command -v jq >/dev/null 2>&1 &&
    jq -e --arg stack "$STACK" 'has($stack)' .tidewatch/outputs.json >/dev/null 2>&1; then
    jq -r --arg stack "$STACK" '.[$stack] | to_entries[] | "\(.key)\t\(.value)"' .tidewatch/outputs.json
  else
    aws cloudformation describe-stacks --stack-name "$STACK" --query 'Stacks[0].Outputs[].[OutputKey,OutputValue]' --output text
  fi
}

if ! _tw_all="$(_tw_outputs)" || [ -z "$_tw_all" ]; then
  _tw_fail "no outputs found for stack $STACK (is the stage right? is AWS_ENDPOINT_URL set for the local cloud?)"
  return 1 2>/dev/null || exit 1
fi
_tw_get() { printf '%s\n' "$_tw_all" | awk -F '\t' -v key="$1" '$1 == key { print $2 }'; }
export BUCKET_NAME="$(_tw_get BucketName)"
export API_URL="$(_tw_get ApiUrl)"
export STATUS_TABLE_NAME="$(_tw_get StatusTableName)"
export PAGING_TOPIC_ARN="$(_tw_get PagingTopicArn)"
export DASHBOARD_NAME="$(_tw_get DashboardName)"
export WORK_QUEUES="$(_tw_get WorkQueueNames | tr ',' ' ')"

if [ -n "$_tw_queue" ]; then
  case " $WORK_QUEUES " in
    *" $_tw_queue "*) ;;
    *)
      _tw_fail "$STACK has no work queue '$_tw_queue'; its work queues: ${WORK_QUEUES:-(none: the stack has no WorkQueueNames output)}"
      return 1 2>/dev/null || exit 1
      ;;
  esac
  # Output keys carry the queue's name capitalised: FilesQueueUrl, ReportsDeadLetterQueueUrl.
  _tw_title="$(printf '%s' "${_tw_queue:0:1}" | tr '[:lower:]' '[:upper:]')${_tw_queue:1}"
  export QUEUE="$_tw_queue"
  export QUEUE_URL="$(_tw_get "${_tw_title}QueueUrl")"
  export DLQ_URL="$(_tw_get "${_tw_title}DeadLetterQueueUrl")"
fi

# The worker's function, its kind and the API's id are not outputs: the alarms that watch them name
# them in their metrics' dimensions, on AWS and on the local cloud alike. One call reads all three.
_tw_alarms=("$STACK-api-5xx")
[ -z "${QUEUE:-}" ] || _tw_alarms+=("$STACK-$QUEUE-dead-lettered" "$STACK-$QUEUE-worker-throttles")
_tw_dimensions="$(aws cloudwatch describe-alarms --alarm-names "${_tw_alarms[@]}" --output text \
  --query "MetricAlarms[].[Dimensions, Metrics[].MetricStat.Metric.Dimensions[]][][] | [[?Name=='service'].Value | [0], [?Name=='FunctionName'].Value | [0], [?Name=='ApiId'].Value | [0]]")" || _tw_dimensions=''
IFS="$(printf '\t')" read -r _tw_service _tw_function _tw_api <<EOF
$_tw_dimensions
EOF
[ "$_tw_api" = None ] && _tw_api=''
export API_ID="$_tw_api"
[ -n "$API_ID" ] || echo "runbooks/env.sh: API_ID is empty: alarm $STACK-api-5xx not found or names no ApiId" >&2

if [ -n "${QUEUE:-}" ]; then
  if [ -z "$_tw_service" ] || [ "$_tw_service" = None ] || [ -z "$_tw_function" ] || [ "$_tw_function" = None ]; then
    unset QUEUE QUEUE_URL DLQ_URL
    _tw_fail "could not read the worker from alarms $STACK-$_tw_queue-dead-lettered (dimension service) and $STACK-$_tw_queue-worker-throttles (FunctionName)"
    unset _tw_service _tw_function _tw_api
    return 1 2>/dev/null || exit 1
  fi
  export WORKER_SERVICE="$_tw_service"
  export WORKER_FUNCTION="$_tw_function"
  echo "runbooks/env.sh: $STACK, queue $QUEUE ($WORKER_SERVICE), work queues: $WORK_QUEUES" >&2
else
  echo "runbooks/env.sh: $STACK, work queues: $WORK_QUEUES (no queue given: only the stack's variables)" >&2
fi
unset _tw_queue _tw_all _tw_alarms _tw_dimensions _tw_title _tw_service _tw_function _tw_api
unset -f _tw_fail _tw_outputs _tw_get
