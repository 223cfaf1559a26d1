#!/usr/bin/env python3
"""Writes deploy/grafana/dashboards/*.json: VQA-Mini's Grafana dashboards, generated so that every panel has the same
datasource, layout and units, and every query is written once here.

    python3 tools/grafana/dashboards.py        # rewrites the JSON files; commit them with this script

`vqa check-queries` (and the CI test that runs it against `vqa demo --prometheus`) evaluates every query below.
"""
import json
import os

DS = {"type": "prometheus", "uid": "vqa-prometheus"}
V = '{model_version=~"$model_version"}'
# Stat panels show each series' latest value with its name.
LAST_VALUE = {"reduceOptions": {"calcs": ["lastNotNull"]}, "textMode": "value_and_name"}
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "deploy", "grafana", "dashboards")


class Board:
    def __init__(self, uid, title, description):
        self.uid, self.title, self.description = uid, title, description
        self.panels, self.x, self.y, self.row_h = [], 0, 0, 0
        self.annotations = []

    def row(self, title):
        self.newline()
        self.panels.append({"type": "row", "title": title, "collapsed": False, "id": len(self.panels) + 1,
                            "gridPos": {"h": 1, "w": 24, "x": 0, "y": self.y}, "panels": []})
        self.y += 1

    def newline(self):
        if self.x:
            self.x, self.y, self.row_h = 0, self.y + self.row_h, 0

    def panel(self, kind, title, description, targets, unit="short", w=12, h=8, **extra):
        if self.x + w > 24:
            self.newline()
        p = {"type": kind, "title": title, "description": description, "datasource": DS, "id": len(self.panels) + 1,
             "gridPos": {"h": h, "w": w, "x": self.x, "y": self.y},
             "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
             "targets": [dict({"datasource": DS, "refId": chr(65 + i), "expr": e, "legendFormat": l}, **({"instant": True, "format": "table"}
                              if kind == "table" else {})) for i, (e, l) in enumerate(targets)]}
        if kind == "timeseries":
            p["options"] = {"legend": {"displayMode": "table", "placement": "bottom", "calcs": ["lastNotNull", "max"]},
                            "tooltip": {"mode": "multi"}}
        for k, v in extra.items():
            if k == "defaults":
                p["fieldConfig"]["defaults"].update(v)
            else:
                p[k] = v
        self.panels.append(p)
        self.x += w
        self.row_h = max(self.row_h, h)

    def json(self):
        return {"uid": self.uid, "title": self.title, "description": self.description, "tags": ["vqa-mini"],
                "timezone": "browser", "schemaVersion": 39, "version": 1, "editable": False, "refresh": "10s",
                "time": {"from": "now-1h", "to": "now"}, "graphTooltip": 1,
                "links": [{"type": "dashboards", "tags": ["vqa-mini"], "asDropdown": False, "title": "VQA-Mini"}],
                "templating": {"list": [{
                    "name": "model_version", "label": "model version", "type": "query", "datasource": DS,
                    "query": {"query": "label_values(vqa_version_videos, model_version)", "refId": "versions"},
                    "definition": "label_values(vqa_version_videos, model_version)", "refresh": 2, "multi": True,
                    "includeAll": True, "allValue": ".*", "current": {"text": "All", "value": "$__all"}, "sort": 1}]},
                "annotations": {"list": self.annotations}, "panels": self.panels}


