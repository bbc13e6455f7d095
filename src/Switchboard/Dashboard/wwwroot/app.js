// Switchboard's dashboard: plain JavaScript, no build step. Reads /ui/api (same origin; the key, when the daemon wants
// one, is auth.js's business). In team mode it loads team.js, the admin's pages; on the local path nothing of them.
'use strict';

const $ = (selector) => document.querySelector(selector);
const COLORS = ['#2f5d8a', '#e08a2c', '#3f9a5b', '#b3497a', '#7a6bb3', '#c2b33a', '#3aa6b9', '#8a5a3c'];
const BUCKETS = { today: 24, '7d': 7, '30d': 30 };
const state = { period: 'today', summary: null, revision: null, logRows: 0, watching: false };

const count = (n) => Number(n).toLocaleString('en-US');
const dollars = (n) => '$' + Number(n).toFixed(4);
const tokensOf = (t) => t.inputTokens + t.outputTokens + t.cacheReadTokens + t.cacheWriteTokens;
const debounce = (fn, ms) => { let timer; return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); }; };

class Unauthorized extends Error {}

async function api(path, options = {}) {
  const headers = { ...Auth.headers(), ...(options.headers || {}) };
  const response = await fetch(path, { ...options, headers });
  if (response.status === 401) {
    Auth.signOut();
    showLogin();
    throw new Unauthorized();
  }
  return response;
}

function showLogin() {
  $('#dashboard').hidden = true;
  $('#login').hidden = false;
}

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of children) node.append(child instanceof Node ? child : String(child));
  return node;
}

function table(node, columns, rows) {
  node.replaceChildren(el('tr', {}, ...columns.map(([title]) => el('th', {}, title))));
  for (const row of rows) {
    node.append(el('tr', { 'data-key': row.key }, ...columns.map(([, name, format]) =>
      el('td', { 'data-col': name, class: name === 'key' ? 'text' : '' }, format ? format(row[name], row) : row[name]))));
  }
}

const totalsColumns = (label) => [
  [label, 'key', (v) => v || '(none)'],
  ['requests', 'requests', count],
  ['errors', 'errors', count],
  ['input', 'inputTokens', count],
  ['output', 'outputTokens', count],
  ['cache read', 'cacheReadTokens', count],
  ['cache write', 'cacheWriteTokens', count],
  ['cost', 'cost', dollars],
  ['saved', 'savings', dollars],
];

async function loadSummary() {
  const response = await api(`/ui/api/summary?period=${state.period}`);
  if (!response.ok) return;
  const summary = await response.json();
  state.summary = summary;
  const total = summary.total;
  $('[data-testid=total-requests]').textContent = count(total.requests);
  $('[data-testid=total-errors]').textContent = count(total.errors);
  $('[data-testid=total-input]').textContent = count(total.inputTokens);
  $('[data-testid=total-output]').textContent = count(total.outputTokens);
  $('[data-testid=total-cache]').textContent = `${count(total.cacheReadTokens)} / ${count(total.cacheWriteTokens)}`;
  $('[data-testid=total-cost]').textContent = dollars(total.cost);
  $('[data-testid=total-savings]').textContent = dollars(total.savings);
  const dropped = $('#dropped');
  dropped.hidden = !summary.ledgerDropped;
  dropped.textContent = `${count(summary.ledgerDropped || 0)} request(s) were not recorded: the ledger's queue was full (see the daemon's log).`;
  table($('#by-provider'), totalsColumns('provider'), summary.byProvider);
  table($('#by-duty'), totalsColumns('duty'), summary.byDuty);
  table($('#by-model'), totalsColumns('provider:model'), summary.byModel);
  if (window.TeamPages) TeamPages.showUsage(summary);
  table($('#latency'), [
    ['provider', 'key'], ['requests', 'requests', count], ['p50', 'p50', count], ['p90', 'p90', count], ['p99', 'p99', count],
    ['first byte p50', 'firstByteP50', (v) => (v == null ? '–' : count(v))],
    ['first byte p90', 'firstByteP90', (v) => (v == null ? '–' : count(v))],
  ], summary.latency);
  drawChart();
}

