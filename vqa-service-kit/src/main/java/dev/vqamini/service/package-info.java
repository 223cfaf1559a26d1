/**
 * The Quarkus beans every VQA-Mini service shares: the Kafka admin client, topic bootstrap at startup, Kafka
 * readiness, the {@code vqa.*} settings ({@link dev.vqamini.service.VqaConfig}), client ids from
 * {@code quarkus.application.name} and readers for topics every instance reads in full. Defaults for all services
 * are in this jar's META-INF/microprofile-config.properties; each service sets only its name, port and own keys.
 */
package dev.vqamini.service;