def quality():
    b = Board("vqa-quality", "VQA-Mini · Quality per model version",
              "Agreement of each model version's video scores with human MOS over its last vqa.metrics.window labelled videos "
              "(metrics-service). The shaded band is SRCC's 95 % interval (Fisher z); n is the number of labelled videos.")
    b.row("Correlation with MOS")
    b.panel("timeseries", "SRCC with 95 % interval", "Spearman rank correlation with MOS; low/high are the 95 % interval bounds.",
            [(f"vqa_quality_srcc{V}", "{{model_version}} SRCC"), (f"vqa_quality_srcc_ci_low{V}", "{{model_version}} low"),
             (f"vqa_quality_srcc_ci_high{V}", "{{model_version}} high")], unit="none", defaults={"min": -1, "max": 1})
    b.panel("timeseries", "PLCC and KRCC", "Pearson correlation after the 4-parameter logistic, and Kendall's tau.",
            [(f"vqa_quality_plcc{V}", "{{model_version}} PLCC"), (f"vqa_quality_krcc{V}", "{{model_version}} KRCC")],
            unit="none", defaults={"min": -1, "max": 1})
    b.panel("timeseries", "Labelled videos in the window (n)", "How many labelled videos each correlation is computed on.",
            [(f"vqa_quality_labelled{V}", "{{model_version}}")], w=8)
    b.panel("timeseries", "Videos scored", "Deduplicated videos scored by each version (labelled or not).",
            [(f"vqa_version_videos{V}", "{{model_version}}")], w=8)
    b.panel("timeseries", "Candidate minus stable SRCC", "Positive: the candidate agrees with MOS better than the stable version.",
            [(f"vqa_comparison_srcc_difference{V}", "{{model_version}}")], unit="none", w=8)
    b.row("Paired with the stable version (shadow scoring)")
    b.panel("timeseries", "Agreement with the stable version, no labels",
            "SRCC and PLCC between the candidate's and the stable version's scores of the same videos (the shadow-scored share); "
            "low is the SRCC's 95 % interval bound the rollout controller rolls back on.",
            [(f"vqa_comparison_paired_agreement_srcc{V}", "{{model_version}} SRCC"),
             (f"vqa_comparison_paired_agreement_srcc_ci_low{V}", "{{model_version}} low"),
             (f"vqa_comparison_paired_agreement_plcc{V}", "{{model_version}} PLCC")], unit="none", w=8, defaults={"min": -1, "max": 1})
    b.panel("timeseries", "Score differences on the same videos", "Mean and max |candidate - stable| fused score, and the bias "
            "(mean candidate - stable).",
            [(f"vqa_comparison_paired_mean_abs_difference{V}", "{{model_version}} mean |d|"),
             (f"vqa_comparison_paired_max_abs_difference{V}", "{{model_version}} max |d|"),
             (f"vqa_comparison_paired_bias{V}", "{{model_version}} bias")], unit="none", w=8)
    b.panel("timeseries", "Paired SRCC difference against MOS", "Candidate minus stable SRCC on the same labelled videos, with the "
            "95 % interval for dependent overlapping correlations (Zou 2007); n is the labelled pairs.",
            [(f"vqa_comparison_paired_srcc_difference{V}", "{{model_version}} difference"),
             (f"vqa_comparison_paired_srcc_difference_ci_low{V}", "{{model_version}} low"),
             (f"vqa_comparison_paired_srcc_difference_ci_high{V}", "{{model_version}} high"),
             (f"vqa_comparison_paired_labelled{V}", "{{model_version}} n")], unit="none", w=8)
    b.row("Now")
    b.panel("table", "Quality now, per version", "The latest value of each quality gauge.",
            [(f"vqa_quality_srcc{V}", "SRCC"), (f"vqa_quality_plcc{V}", "PLCC"), (f"vqa_quality_labelled{V}", "n")], w=24, h=7,
            transformations=[{"id": "merge"}, {"id": "organize", "options": {"excludeByName": {"Time": True, "__name__": True,
                             "instance": True, "job": True}, "renameByName": {"Value #A": "SRCC", "Value #B": "PLCC", "Value #C": "n"}}}])
    # The rollout controller's decisions as annotations: one mark whenever a model's last decision changes.
    b.annotations.append({"name": "Rollout decisions", "datasource": DS, "enable": True, "iconColor": "orange",
                          "expr": "changes(vqa_rollout_decision_time_seconds[1m]) > 0", "step": "15s",
                          "titleFormat": "rollout decision", "textFormat": "{{model}} (vqa rollout show --model {{model}})", "tagKeys": "model"})
    return b


def efficiency():
    b = Board("vqa-efficiency", "VQA-Mini · Efficiency per model version",
              "What each model version costs: throughput, latency, size and compute per video, from the scorers (per scorer "
              "instance where it says so) and from the versions' manifests (metrics-service).")
    b.row("Throughput")
    b.panel("timeseries", "Clips scored / s, per version", "All scorers together.",
            [(f"model_version:vqa_scorer_clips:rate1m{V}", "{{model_version}}")], unit="ops")
    b.panel("timeseries", "Clips scored / s, per scorer", "One line per scorer instance and version.",
            [(f"instance_model_version:vqa_scorer_clips:rate1m{V}", "{{instance}} {{model_version}}")], unit="ops")
    b.panel("timeseries", "Videos scored / s, per version", "Videos whose score was written (all clips, one version).",
            [(f"model_version:vqa_scorer_videos:rate5m{V}", "{{model_version}}")], unit="ops", w=8)
    b.panel("timeseries", "Mean batch size", "Clips per inference run (dynamic batching, vqa.scorer.max-batch).",
            [(f'sum by (model_version) (rate(vqa_scorer_batch_size_sum{V}[5m])) / sum by (model_version) (rate(vqa_scorer_batch_size_count{V}[5m]))',
              "{{model_version}}")], w=8)
    b.panel("timeseries", "Clips in flight", "Clips queued or running per scorer; at vqa.scorer.max-queued-clips it pauses its partitions.",
            [('vqa_scorer_clips_in_flight', "{{instance}}")], w=8)
    b.row("Latency")
    b.panel("timeseries", "End-to-end latency p50 / p99", "From ingest of a video's first clip to its score being written.",
            [(f"model_version:vqa_scorer_end_to_end_seconds:p50_5m{V}", "{{model_version}} p50"),
             (f"model_version:vqa_scorer_end_to_end_seconds:p99_5m{V}", "{{model_version}} p99")], unit="s")
    b.panel("timeseries", "Inference run p50 / p99", "One ONNX Runtime run (a batch of clips), per view.",
            [(f"model_version_view:vqa_scorer_inference_seconds:p50_5m{V}", "{{model_version}} {{view}} p50"),
             (f"model_version_view:vqa_scorer_inference_seconds:p99_5m{V}", "{{model_version}} {{view}} p99")], unit="s")
    b.row("Size and compute")
    b.panel("stat", "Parameters", "Parameters of each version (from its manifest).",
            [(f"vqa_version_parameters{V}", "{{model_version}}")], w=6, options=LAST_VALUE)
    b.panel("stat", "FLOPs per clip", "Multiply-accumulates per 32-frame clip, both branches (from the manifest).",
            [(f"vqa_version_flops_per_clip{V}", "{{model_version}}")], w=6, options=LAST_VALUE)
    b.panel("timeseries", "Inference seconds per 1000 videos", "GPU seconds on cuda scorers, CPU wall seconds of a "
            "vqa.scorer.threads-wide run on cpu scorers (the device label says which).",
            [(f"model_version_device:vqa_scorer_inference_seconds_per_1000_videos:5m{V}", "{{model_version}} on {{device}}")], unit="s")
    b.panel("timeseries", "CPU seconds per 1000 videos, per scorer", "The whole scorer process (Kafka, batching, inference).",
            [("instance:vqa_scorer_cpu_seconds_per_1000_videos:5m", "{{instance}}")], unit="s")
    b.panel("table", "Scorer devices", "What each scorer instance runs its models on (vqa.scorer.provider).",
            [("vqa_scorer_device == 1", "")], w=12, h=6,
            transformations=[{"id": "organize", "options": {"excludeByName": {"Time": True, "__name__": True, "Value": True}}}])
    return b


