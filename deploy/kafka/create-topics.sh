#!/usr/bin/env bash
# Creates VQA-Mini's topics with the settings of dev.vqamini.wire.TopicCatalog (DeployFilesTest checks that every
# line below matches the catalog). Safe to run again: existing topics are left as they are. The services create
# missing topics themselves too; this runs first in docker-compose.yml so that nothing races to create them.
#   create-topics.sh [bootstrap servers, default kafka:19092]    replication: $VQA_KAFKA_REPLICATION (default 1)
set -euo pipefail
bootstrap=${1:-kafka:19092}
replication=${VQA_KAFKA_REPLICATION:-1}
kafka_topics=${KAFKA_TOPICS:-/opt/kafka/bin/kafka-topics.sh}

# topic NAME PARTITIONS CLEANUP_POLICY RETENTION_MS MAX_MESSAGE_BYTES
topic() {
  "$kafka_topics" --bootstrap-server "$bootstrap" --create --if-not-exists --topic "$1" --partitions "$2" \
    --replication-factor "$replication" --config "cleanup.policy=$3" --config "retention.ms=$4" --config "max.message.bytes=$5"
}

topic vqa.uploads      3 delete  604800000  1048576
topic vqa.upload-status 3 compact -1        1048576
topic vqa.fragments    6 delete  86400000   16777216
topic vqa.clip-scores  6 delete  604800000  1048576
topic vqa.video-scores 3 delete  2419200000 1048576
topic vqa.labels       3 compact -1         1048576
topic vqa.models       1 compact -1         16777216
topic vqa.rollouts     1 compact -1         1048576
topic vqa.rollout-decisions 1 delete 2419200000 1048576
topic vqa.dlq          1 delete  2419200000 16777216
"$kafka_topics" --bootstrap-server "$bootstrap" --list