function drawChart() {
  const summary = state.summary;
  if (!summary) return;
  const metric = $('#chart-metric').value;
  const by = $('#chart-by').value;
  const series = by === 'duty' ? summary.seriesByDuty : summary.seriesByProvider;
  const size = summary.bucket === 'hour' ? 3600e3 : 86400e3;
  const from = Date.parse(summary.from);
  const buckets = BUCKETS[summary.period];
  const value = (row) => Math.max(0, metric === 'tokens' ? tokensOf(row) : row[metric]);
  const keys = [...new Set(series.map((row) => row.key))];
  const stacks = Array.from({ length: buckets }, () => ({}));
  for (const row of series) {
    const index = Math.round((Date.parse(row.bucket) - from) / size);
    if (index >= 0 && index < buckets) stacks[index][row.key] = value(row);
  }
  const max = Math.max(0, ...stacks.map((stack) => Object.values(stack).reduce((a, b) => a + b, 0))) || 1;
  const [width, height, left, bottom] = [720, 180, 56, 18];
  const step = (width - left) / buckets;
  const svg = [`<svg viewBox="0 0 ${width} ${height + bottom}" role="img" aria-label="${metric} ${by}">`];
  const format = metric === 'cost' || metric === 'savings' ? dollars : count;
  svg.push(`<text x="${left - 6}" y="10" text-anchor="end">${format(max)}</text>`);
  svg.push(`<line class="axis" x1="${left}" y1="${height}" x2="${width}" y2="${height}"/>`);
  stacks.forEach((stack, i) => {
    let y = height;
    keys.forEach((key, k) => {
      const v = stack[key] || 0;
      if (!v) return;
      const h = (v / max) * (height - 12);
      y -= h;
      svg.push(`<rect x="${left + i * step + 1}" y="${y}" width="${Math.max(1, step - 2)}" height="${h}" fill="${COLORS[k % COLORS.length]}"><title>${escapeHtml(key)}: ${format(v)}</title></rect>`);
    });
    const start = new Date(from + i * size);
    const label = summary.bucket === 'hour' ? start.getHours() : `${start.getMonth() + 1}/${start.getDate()}`;
    if (buckets <= 24 || i % 5 === 0) svg.push(`<text x="${left + i * step + step / 2}" y="${height + 13}" text-anchor="middle">${label}</text>`);
  });
  svg.push('</svg>');
  const legend = keys.map((key, k) => `<span><svg width="10" height="10" aria-hidden="true"><rect width="10" height="10" rx="2" fill="${COLORS[k % COLORS.length]}"/></svg> ${escapeHtml(key || '(none)')}</span>`);
  $('#chart').innerHTML = svg.join('') + `<div class="legend">${legend.join('') || '<span class="muted">no requests yet</span>'}</div>`;
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

const logColumns = [
  ['time', (r) => new Date(r.time).toLocaleTimeString()],
  ['session', (r) => (r.session || '').slice(0, 8)],
  ['duty', (r) => r.duty],
  ['routed to', (r) => `${r.provider}:${r.model}`],
  ['requested', (r) => r.requestedModel],
  ['in', (r) => count(r.inputTokens)],
  ['out', (r) => count(r.outputTokens)],
  ['first byte', (r) => (r.timeToFirstByteMs == null ? '–' : count(r.timeToFirstByteMs))],
  ['ms', (r) => count(r.latencyMs)],
  ['status', (r) => (r.error ? `${r.status} ${r.error}` : r.status)],
  ['cost', (r) => (r.cost == null ? '?' : dollars(r.cost))],
  ['saved', (r) => (r.savings == null ? '–' : dollars(r.savings))],
];

function logRow(record, fresh) {
  const row = el('tr', { class: fresh ? 'new' : '', 'data-status': record.status },
    ...logColumns.map(([title, format]) => el('td', { 'data-col': title, class: 'text' }, format(record))));
  if (record.error || record.status >= 400) row.classList.add('bad');
  return row;
}

async function loadLog() {
  const response = await api(`/ui/api/requests?period=${state.period}&limit=200`);
  if (!response.ok) return;
  const records = await response.json();
  const log = $('#log');
  log.replaceChildren(el('tr', {}, ...logColumns.map(([title]) => el('th', {}, title))), ...records.map((r) => logRow(r, false)));
}

const refresh = debounce(() => loadSummary().catch(() => {}), 400);

function onRequest(record) {
  const log = $('#log');
  log.firstChild.after(logRow(record, true));
  while (log.rows.length > 201) log.deleteRow(-1);
  refresh();
}

async function watchLive() {
  for (;;) {
    try {
      const response = await api('/ui/api/live');
      if (!response.ok || !response.body) throw new Error(`live feed: ${response.status}`);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        setLive(true);
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split('\n').filter((line) => line.startsWith('data: ')).map((line) => line.slice(6)).join('\n');
          if (data) onRequest(JSON.parse(data));
        }
      }
    } catch (error) {
      if (error instanceof Unauthorized) {
        state.watching = false;
        return;
      }
    }
    setLive(false);
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

function setLive(on) {
  const badge = $('#live-state');
  badge.className = `live ${on ? 'on' : 'off'}`;
  badge.textContent = on ? 'live' : 'offline';
}

// The config editor: the server masks secrets, checks every edit as the daemon would, and writes only valid ones.
async function loadConfig() {
  const response = await api('/ui/api/config');
  if (!response.ok) return;
  const view = await response.json();
  $('#config-text').value = view.text;
  $('#config-file').textContent = `${view.file} (serving version ${view.version})`;
  state.revision = view.revision;
  showProblems(view.problems, view.problems.length ? 'the file on disk is not valid; the last good config keeps serving' : '');
}

function showProblems(problems, message, ok) {
  $('#config-problems').replaceChildren(...problems.map((p) =>
    el('li', {}, `${p.path}${p.line ? ` (line ${p.line})` : ''}: ${p.message}`)));
  const status = $('#config-status');
  status.textContent = message;
  status.className = ok ? 'ok' : problems.length ? 'bad' : '';
}

const edit = () => JSON.stringify({ text: $('#config-text').value, revision: state.revision });
const jsonPost = (method) => ({ method, headers: { 'content-type': 'application/json' }, body: edit() });

const checkConfig = debounce(async () => {
  const response = await api('/ui/api/config/check', jsonPost('POST'));
  if (!response.ok) return;
  const result = await response.json();
  showProblems(result.problems, result.valid ? 'valid' : 'not valid: fix it before saving', result.valid);
}, 400);

async function saveConfig() {
  const response = await api('/ui/api/config', jsonPost('PUT'));
  const result = await response.json();
  if (response.ok) {
    await loadConfig();
    showProblems([], `saved; the daemon now serves version ${result.version}`, true);
  } else {
    showProblems(result.problems || [], response.status === 409 ? 'not saved: the file changed on disk' : 'not saved: the config is not valid');
  }
}

// Team mode is the server's to say (GET /health, public, has "team"); only then does the page load team.js.
async function loadTeamPages() {
  const health = await fetch('/health').then((response) => response.json()).catch(() => ({}));
  if (!health.team) return;
  await new Promise((resolve, reject) => {
    const script = el('script', { src: 'team.js' });
    script.addEventListener('load', resolve);
    script.addEventListener('error', reject);
    document.head.append(script);
  });
  await TeamPages.start();
}

async function load() {
  $('#login').hidden = true;
  $('#dashboard').hidden = false;
  try {
    // A member's key is told it needs an admin's before anything else loads.
    if (window.TeamPages && !(await TeamPages.admit())) return;
    await Promise.all([loadSummary(), loadLog(), loadConfig(), window.TeamPages ? TeamPages.load() : null]);
  } catch (error) {
    if (!(error instanceof Unauthorized)) throw error;
    return;
  }
  // One feed per tab, however often the user signs in again.
  if (!state.watching) {
    state.watching = true;
    watchLive();
  }
}

document.addEventListener('DOMContentLoaded', () => {
  $('#periods').addEventListener('click', (event) => {
    const period = event.target.dataset?.period;
    if (!period) return;
    state.period = period;
    for (const button of $('#periods').children) button.setAttribute('aria-pressed', String(button.dataset.period === period));
    loadSummary().catch(() => {});
    loadLog().catch(() => {});
  });
  $('#chart-metric').addEventListener('change', drawChart);
  $('#chart-by').addEventListener('change', drawChart);
  $('#config-text').addEventListener('input', checkConfig);
  $('#config-save').addEventListener('click', () => saveConfig().catch(() => {}));
  $('#config-reload').addEventListener('click', () => loadConfig().catch(() => {}));
  $('#login').addEventListener('submit', (event) => {
    event.preventDefault();
    Auth.signIn(event.target.key.value);
    event.target.reset();
    load();
  });
  loadTeamPages().catch(() => {}).then(load);
});
