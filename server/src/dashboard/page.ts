// The live dashboard page served at /dashboard: one self-contained HTML document (inline script and
// style, canvas charts and a room table, no external requests) that follows /dashboard/ws. Built once
// at start; the browser redraws once per pushed second.
import { createHash } from 'node:crypto';

const STYLE = `
body { margin: 0; font: 13px/1.4 system-ui, sans-serif; background: #11151c; color: #d8dee9; }
header { display: flex; gap: 16px; align-items: baseline; padding: 10px 16px; border-bottom: 1px solid #2a3240; }
h1 { font-size: 16px; margin: 0; }
#status { padding: 2px 8px; border-radius: 4px; background: #394150; }
#status.ok { background: #2e6b3a; }
#status.overloaded { background: #9b2c2c; }
#status.down { background: #6b5a2e; }
#figures { color: #9aa5b8; }
main { display: grid; grid-template-columns: repeat(auto-fit, minmax(440px, 1fr)); gap: 12px; padding: 12px 16px; }
section { background: #171c25; border: 1px solid #2a3240; border-radius: 6px; padding: 8px 10px; }
h2 { font-size: 13px; margin: 0 0 4px; font-weight: 600; }
canvas { width: 100%; height: 180px; display: block; }
.legend { color: #9aa5b8; font-size: 12px; min-height: 16px; }
#rooms-section, #processes-section { grid-column: 1 / -1; }
tr.draining td { color: #ffb454; }
tr.self td:first-child { font-weight: 600; }
table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 2px 8px; border-bottom: 1px solid #2a3240; }
th { color: #9aa5b8; font-weight: 600; }
td.num, th.num { text-align: right; }
tr.failed td { color: #ff6b6b; }
`;