def operations():
    b = Board("vqa-operations", "VQA-Mini · Rollout and operations",
              "The A/B split and the canary's verdict, scorer consumer lag, dead letters by stage and reason, refused model "
              "versions and service health.")
    b.row("Rollout")
    b.panel("timeseries", "Traffic weight (rollout) and observed share of videos",
            "Weight: what vqa.rollouts asks; share: the fraction of videos each version actually scored over 5 minutes.",
            [(f"vqa_rollout_weight{V}", "{{model_version}} weight"),
             (f"model_version:vqa_scorer_video_share:ratio5m{V}", "{{model_version}} share")], unit="percentunit")
    b.panel("stat", "Canary verdict", "metrics-service's comparison with the stable version: SRCC difference's 95 % interval above 0 "
            "(better), below 0 (worse), or containing 0 (no difference yet).",
            [(f"vqa_comparison_verdict{V}", "{{model_version}}")], options=LAST_VALUE,
            defaults={"mappings": [{"type": "value", "options": {"1": {"text": "better", "color": "green"},
                                                                   "0": {"text": "no difference yet", "color": "blue"},
                                                                   "-1": {"text": "worse", "color": "red"}}}]})
    b.row("Scoring backlog and failures")
    b.panel("timeseries", "Scorer consumer lag", "Records of vqa.fragments not yet consumed by the vqa-scorer group (KEDA scales on it).",
            [("job:vqa_scorer_consumer_lag:sum", "all scorers"),
             ('sum by (instance) (kafka_consumer_fetch_manager_records_lag{job="vqa-scorer", topic="vqa.fragments"})', "{{instance}}")])
    b.panel("timeseries", "Dead letters / s by stage and reason", "Records written to vqa.dlq (metrics-service counts the topic).",
            [("stage_reason:vqa_dead_letters:rate5m", "{{stage}} {{reason}}")], unit="ops")
    b.panel("table", "Dead letters by stage and reason", "Counted since metrics-service started.",
            [("sum by (stage, reason) (vqa_dead_letters_total)", "")], w=8, h=7)
    b.panel("timeseries", "Model versions refused / loaded", "Refused: versions the rollout names that a scorer refused (checks failed).",
            [("vqa_scorer_versions_refused", "{{instance}} refused"), ("vqa_scorer_versions_loaded", "{{instance}} loaded")], w=8, h=7)
    b.panel("timeseries", "Ingest queue and failures", "Uploads waiting for a decoder, and uploads dead-lettered per second by reason.",
            [("vqa_ingest_queue_depth", "{{instance}} waiting"),
             ("sum by (reason) (rate(vqa_ingest_videos_failed_total[5m]))", "failed: {{reason}}")], w=8, h=7)
    b.row("Services")
    b.panel("stat", "Services up", "Prometheus' scrape of each service's /q/metrics.",
            [('up{job=~"vqa-.*"}', "{{job}} {{instance}}")], w=24, h=5,
            options={"reduceOptions": {"calcs": ["lastNotNull"]}, "textMode": "name", "colorMode": "background"},
            defaults={"mappings": [{"type": "value", "options": {"1": {"text": "up", "color": "green"}, "0": {"text": "down", "color": "red"}}}]})
    return b


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    for board in (quality(), efficiency(), operations()):
        path = os.path.join(OUT, board.uid + ".json")
        with open(path, "w") as f:
            json.dump(board.json(), f, indent=2)
            f.write("\n")
        print(path, len([p for p in board.panels if p["type"] != "row"]), "panels")
