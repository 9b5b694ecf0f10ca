#!/usr/bin/env bash
# Builds the fraud detector's application jar and deploys it to AWS Managed Service for Apache Flink with
# CloudFormation (deploy/cloudformation/fraud-detector.yaml), then starts the application, or lets the stack
# update restart it when it is already running. Safe to run again: each run uploads a new jar version and
# updates the same stack.
#
# Needs: AWS CLI v2 with credentials for the target account (the usual AWS CLI ways: environment, profile,
# SSO, instance role); JDK 17 and Maven to build. This script neither reads nor writes credentials.
# See docs/deploy-aws.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TEMPLATE="$ROOT/deploy/cloudformation/fraud-detector.yaml"

usage() {
  cat <<'EOF'
Usage: deploy/deploy.sh [options]

  --region REGION           AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, then the CLI profile's region)
  --profile PROFILE         AWS CLI profile to use (default: the CLI's default credentials)
  --stack-name NAME         CloudFormation stack (default: the app name, else fraud-detector)
  --app-name NAME           MSF application name and prefix of the stream names (default: fraud-detector)
  --bucket NAME             existing S3 bucket, versioning enabled, for the jar (default: the stack creates one)
  --code-key KEY            S3 key of the jar (default: <app-name>/fraud-detector-app.jar)
  --stream-mode MODE        ON_DEMAND or PROVISIONED (default on a new stack: PROVISIONED)
  --input-shards N          shards of the transactions stream (PROVISIONED; default 2)
  --alert-shards N          shards of the alerts stream (PROVISIONED; default 1)
  --dead-letter-shards N    shards of the dead-letter stream (PROVISIONED; default 4: twice the input's)
  --shadow-alert-shards N   shards of the shadow-alert stream (PROVISIONED; default 1)
  --initial-rules FILE      the initial rule set: a JSON array of rule documents (at most 2048 characters once
                            its line breaks are removed, the MSF limit for a property value); an empty file
                            switches back to the default rule. Later changes: put them on the rules stream
  --kms-key-arn ARN         customer-managed KMS key (key ARN) encrypting the streams; "" for the AWS-managed
                            key alias/aws/kinesis (default on a new stack)
  --parallelism N           Flink parallelism (default 1)
  --parallelism-per-kpu N   parallel tasks per KPU (default 1)
  --autoscaling true|false  MSF autoscaling (default false)
  --checkpoint-interval-ms N  checkpoint interval (default 60000)
  --initial-position P      TRIM_HORIZON or LATEST: where a start without snapshot reads from (default TRIM_HORIZON)
  --alarm-topic ARN         SNS topic the stack's alarms notify; "" for alarms without actions (default)
  --parameter KEY=VALUE     any other template parameter, repeatable (e.g. DetectionThreshold=5000.00)
  --skip-build              deploy the jar already in fraud-detector/target
  --no-start                create or update everything but do not start a stopped application
  -h, --help                this help

Options left out keep the stack's current values (or the template defaults on a new stack).
EOF
}

die() { echo "deploy: $*" >&2; exit 1; }
log() { echo "==> $*" >&2; }

REGION="${AWS_REGION:-${AWS_DEFAULT_REGION:-}}"
PROFILE=""
STACK=""
APP_NAME=""
BUCKET=""
CODE_KEY=""
SKIP_BUILD=false
START=true
OVERRIDES=()

need_value() { [[ $# -ge 2 && -n "$2" ]] || die "$1 needs a value (see --help)"; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --region) need_value "$@"; REGION="$2"; shift 2 ;;
    --profile) need_value "$@"; PROFILE="$2"; shift 2 ;;
    --stack-name) need_value "$@"; STACK="$2"; shift 2 ;;
    --app-name) need_value "$@"; APP_NAME="$2"; shift 2 ;;
    --bucket) need_value "$@"; BUCKET="$2"; shift 2 ;;
    --code-key) need_value "$@"; CODE_KEY="$2"; shift 2 ;;
    --stream-mode) need_value "$@"; OVERRIDES+=("StreamMode=$2"); shift 2 ;;
    --input-shards) need_value "$@"; OVERRIDES+=("InputShardCount=$2"); shift 2 ;;
    --alert-shards) need_value "$@"; OVERRIDES+=("AlertShardCount=$2"); shift 2 ;;
    --dead-letter-shards) need_value "$@"; OVERRIDES+=("DeadLetterShardCount=$2"); shift 2 ;;
    --shadow-alert-shards) need_value "$@"; OVERRIDES+=("ShadowAlertShardCount=$2"); shift 2 ;;
    --initial-rules)
      need_value "$@"
      [[ -r "$2" ]] || die "cannot read the rules file '$2'"
      # One line: MSF takes the array as one property value (CloudFormation checks its length).
      OVERRIDES+=("InitialRules=$(tr -d '\r\n' < "$2")"); shift 2 ;;
    # An empty value is allowed: it switches back to the AWS-managed key.
    --kms-key-arn) [[ $# -ge 2 ]] || die "$1 needs a value (see --help)"; OVERRIDES+=("KmsKeyArn=$2"); shift 2 ;;
    --parallelism) need_value "$@"; OVERRIDES+=("Parallelism=$2"); shift 2 ;;
    --parallelism-per-kpu) need_value "$@"; OVERRIDES+=("ParallelismPerKPU=$2"); shift 2 ;;
    --autoscaling) need_value "$@"; OVERRIDES+=("AutoScalingEnabled=$2"); shift 2 ;;
    --checkpoint-interval-ms) need_value "$@"; OVERRIDES+=("CheckpointIntervalMs=$2"); shift 2 ;;
    --initial-position) need_value "$@"; OVERRIDES+=("InitialPosition=$2"); shift 2 ;;
    --alarm-topic) [[ $# -ge 2 ]] || die "$1 needs a value (see --help)"; OVERRIDES+=("AlarmTopicArn=$2"); shift 2 ;;
    --parameter)
      need_value "$@"
      [[ "$2" == *=* ]] || die "--parameter needs KEY=VALUE, got '$2'"
      case "${2%%=*}" in
        ApplicationName|DeployApplication|ExistingCodeBucket|CodeKey|CodeObjectVersion)
          die "${2%%=*} is set by this script; use --app-name, --bucket or --code-key" ;;
      esac
      OVERRIDES+=("$2"); shift 2 ;;
    --skip-build) SKIP_BUILD=true; shift ;;
    --no-start) START=false; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option '$1'" ;;
  esac
