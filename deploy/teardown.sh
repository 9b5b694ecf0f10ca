#!/usr/bin/env bash
# Removes what deploy/deploy.sh created: stops the application, empties the code bucket if the stack created
# it (every version of every object), and deletes the stack (application, streams and their data, role, log
# group, bucket). A bucket you passed with --bucket is left alone. See docs/deploy-aws.md.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: deploy/teardown.sh [--app-name NAME | --stack-name NAME] [--region REGION] [--profile PROFILE] [--yes]

  --app-name NAME     the --app-name given to deploy.sh: its stack is named after it
  --stack-name NAME   the stack deploy.sh created (default: the app name, else fraud-detector)
  --region REGION     AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, then the CLI profile's region)
  --profile PROFILE   AWS CLI profile to use
  --yes               do not ask for confirmation
EOF
}

die() { echo "teardown: $*" >&2; exit 1; }
log() { echo "==> $*" >&2; }

REGION="${AWS_REGION:-${AWS_DEFAULT_REGION:-}}"
PROFILE=""
STACK=""
APP_NAME=""
YES=false

need_value() { [[ $# -ge 2 && -n "$2" ]] || die "$1 needs a value (see --help)"; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --stack-name) need_value "$@"; STACK="$2"; shift 2 ;;
    --app-name) need_value "$@"; APP_NAME="$2"; shift 2 ;;
    --region) need_value "$@"; REGION="$2"; shift 2 ;;
    --profile) need_value "$@"; PROFILE="$2"; shift 2 ;;
    --yes|-y) YES=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option '$1'" ;;
  esac
done

STACK="${STACK:-${APP_NAME:-fraud-detector}}"
command -v aws >/dev/null || die "the AWS CLI (v2) is not installed"
AWS_OPTS=()
[[ -n "$PROFILE" ]] && AWS_OPTS+=(--profile "$PROFILE")
if [[ -z "$REGION" ]]; then
  REGION="$(aws ${AWS_OPTS[@]+"${AWS_OPTS[@]}"} configure get region 2>/dev/null || true)"
fi
[[ -n "$REGION" ]] || die "no region: pass --region or set AWS_REGION"
AWS_OPTS+=(--region "$REGION")
awscli() { aws "${AWS_OPTS[@]}" "$@"; }

if ! out="$(awscli cloudformation describe-stacks --stack-name "$STACK" --query 'Stacks[0].StackStatus' \
    --output text 2>&1)"; then
  [[ "$out" == *"does not exist"* ]] && { log "Stack $STACK does not exist in $REGION: nothing to do (deployed with \
--app-name? pass the same --app-name here)"; exit 0; }
  die "cannot describe stack $STACK: $out"
fi
# REVIEW_IN_PROGRESS: a create interrupted while its change set was made; it has no resources and never finishes.
[[ "$out" != *_IN_PROGRESS || "$out" == DELETE_IN_PROGRESS || "$out" == REVIEW_IN_PROGRESS ]] \
  || die "stack $STACK is busy ($out); try again later"

stack_output() {
  local value
  value="$(awscli cloudformation describe-stacks --stack-name "$STACK" \
    --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue | [0]" --output text)"
  [[ "$value" == "None" ]] || echo "$value"
}

APP="$(stack_output ApplicationName)"
BUCKET="$(stack_output CodeBucketName)"
BUCKET_OWNED="$(stack_output CodeBucketCreatedByStack)"

WHAT="stack $STACK${APP:+, application $APP and its snapshots}, its six Kinesis streams with all their records,"
WHAT+=" its IAM role and its log group"
[[ "$BUCKET_OWNED" == "true" ]] && WHAT+=", and bucket $BUCKET with every jar version"
echo "This deletes, in $REGION: $WHAT."
if [[ "$YES" != true ]]; then
  read -r -p "Continue? [y/N] " answer
  [[ "$answer" == [yY]* ]] || die "cancelled"
fi

# 1. Stop the application (force: no snapshot, it is deleted anyway).
app_status() {
  local out
  if out="$(awscli kinesisanalyticsv2 describe-application --application-name "$APP" \
      --query ApplicationDetail.ApplicationStatus --output text 2>&1)"; then
    echo "$out"
  elif [[ "$out" == *ResourceNotFoundException* ]]; then
    echo GONE
  else
    die "cannot describe application $APP: $out"
  fi
}
if [[ -n "$APP" ]]; then
  status="$(app_status)" || exit 1
  deadline=$((SECONDS + 900))
  while [[ "$status" != READY && "$status" != GONE ]]; do
    case "$status" in
      # Sent again whenever it is back to one of these: a stop during maintenance or a rollback is refused.
      RUNNING|STARTING|UPDATING|AUTOSCALING|ROLLED_BACK|ROLLING_BACK)
        log "Stopping application $APP ($status)"
        awscli kinesisanalyticsv2 stop-application --application-name "$APP" --force >/dev/null 2>&1 || true ;;
    esac
    (( SECONDS < deadline )) || die "application $APP still $status after 15 minutes"
    sleep 10
    status="$(app_status)" || exit 1
    log "Application $APP: $status"
  done
fi

# 2. Empty the bucket the stack created (versioned: every version and delete marker), else CloudFormation
#    cannot delete it.
if [[ "$BUCKET_OWNED" == "true" && -n "$BUCKET" ]]; then
  log "Emptying s3://$BUCKET"
  while :; do
    # shellcheck disable=SC2016 # the backticks are a JMESPath literal, not a command substitution
    batch="$(awscli s3api list-object-versions --bucket "$BUCKET" --max-keys 1000 --no-paginate --output json \
      --query '{Objects: [Versions[].{Key: Key, VersionId: VersionId}, DeleteMarkers[].{Key: Key, VersionId: VersionId}][] | [?Key], Quiet: `true`}' \
      2>/dev/null || true)"
    [[ -n "$batch" && "$batch" == *'"Key"'* ]] || break
    awscli s3api delete-objects --bucket "$BUCKET" --delete "$batch" >/dev/null
  done
elif [[ -n "$BUCKET" ]]; then
  log "Leaving your bucket $BUCKET as it is (the jar stays under the stack's CodeKey)"
fi

# 3. Delete the stack.
log "Deleting stack $STACK"
awscli cloudformation delete-stack --stack-name "$STACK"
awscli cloudformation wait stack-delete-complete --stack-name "$STACK"
log "Stack $STACK deleted"
