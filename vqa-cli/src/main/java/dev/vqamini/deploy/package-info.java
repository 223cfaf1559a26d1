/**
 * The deployment in {@code deploy/} as data: every PromQL query its Grafana dashboards and Prometheus rules use
 * ({@link dev.vqamini.deploy.DeployQueries}) and Prometheus' HTTP API to evaluate them ({@link dev.vqamini.deploy.PrometheusApi}).
 * The local Prometheus that {@code vqa demo --prometheus} starts with the deployed configuration is in module vqa-harness
 * ({@code dev.vqamini.harness.LocalPrometheus}).
 */
package dev.vqamini.deploy;