done

command -v aws >/dev/null || die "the AWS CLI (v2) is not installed: https://docs.aws.amazon.com/cli/"
if ! aws --version 2>&1 | grep -q '^aws-cli/2\.'; then
  echo "deploy: warning: $(aws --version 2>&1 | head -n 1): this script is written for AWS CLI v2" >&2
fi

AWS_OPTS=()
[[ -n "$PROFILE" ]] && AWS_OPTS+=(--profile "$PROFILE")
if [[ -z "$REGION" ]]; then
  REGION="$(aws ${AWS_OPTS[@]+"${AWS_OPTS[@]}"} configure get region 2>/dev/null || true)"
fi
[[ -n "$REGION" ]] || die "no region: pass --region or set AWS_REGION"
AWS_OPTS+=(--region "$REGION")
awscli() { aws "${AWS_OPTS[@]}" "$@"; }

STACK="${STACK:-${APP_NAME:-fraud-detector}}"

# --- Stack state -------------------------------------------------------------------------------------------

# Prints the stack status, or NONE when the stack does not exist.
stack_status() {
  local out
  if out="$(awscli cloudformation describe-stacks --stack-name "$STACK" \
      --query 'Stacks[0].StackStatus' --output text 2>&1)"; then
    echo "$out"
  elif [[ "$out" == *"does not exist"* ]]; then
    echo NONE
  else
    die "cannot describe stack $STACK: $out"
  fi
}

# Prints one output of the stack, or nothing.
stack_output() {
  local value
  value="$(awscli cloudformation describe-stacks --stack-name "$STACK" \
    --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue | [0]" --output text)"
  [[ "$value" == "None" ]] || echo "$value"
}

cfn_deploy() {
  awscli cloudformation deploy \
    --stack-name "$STACK" \
    --template-file "$TEMPLATE" \
    --capabilities CAPABILITY_IAM \
    --no-fail-on-empty-changeset \
    --parameter-overrides "$@"
}

# --- 1. Build ----------------------------------------------------------------------------------------------

if [[ "$SKIP_BUILD" == false ]]; then
  command -v mvn >/dev/null || die "Maven is not installed (or pass --skip-build with a built jar)"
  log "Building the application jar"
  (cd "$ROOT" && mvn -B -pl fraud-detector -am package -DskipTests)
