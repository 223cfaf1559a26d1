/**
 * Test fixtures: a real Kafka broker for JUnit and Quarkus tests (Testcontainers with Docker, in-process KRaft without), and the contract every service test checks.
 */
package dev.vqamini.testkit;
