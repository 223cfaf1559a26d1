'use strict';
// The metrics page: reads this service's JSON endpoints (GET only) and draws them. Versions, reasons and gate names
// come from Kafka records, so text always goes in through textContent, never as HTML.
// For the headless-browser test: <body data-state> becomes "ready" after each complete render, data-errors counts
// the errors listed in #page-errors, and each scatter canvas carries data-points once drawn.

const REFRESH_MS = 15000;
const charts = [];

function recordError(message) {
  const list = document.getElementById('page-errors');
  list.appendChild(el('li', {}, String(message)));
  document.body.dataset.errors = String(list.children.length);
}

window.addEventListener('error', e => recordError(e.message || 'error loading ' + (e.target && e.target.src)), true);
window.addEventListener('unhandledrejection', e => recordError(e.reason));

/** An element with attributes (data-* through dataset names like 'data-points') and text or element children. */
function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== null && value !== undefined) {
      node.setAttribute(name, value);
    }
  }
  for (const child of children) {
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function number(x, digits = 3) {
  return x === null || x === undefined ? '–' : Number(x).toFixed(digits);
}

function interval(ci, digits = 3) {
  return ci ? ' [' + number(ci[0], digits) + ', ' + number(ci[1], digits) + ']' : '';
}

function percent(x) {
  return x === null || x === undefined ? '–' : (100 * x).toFixed(x > 0 && x < 0.01 ? 1 : 0) + ' %';
}

function time(ms) {
  return ms ? new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '–';
}

async function getJson(path) {
  const response = await fetch(path, {headers: {Accept: 'application/json'}});
  if (!response.ok) {
    throw new Error('GET ' + path + ': HTTP ' + response.status);
  }
  return response.json();
}

function renderVersions(rows) {
  const body = document.querySelector('#versions tbody');
  body.replaceChildren(...rows.map(r => el('tr', {'data-version': r.model_version},
      el('td', {class: 'text'}, r.model_version),
      el('td', {class: 'text'}, r.role),
      el('td', {}, percent(r.traffic_weight)),
      el('td', {}, r.videos),
      el('td', {}, r.labelled),
      el('td', {}, number(r.srcc) + interval(r.srcc_ci)),
      el('td', {}, number(r.plcc)),
      el('td', {}, number(r.krcc)),
      el('td', {}, number(r.p50_e2e_s, 2) + ' / ' + number(r.p99_e2e_s, 2)),
      el('td', {}, number(r.videos_per_s, 2)),
      el('td', {}, number(r.clips_per_s, 2)),
      el('td', {}, r.parameters === null ? '–' : r.parameters.toLocaleString('en')),
      el('td', {class: 'text'}, r.recipe || ''))));
  document.getElementById('versions-empty').hidden = rows.length > 0;
}

/** A scatter without animation (so it is drawn when the constructor returns); returns the points it plotted. */
function scatter(canvas, datasets, xTitle, yTitle, diagonal) {
  const all = datasets.flatMap(d => d.data);
  if (diagonal && all.length > 0) {
    // y = x over the points' range: where a candidate that agrees with stable lies
    const values = all.flatMap(p => [p.x, p.y]);
    const low = Math.min(...values);
    const high = Math.max(...values);
    datasets = datasets.concat([{label: 'y = x', type: 'line', data: [{x: low, y: low}, {x: high, y: high}],
      borderColor: '#999', borderDash: [4, 4], pointRadius: 0, borderWidth: 1}]);
  }
  charts.push(new Chart(canvas, {
    type: 'scatter',
    data: {datasets},
    options: {
      animation: false,
      responsive: false,
      scales: {x: {title: {display: true, text: xTitle}}, y: {title: {display: true, text: yTitle}}},
      plugins: {tooltip: {callbacks: {label: item => item.raw.id + ': (' + number(item.raw.x) + ', ' + number(item.raw.y) + ')'}}},
    },
  }));
  canvas.dataset.points = String(all.length);
  return all.length;
}

function comparisonSummary(c) {
  const p = c.paired;
  const paired = p
      ? `paired on ${p.pairs} videos: agreement SRCC ${number(p.agreement_srcc)}${interval(p.agreement_srcc_ci)}, ` +
        `PLCC ${number(p.agreement_plcc)}, mean |difference| ${number(p.mean_abs_difference)}, ` +
        `max ${number(p.max_abs_difference)}, bias ${number(p.bias)}; ${p.labelled_pairs} labelled: ` +
        `SRCC difference ${number(p.srcc_difference)}${interval(p.srcc_difference_ci)} (${p.verdict})`
      : 'no paired (shadow-scored) videos yet';
  const independent = `independent samples (${c.candidate_labelled} and ${c.stable_labelled} labelled): ` +
      `SRCC difference ${number(c.srcc_difference)}${interval(c.srcc_difference_ci)} (${c.verdict})`;
  return [el('p', {class: 'summary'}, paired), el('p', {class: 'summary'}, independent)];
}

/** Draws each comparison; returns the number of paired points plotted (candidate against stable). */
function renderComparisons(comparisons, pairsByCandidate) {
  charts.splice(0).forEach(chart => chart.destroy());
  const container = document.getElementById('comparisons');
  container.replaceChildren();
  let plotted = 0;
  for (const c of comparisons) {
    const pairs = pairsByCandidate.get(c.candidate) || [];
    const pairCanvas = el('canvas', {class: 'scatter-pairs', width: 420, height: 320});
    const mosCanvas = el('canvas', {class: 'scatter-mos', width: 420, height: 320});
    const labelled = pairs.filter(p => p.mos !== null);
    container.appendChild(el('div', {class: 'comparison', 'data-candidate': c.candidate},
        el('h3', {}, c.candidate + ' against ' + c.stable + (c.plan ? ' (plan ' + c.plan.replace('_', ' ') + ')' : '')),
        ...comparisonSummary(c),
        el('div', {class: 'charts'},
            el('div', {class: 'chart'}, pairCanvas),
            el('div', {class: 'chart'}, labelled.length > 0 ? mosCanvas
                : el('p', {class: 'empty'}, 'No paired video has a MOS label yet.')))));
    plotted += scatter(pairCanvas, [{
      label: 'shared videos (' + pairs.length + ')',
      data: pairs.map(p => ({x: p.stable, y: p.candidate, id: p.video_id})),
      backgroundColor: '#1f77b4',
    }], c.stable + ' (stable) score', c.candidate + ' (candidate) score', true);
    if (labelled.length > 0) {
      scatter(mosCanvas, [
        {label: c.stable, data: labelled.map(p => ({x: p.mos, y: p.stable, id: p.video_id})), backgroundColor: '#7f7f7f'},
        {label: c.candidate, data: labelled.map(p => ({x: p.mos, y: p.candidate, id: p.video_id})), backgroundColor: '#d62728'},
      ], 'MOS', 'score', false);
    }
  }
  document.getElementById('comparisons-empty').hidden = comparisons.length > 0;
  return plotted;
}

/**
 * A gate as an operator reads it: outcome, value with its anytime-valid interval, the boundaries it must cross at
 * this n (sequential gates) and the error rates in force.
 */
function gateText(g) {
  let text = `${g.name} ${g.outcome}` + (g.value === null ? '' : ` ${number(g.value)}`);
  if (g.ci) {
    text += ` [${g.ci[0] === null ? '–' : number(g.ci[0])}, ${g.ci[1] === null ? '–' : number(g.ci[1])}]`;
  }
  const sequential = g.evidence !== null && g.fail_at !== null && g.pass_at !== null;
  if (sequential) {
    text += ` (n ${g.n}; rolls back at ≤ ${number(g.fail_at)}, passes at ≥ ${number(g.pass_at)}; ` +
        `α ${number(g.alpha, 4)}, β ${number(g.beta, 4)})`;
  } else if (g.threshold !== null) {
    text += ` (threshold ${number(g.threshold)}, n ${g.n}` + (g.alpha === null ? ')' : `, α ${number(g.alpha, 4)})`);
  }
  return text;
}

function renderRollouts(rollouts, decisions) {
  const container = document.getElementById('rollouts');
  container.replaceChildren(...rollouts.map(r => {
    const plan = r.plan;
    const candidates = r.candidates.map(c => c.version + ' ' + percent(c.weight)).join(', ') || 'none';
    const parts = [
      el('h3', {}, r.model),
      el('p', {class: 'summary'}, `stable ${r.stable || '–'}; candidates ${candidates}; shadow ` +
          (r.shadow ? r.shadow + ' on ' + percent(r.shadow_fraction) + ' of videos' : 'none') + `; revision ${r.revision}`),
    ];
    if (plan) {
      // steps are numbered from 0, as in the controller's reasons and `vqa rollout show`
      parts.push(el('p', {class: 'summary'}, `plan for ${plan.candidate}: ${plan.state}, at step ${plan.current_step} of ` +
          `0–${plan.steps.length - 1} since ${time(plan.step_started_at_ms)} (at least ${plan.min_videos} videos, ` +
          `${plan.min_seconds} s a step) — ${plan.reason}`));
      const g = plan.gates;
      parts.push(el('p', {class: 'summary promise'}, `error rates over the whole plan: a candidate whose agreement with ` +
          `stable is at least ${number(g.min_agreement_srcc)} is rolled back with probability at most ${number(g.alpha)}; ` +
          `one at most ${number(g.min_agreement_srcc - g.indifference)} is promoted with probability at most ` +
          `${number(g.beta)} (sequential tests, looked at after every paired video)`));
      const ended = plan.state !== 'active' && plan.state !== 'paused';
      parts.push(el('ol', {class: 'steps'}, ...plan.steps.map((weight, i) => el('li', {
        class: i < plan.current_step || (ended && plan.state === 'promoted') ? 'done' : i === plan.current_step && !ended ? 'current' : '',
      }, percent(weight)))));
    }
    const mine = decisions.filter(d => d.model === r.model);
    parts.push(mine.length === 0 ? el('p', {class: 'empty'}, 'No decision by the controller yet.')
        : el('table', {class: 'decisions'},
            el('thead', {}, el('tr', {}, ...['decided at', 'candidate', 'step', 'traffic', 'action', 'step / plan videos', 'gates', 'reason']
                .map(h => el('th', {class: 'text'}, h)))),
            el('tbody', {}, ...mine.map(d => el('tr', {'data-action': d.action},
                el('td', {class: 'text'}, time(d.decided_at_ms)),
                el('td', {class: 'text'}, d.candidate),
                el('td', {}, d.step),
                el('td', {}, percent(d.traffic_weight)),
                el('td', {class: 'text action-' + d.action}, d.action.replace('_', ' ')),
                el('td', {}, `${d.step_pairs} / ${d.plan_pairs} of ${d.max_videos}`),
                el('td', {class: 'text'}, d.gates.map(gateText).join('; ')),
                el('td', {class: 'text'}, d.reason))))));
    return el('div', {class: 'rollout', 'data-model': r.model}, ...parts);
  }));
  document.getElementById('rollouts-empty').hidden = rollouts.length > 0;
}

async function refresh() {
  try {
    if (typeof Chart === 'undefined') {
      throw new Error('Chart.js did not load');
    }
    const [versions, comparisons, rollouts, decisions] = await Promise.all(
        ['versions', 'comparison', 'rollouts', 'rollouts/decisions'].map(getJson));
    const pairs = await Promise.all(comparisons.map(c =>
        getJson('comparison/pairs?candidate=' + encodeURIComponent(c.candidate)).catch(e => {
          recordError(e.message);
          return [];
        })));
    const pairsByCandidate = new Map(comparisons.map((c, i) => [c.candidate, pairs[i]]));
    renderVersions(versions);
    document.body.dataset.scatterPoints = String(renderComparisons(comparisons, pairsByCandidate));
    renderRollouts(rollouts, decisions);
    document.getElementById('updated').textContent = 'Updated ' + time(Date.now()) + '.';
    document.body.dataset.state = 'ready';
  } catch (e) {
    recordError(e.message || e);
  } finally {
    setTimeout(refresh, REFRESH_MS);
  }
}

document.getElementById('refresh-seconds').textContent = String(REFRESH_MS / 1000);
refresh();