fi
shopt -s nullglob
JARS=("$ROOT"/fraud-detector/target/fraud-detector-*-app.jar)
shopt -u nullglob
[[ ${#JARS[@]} -eq 1 ]] || die "expected one fraud-detector/target/fraud-detector-*-app.jar, found ${#JARS[@]}"
JAR="${JARS[0]}"
log "Jar: $JAR ($(du -h "$JAR" | cut -f1))"

ACCOUNT="$(awscli sts get-caller-identity --query Account --output text)" \
  || die "no usable AWS credentials (see docs/deploy-aws.md, Prerequisites)"
log "Account $ACCOUNT, region $REGION, stack $STACK"

# --- 2. Code bucket ----------------------------------------------------------------------------------------

STATUS="$(stack_status)"
case "$STATUS" in
  ROLLBACK_COMPLETE|ROLLBACK_FAILED|DELETE_FAILED)
    die "stack $STACK is in $STATUS and cannot be updated: remove it with deploy/teardown.sh --stack-name $STACK" ;;
  # A create interrupted while its change set was being made: no resources, and 'cloudformation deploy' takes
  # it as no stack at all.
  REVIEW_IN_PROGRESS) STATUS=NONE ;;
  *_IN_PROGRESS)
    die "stack $STACK is busy ($STATUS); try again when it is done" ;;
esac

# The template's ExistingCodeBucket: empty when the stack creates (and owns) the bucket.
EXISTING_BUCKET="$BUCKET"
if [[ "$STATUS" != NONE ]]; then
  STACK_BUCKET="$(stack_output CodeBucketName)"
  if [[ "$(stack_output CodeBucketCreatedByStack)" == "true" ]]; then
    [[ -z "$BUCKET" || "$BUCKET" == "$STACK_BUCKET" ]] || die "stack $STACK keeps its jar in its own bucket \
$STACK_BUCKET; switching to --bucket $BUCKET would delete that bucket. Drop --bucket, or tear the stack down first"
    EXISTING_BUCKET=""
  elif [[ -z "$BUCKET" ]]; then
    EXISTING_BUCKET="$STACK_BUCKET"
  fi
fi

if [[ -n "$EXISTING_BUCKET" ]]; then
  VERSIONING="$(awscli s3api get-bucket-versioning --bucket "$EXISTING_BUCKET" --query Status --output text)" \
    || die "cannot read bucket $EXISTING_BUCKET"
  [[ "$VERSIONING" == "Enabled" ]] || die "bucket $EXISTING_BUCKET must have versioning enabled (each deploy pins \
the jar's version): aws s3api put-bucket-versioning --bucket $EXISTING_BUCKET --versioning-configuration Status=Enabled"
fi

BASE_OVERRIDES=("ExistingCodeBucket=$EXISTING_BUCKET")
[[ -n "$APP_NAME" ]] && BASE_OVERRIDES+=("ApplicationName=$APP_NAME")

if [[ "$STATUS" == NONE ]]; then
  # A new stack: first everything but the application (streams, bucket, role, log group), so the jar can be
  # uploaded, and IAM has propagated the new role, before the application that needs both is created.
  log "Creating stack $STACK without the application (first phase)"
  cfn_deploy "${BASE_OVERRIDES[@]}" ${OVERRIDES[@]+"${OVERRIDES[@]}"} DeployApplication=false
fi
BUCKET="$(stack_output CodeBucketName)"
[[ -n "$BUCKET" ]] || die "stack $STACK has no CodeBucketName output"

# --- 3. Upload ---------------------------------------------------------------------------------------------

if [[ -z "$CODE_KEY" ]]; then
  CODE_KEY="$(if [[ "$STATUS" != NONE ]]; then stack_output CodeKey; fi)"
  CODE_KEY="${CODE_KEY:-${APP_NAME:-fraud-detector}/fraud-detector-app.jar}"
fi
log "Uploading the jar to s3://$BUCKET/$CODE_KEY"
VERSION_ID="$(awscli s3api put-object --bucket "$BUCKET" --key "$CODE_KEY" --body "$JAR" \
  --content-type application/java-archive --query VersionId --output text)"
[[ -n "$VERSION_ID" && "$VERSION_ID" != "None" && "$VERSION_ID" != "null" ]] \
  || die "s3://$BUCKET has no versioning: no version id for the upload"
log "Uploaded version $VERSION_ID"

# --- 4. Stack ----------------------------------------------------------------------------------------------

app_status() {
  awscli kinesisanalyticsv2 describe-application --application-name "$APP" \
    --query ApplicationDetail.ApplicationStatus --output text
}

