/**
 * The deployment in {@code deploy/} as data: every PromQL query its Grafana dashboards and Prometheus rules use
 * ({@link dev.vqamini.deploy.DeployQueries}), Prometheus' HTTP API to evaluate them ({@link dev.vqamini.deploy.PrometheusApi}),
 * and a local Prometheus started with the deployed configuration pointed at services on this host
 * ({@link dev.vqamini.deploy.LocalPrometheus}).
 */
package dev.vqamini.deploy;