// Plain ES2020 in the browser. The figures come from server/src/metrics/recentStats.ts (WindowFigures),
// the room table from server/src/dashboard/roomTable.ts (DashboardRooms), the process table from
// server/src/dashboard/processTable.ts (DashboardProcesses).
const SCRIPT = `
'use strict';
var HISTORY = 120;
var seconds = [];
var hello = null;
var state = { messages: 0, chartsDrawn: 0, last: null, connected: false, rooms: null, processes: null };
window.__dashboard = state;

var charts = [
  { id: 'tick', unit: 'ms', series: [
    { label: 'tick p50', color: '#7fb4ff', get: function (s) { return s.tickMs.p50; } },
    { label: 'tick p99', color: '#ffb454', get: function (s) { return s.tickMs.p99; } },
    { label: 'tick max', color: '#ff6b6b', get: function (s) { return s.tickMs.max; } },
    { label: 'lateness p99', color: '#c792ea', get: function (s) { return s.latenessMs.p99; } }
  ], line: function () { return hello ? { value: hello.periodMs, label: 'period' } : null; } },
  { id: 'players', unit: '', series: [
    { label: 'connections', color: '#5c6b82', get: function (s) { return s.connections; } },
    { label: 'players', color: '#7fdb8a', get: function (s) { return s.players; } }
  ] },
  { id: 'bytes', unit: 'B/s', series: [
    { label: 'out per client', color: '#7fb4ff', get: function (s) { return s.bytesOutPerClientPerS; } },
    { label: 'in per client', color: '#ffb454', get: function (s) { return s.bytesInPerClientPerS; } }
  ] },
  { id: 'trouble', unit: '/s', series: [
    { label: 'backpressure skips', color: '#ff6b6b', get: function (s) { return s.backpressureSkips; } },
    { label: 'overruns', color: '#ffb454', get: function (s) { return s.overruns; } },
    { label: 'dropped ticks', color: '#c792ea', get: function (s) { return s.droppedTicks; } },
    { label: 'full fallbacks', color: '#5c6b82', get: function (s) { return s.fullFallbacks; } }
  ] }
];

// A round top for the y axis, so that its four gridlines fall on round numbers.
function niceMax(v) {
  if (!(v > 0)) return 1;
  var p = Math.pow(10, Math.floor(Math.log10(v)));
  var steps = [1, 2, 4, 6, 8, 10];
  for (var i = 0; i < steps.length; i++) if (steps[i] * p >= v) return steps[i] * p;
  return 10 * p;
}

function fmt(v) {
  if (v >= 10000) return (v / 1000).toFixed(0) + 'k';
  if (v >= 100 || Number.isInteger(v)) return v.toFixed(0);
  if (v >= 10) return v.toFixed(1);
  return String(Math.round(v * 100) / 100);
}

function draw(chart) {
  var canvas = document.getElementById(chart.id);
  var dpr = window.devicePixelRatio || 1;
  var w = canvas.clientWidth, h = canvas.clientHeight;
  if (canvas.width !== Math.round(w * dpr)) canvas.width = Math.round(w * dpr);
  if (canvas.height !== Math.round(h * dpr)) canvas.height = Math.round(h * dpr);
  var g = canvas.getContext('2d');
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, w, h);
  var left = 44, right = 8, top = 8, bottom = 18;
  var line = chart.line ? chart.line() : null;
  var max = line ? line.value : 0;
  seconds.forEach(function (s) { chart.series.forEach(function (se) { max = Math.max(max, se.get(s)); }); });
  max = niceMax(max * 1.05);
  var x = function (i) { return left + (w - left - right) * (i / (HISTORY - 1)); };
  var y = function (v) { return top + (h - top - bottom) * (1 - v / max); };
  g.strokeStyle = '#2a3240'; g.fillStyle = '#7b8698'; g.lineWidth = 1; g.font = '11px system-ui, sans-serif';
  for (var k = 0; k <= 4; k++) {
    var v = (max * k) / 4, yy = Math.round(y(v)) + 0.5;
    g.beginPath(); g.moveTo(left, yy); g.lineTo(w - right, yy); g.stroke();
    g.fillText(fmt(v) + (k === 4 ? ' ' + chart.unit : ''), 2, yy + 4);
  }
  g.fillText('-' + HISTORY + ' s', left, h - 4);
  g.fillText('now', w - right - 22, h - 4);
  if (line) {
    g.save(); g.setLineDash([4, 4]); g.strokeStyle = '#d8dee9';
    g.beginPath(); g.moveTo(left, y(line.value)); g.lineTo(w - right, y(line.value)); g.stroke(); g.restore();
  }
  var offset = HISTORY - seconds.length;
  chart.series.forEach(function (se) {
    g.strokeStyle = se.color; g.lineWidth = 1.5; g.beginPath();
    seconds.forEach(function (s, i) {
      var px = x(offset + i), py = y(se.get(s));
      if (i === 0) g.moveTo(px, py); else g.lineTo(px, py);
    });
    g.stroke();
  });
  var last = seconds[seconds.length - 1];
  var legend = chart.series.map(function (se) { return se.label + ' ' + (last ? fmt(se.get(last)) : '-'); });
  if (line) legend.push(line.label + ' ' + fmt(line.value));
  document.getElementById(chart.id + '-legend').textContent = legend.join('   ');
}

// One table row's cells as text (textContent): ids and names never become markup.
function cells(tr, list) {
  list.forEach(function (cell) {
    var td = document.createElement('td');
    td.textContent = cell[0];
    if (cell[1]) td.className = cell[1];
    tr.appendChild(td);
  });
}

// The room table, rebuilt from the last pushed rows (at most 50: the server keeps it bounded).
// Text only (textContent): ids and names never become markup.
function renderRooms() {
  var rooms = state.rooms;
  var body = document.getElementById('rooms-body');
  var rows = [];
  (rooms ? rooms.rows : []).forEach(function (room) {
    var tr = document.createElement('tr');
    if (room.phase === 'failed') tr.className = 'failed';
    cells(tr, [
      [room.id + (room.private ? ' (private)' : ''), ''],
      [room.scenario, ''],
      [room.players + '/' + room.maxPlayers, 'num'],
      [room.phase, ''],
      [fmt(room.latenessP99Ms), 'num'],
      [fmt(room.tickP99Ms), 'num']
    ]);
    rows.push(tr);
  });
  body.replaceChildren.apply(body, rows);
  document.getElementById('rooms-legend').textContent = !rooms ? ''
    : rooms.live + ' room' + (rooms.live === 1 ? '' : 's')
      + (rooms.rest > 0 ? ', the ' + rooms.rows.length + ' fullest shown, ' + rooms.rest + ' more' : '');
}

// The process table: every process of the cluster (this one alone without --redis-url), read by
// the server at most once a second. Text only, like the room table.
function renderProcesses() {
  var table = state.processes;
  var body = document.getElementById('processes-body');
  var rows = [];
  (table ? table.processes : []).forEach(function (p) {
    var tr = document.createElement('tr');
    tr.className = (p.self ? 'self' : '') + (p.draining ? ' draining' : '');
    var shown = p.publicRooms.map(function (r) { return r.id + ' ' + r.players + '/' + r.maxPlayers; });
    if (p.publicRest > 0) shown.push(p.publicRest + ' more');
    cells(tr, [
      [p.id + (p.self ? ' (this)' : ''), ''],
      [p.url, ''],
      [p.players + '/' + p.maxTotalPlayers, 'num'],
      [p.rooms + '/' + p.maxRooms, 'num'],
      [Math.round(p.cpu * 100) + ' %', 'num'],
      [p.draining ? 'draining' : 'serving', ''],
      [p.heartbeatAgeMs === null ? '-' : fmt(p.heartbeatAgeMs) + ' ms', 'num'],
      [shown.join(', '), '']
    ]);
    rows.push(tr);
  });
  body.replaceChildren.apply(body, rows);
  var legend = '';
  if (table) {
    var n = table.processes.length + table.rest;
    legend = n + ' process' + (n === 1 ? '' : 'es') + (table.source === 'cluster' ? ' in the cluster' : ' (no cluster)')
      + (table.rest > 0 ? ', ' + table.rest + ' not shown' : '')
      + (table.readAt === null ? ', not read yet' : '')
      + (table.error ? ', last read failed: ' + table.error : '');
  }
  document.getElementById('processes-legend').textContent = legend;
}

function render() {
  charts.forEach(draw);
  renderRooms();
  renderProcesses();
  state.chartsDrawn++;
  var last = seconds[seconds.length - 1];
  var status = document.getElementById('status');
  if (!state.connected) { status.textContent = 'disconnected'; status.className = 'down'; }
  else if (last) { status.textContent = last.status; status.className = last.status; }
  document.getElementById('figures').textContent = last
    ? 'tick ' + last.tick + ' | ' + last.players + ' players | tick p99 ' + fmt(last.tickMs.p99) + ' ms'
      + (last.reasons && last.reasons.length ? ' | ' + last.reasons.join('; ') : '')
    : 'waiting for the first second';
}

function connect() {
  var token = new URLSearchParams(location.search).get('token');
  var url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/dashboard/ws'
    + (token ? '?token=' + encodeURIComponent(token) : '');
  var ws = new WebSocket(url);
  ws.onopen = function () { state.connected = true; render(); };
  ws.onmessage = function (event) {
    var message = JSON.parse(event.data);
    state.messages++;
    if (message.type === 'hello') {
      hello = message;
      seconds = message.history.slice(-HISTORY);
      state.rooms = message.rooms;
      state.processes = message.processes;
      document.getElementById('title').textContent = 'Tickwire ' + message.scenario + ' @ ' + message.tickRate + ' Hz';
    } else if (message.type === 'second') {
      seconds.push(message);
      if (seconds.length > HISTORY) seconds.shift();
      state.last = message;
      state.rooms = message.rooms;
      state.processes = message.processes;
    }
    render();
  };
  ws.onclose = function () { state.connected = false; render(); setTimeout(connect, 2000); };
}

window.addEventListener('resize', render);
render();
connect();
`;

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** The dashboard document. */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tickwire dashboard</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<header><h1 id="title">Tickwire</h1><span id="status">connecting</span><span id="figures"></span></header>
<main>
<section><h2>Tick time and lateness (ms)</h2><canvas id="tick"></canvas><div class="legend" id="tick-legend"></div></section>
<section><h2>Players</h2><canvas id="players"></canvas><div class="legend" id="players-legend"></div></section>
<section><h2>Bytes per client per second</h2><canvas id="bytes"></canvas><div class="legend" id="bytes-legend"></div></section>
<section><h2>Backpressure skips, overruns, dropped ticks (per second)</h2><canvas id="trouble"></canvas><div class="legend" id="trouble-legend"></div></section>
<section id="rooms-section"><h2>Rooms (most players first; p99s since each room was made, ms)</h2>
<table><thead><tr><th>id</th><th>scenario</th><th class="num">players</th><th>phase</th><th class="num">lateness p99</th><th class="num">tick p99</th></tr></thead>
<tbody id="rooms-body"></tbody></table><div class="legend" id="rooms-legend"></div></section>
<section id="processes-section"><h2>Processes (CPU in one core; heartbeat: since it last reached Redis; public rooms, fullest first)</h2>
<table><thead><tr><th>process</th><th>url</th><th class="num">players</th><th class="num">rooms</th><th class="num">cpu</th><th>state</th><th class="num">heartbeat</th><th>public rooms</th></tr></thead>
<tbody id="processes-body"></tbody></table><div class="legend" id="processes-legend"></div></section>
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;

/**
 * Headers for the page: a content security policy that allows exactly its own inline script and
 * style and a socket back to this origin; no referrer, since the URL may carry the token.
 */
export const DASHBOARD_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'content-security-policy': [
    "default-src 'none'",
    `script-src ${sha256(SCRIPT)}`,
    `style-src ${sha256(STYLE)}`,
    "connect-src 'self'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; '),
};
