/**
 * Test fixtures: a real Kafka broker for JUnit and Quarkus tests (Testcontainers with Docker, in-process KRaft without), the contract every service test checks, and real signed JWTs for auth tests ({@link dev.vqamini.testkit.TestTokens}).
 */
package dev.vqamini.testkit;
