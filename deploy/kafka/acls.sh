#!/usr/bin/env bash
# Grants each VQA-Mini service the Kafka ACLs it needs, the same as dev.vqamini.kafka.ServiceAcls (ServiceAclsTest
# runs this script with KAFKA_ACLS=echo and compares every grant with that table). For a cluster with an authorizer
# (KRaft: authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer) and SASL users named like
# the services (SCRAM-SHA-512; create them with kafka-configs.sh --alter --add-config 'SCRAM-SHA-512=[password=...]'
# --entity-type users --entity-name scorer-service, or at format time with kafka-storage.sh format --add-scram).
#
# Run it as an admin (a super.users principal, or one allowed to ALTER the cluster), after create-topics.sh: the
# services get no CREATE on the catalog's topics, so an operator creates them; the services' startup bootstrap then
# only finds and checks them (DESCRIBE, DESCRIBE_CONFIGS). metrics-service's Kafka Streams app owns the topics, group
# and transactional ids prefixed vqa-metrics-service (its application.id) and creates its internal topics itself.
# Nothing is granted on the cluster: describeCluster (readiness) needs no ACL, and idempotent producers need only
# WRITE on a topic. Safe to run again (an existing ACL is kept once).
#
#   acls.sh [bootstrap servers, default kafka:19092] [admin client properties, e.g. admin.properties]
#   users: $VQA_INGEST_USER, $VQA_SCORER_USER, $VQA_PRUNING_USER, $VQA_METRICS_USER (default: the service names)
set -euo pipefail
bootstrap=${1:-kafka:19092}
command_config=${2:-}
kafka_acls=${KAFKA_ACLS:-/opt/kafka/bin/kafka-acls.sh}
ingest=${VQA_INGEST_USER:-ingest-service}
scorer=${VQA_SCORER_USER:-scorer-service}
pruning=${VQA_PRUNING_USER:-pruning-service}
metrics=${VQA_METRICS_USER:-metrics-service}
# The topics of dev.vqamini.wire.TopicCatalog.
catalog=(vqa.uploads vqa.upload-status vqa.fragments vqa.clip-scores vqa.video-scores vqa.labels vqa.models vqa.rollouts vqa.rollout-decisions vqa.dlq)
streams_app=vqa-metrics-service

# allow USER KAFKA-ACLS-ARGS...: one kafka-acls.sh call; every --operation applies to every resource given.
allow() {
  local user=$1
  shift
  "$kafka_acls" --bootstrap-server "$bootstrap" ${command_config:+--command-config "$command_config"} \
    --add --allow-principal "User:$user" "$@"
}

# topic_args TOPIC...: --topic T for each.
topic_args() {
  local t
  for t in "$@"; do printf -- '--topic\n%s\n' "$t"; done
}

# Every service finds and checks every catalog topic at startup (TopicBootstrap: listTopics, describeTopics,
# describeConfigs).
for user in "$ingest" "$scorer" "$pruning" "$metrics"; do
  mapfile -t all_topics < <(topic_args "${catalog[@]}")
  allow "$user" --operation Describe --operation DescribeConfigs "${all_topics[@]}"
done

# ingest-service: consumes upload records in group vqa-ingest and follows upload status; writes the uploads it
# accepted (REST, watched folder), their status, fragments, labels and dead letters.
mapfile -t t < <(topic_args vqa.uploads vqa.upload-status); allow "$ingest" --operation Read "${t[@]}"
allow "$ingest" --operation Read --group vqa-ingest
mapfile -t t < <(topic_args vqa.uploads vqa.upload-status vqa.fragments vqa.labels vqa.dlq); allow "$ingest" --operation Write "${t[@]}"

# scorer-service: consumes fragments in group vqa-scorer; follows models and rollouts with assign(); writes scores
# and dead letters.
mapfile -t t < <(topic_args vqa.fragments vqa.models vqa.rollouts); allow "$scorer" --operation Read "${t[@]}"
allow "$scorer" --operation Read --group vqa-scorer
mapfile -t t < <(topic_args vqa.clip-scores vqa.video-scores vqa.dlq); allow "$scorer" --operation Write "${t[@]}"

# pruning-service: reads whole topics with assign() (no group); publishes pruned models and their rollouts.
mapfile -t t < <(topic_args vqa.fragments vqa.labels vqa.models vqa.rollouts); allow "$pruning" --operation Read "${t[@]}"
mapfile -t t < <(topic_args vqa.models vqa.rollouts); allow "$pruning" --operation Write "${t[@]}"

# metrics-service: a Kafka Streams app (exactly_once_v2) reading scores, labels, dead letters, models, rollouts;
# it writes its own internal topics; its rollout controller (elected in group vqa-rollout-controller) edits rollouts
# and writes its decisions.
mapfile -t t < <(topic_args vqa.video-scores vqa.labels vqa.dlq vqa.models vqa.rollouts vqa.rollout-decisions); allow "$metrics" --operation Read "${t[@]}"
allow "$metrics" --operation Read --group "$streams_app"
allow "$metrics" --operation Read --group vqa-rollout-controller
mapfile -t t < <(topic_args vqa.rollouts vqa.rollout-decisions); allow "$metrics" --operation Write "${t[@]}"
allow "$metrics" --operation Create --operation Describe --operation DescribeConfigs --operation Read \
  --operation Write --operation Delete --topic "$streams_app" --resource-pattern-type prefixed
allow "$metrics" --operation Write --operation Describe --transactional-id "$streams_app" --resource-pattern-type prefixed

"$kafka_acls" --bootstrap-server "$bootstrap" ${command_config:+--command-config "$command_config"} --list