# Waits while the application is in a transitional state; prints the state it settles in.
wait_settled() {
  local status deadline=$((SECONDS + 1200))
  while :; do
    status="$(app_status)" || die "cannot describe application $APP"
    case "$status" in
      "") die "cannot describe application $APP" ;;
      STARTING|UPDATING|STOPPING|AUTOSCALING|FORCE_STOPPING|ROLLING_BACK|MAINTENANCE|DELETING) ;;
      *) echo "$status"; return 0 ;;
    esac
    (( SECONDS < deadline )) || die "application $APP still $status after 20 minutes"
    log "Application $APP is $status; waiting"
    sleep 15
  done
}

# MSF refuses an update while the application is starting, updating or autoscaling: the stack would roll back.
APP="$(if [[ "$STATUS" != NONE ]]; then stack_output ApplicationName; fi)"
if [[ -n "$APP" ]]; then
  SETTLED="$(wait_settled)" || exit 1
  log "Application $APP is $SETTLED"
fi

log "Deploying stack $STACK (CloudFormation updates a running application in place, from a snapshot)"
cfn_deploy "${BASE_OVERRIDES[@]}" ${OVERRIDES[@]+"${OVERRIDES[@]}"} DeployApplication=true \
  "CodeKey=$CODE_KEY" "CodeObjectVersion=$VERSION_ID"

APP="$(stack_output ApplicationName)"
[[ -n "$APP" ]] || die "stack $STACK has no ApplicationName output"

# --- 5. Start or update ------------------------------------------------------------------------------------

STATUS="$(wait_settled)" || exit 1
case "$STATUS" in
  READY)
    if [[ "$START" == true ]]; then
      SNAPSHOTS="$(awscli kinesisanalyticsv2 list-application-snapshots --application-name "$APP" \
        --query "SnapshotSummaries[?SnapshotStatus=='READY'].SnapshotName" --output text)"
      if [[ -n "$SNAPSHOTS" && "$SNAPSHOTS" != "None" ]]; then
        RESTORE=RESTORE_FROM_LATEST_SNAPSHOT
      else
        RESTORE=SKIP_RESTORE_FROM_SNAPSHOT
      fi
      log "Starting $APP ($RESTORE)"
      awscli kinesisanalyticsv2 start-application --application-name "$APP" \
        --run-configuration "{\"ApplicationRestoreConfiguration\":{\"ApplicationRestoreType\":\"$RESTORE\"}}"
      sleep 5
      STATUS="$(wait_settled)"
      [[ "$STATUS" == RUNNING ]] \
        || die "application $APP did not start (status $STATUS): see its log group /aws/kinesis-analytics/$APP"
    else
      log "Application $APP is READY (not started: --no-start)"
    fi
    ;;
  RUNNING)
    RUNNING_VERSION="$(awscli kinesisanalyticsv2 describe-application --application-name "$APP" \
      --query 'ApplicationDetail.ApplicationConfigurationDescription.ApplicationCodeConfigurationDescription.CodeContentDescription.S3ApplicationCodeLocationDescription.ObjectVersion' \
      --output text)"
    if [[ "$RUNNING_VERSION" != "$VERSION_ID" ]]; then
      # CloudFormation did not change the code (should not happen: every upload is a new version).
      log "Updating the running application to jar version $VERSION_ID"
      APP_VERSION="$(awscli kinesisanalyticsv2 describe-application --application-name "$APP" \
        --query ApplicationDetail.ApplicationVersionId --output text)"
      awscli kinesisanalyticsv2 update-application --application-name "$APP" \
        --current-application-version-id "$APP_VERSION" \
        --application-configuration-update "{\"ApplicationCodeConfigurationUpdate\":{\"CodeContentUpdate\":{\"S3ContentLocationUpdate\":{\"FileKeyUpdate\":\"$CODE_KEY\",\"ObjectVersionUpdate\":\"$VERSION_ID\"}}}}" \
        >/dev/null
      sleep 5
      STATUS="$(wait_settled)"
    fi
    [[ "$STATUS" == RUNNING ]] || die "application $APP is $STATUS after the update"
    log "Application $APP is running jar version $VERSION_ID"
    ;;
  *)
    die "application $APP is $STATUS; see the console link below and its log group" ;;
esac

# --- 6. Where to look --------------------------------------------------------------------------------------

awscli cloudformation describe-stacks --stack-name "$STACK" \
  --query 'Stacks[0].Outputs[].[OutputKey,OutputValue]' --output table
echo "Stack:  https://$REGION.console.aws.amazon.com/cloudformation/home?region=$REGION#/stacks?filteringText=$STACK"
echo "Status: aws --region $REGION kinesisanalyticsv2 describe-application --application-name $APP --query ApplicationDetail.ApplicationStatus"
echo "Logs:   aws --region $REGION logs tail /aws/kinesis-analytics/$APP --follow"
