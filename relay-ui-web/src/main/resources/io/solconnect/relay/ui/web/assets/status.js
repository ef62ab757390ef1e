/* The live status page: renders /api/events "status" snapshots and "relay-event" frames.
 * The stream reconnects by itself; a watchdog reopens it if no snapshot came for a while. */
'use strict';

(function () {
  const ui = window.RelayUi;
  const $ = (id) => document.getElementById(id);
  const COLORS = ['#2563eb', '#db2777', '#059669', '#d97706', '#7c3aed', '#0891b2', '#dc2626', '#4b5563'];
  const RTT_CHART_MIN_SECONDS = 60;
  const MAX_EVENTS = 60;
  const rows = new Map();
  let source = null;
  let lastSnapshot = Date.now();
  let rttChart = null;
  let rttChartKey = '';
  let rttChartEnd = Date.now() / 1000;
  let failoverKey = '';

  ui.linkWithToken('nav-settings', '/settings');

  function setConnection(state) {
    const pill = $('conn-status');
    pill.dataset.live = String(state === 'live');
    pill.dataset.state = state;
    pill.textContent = state === 'live' ? 'live' : state === 'connecting' ? 'connecting…' : 'reconnecting…';
  }

  function connect() {
    if (source) {
      source.close();
    }
    setConnection(source ? 'reconnecting' : 'connecting');
    /* EventSource cannot send headers: the token rides in the query (a page reachable from the
       network needs it for every /api read). */
    const token = ui.token;
    source = new EventSource(token ? '/api/events?token=' + encodeURIComponent(token) : '/api/events');
    source.addEventListener('status', (e) => {
      lastSnapshot = Date.now();
      setConnection('live');
      render(JSON.parse(e.data));
    });
    source.addEventListener('relay-event', (e) => logEvent(JSON.parse(e.data)));
    source.addEventListener('error', () => setConnection('reconnecting'));
  }

  /* EventSource retries by itself after network errors, but gives up after an HTTP error status
   * (e.g. while the server restarts); the watchdog covers both. */
  setInterval(() => {
    if (Date.now() - lastSnapshot > 4000) {
      lastSnapshot = Date.now();
      connect();
    }
  }, 1000);

  function render(status) {
    const state = $('session-state');
    state.textContent = status.state.replace('_', ' ').toLowerCase();
    state.dataset.state = status.state;

    const primary = $('primary-relay');
    primary.textContent = status.primary || '—';
    primary.dataset.relayId = status.primary || '';

    $('standby-relays').textContent = status.standby.length ? status.standby.join(', ') : '—';
    const outbox = $('outbox-depth');
    outbox.textContent = status.outboxDepth + ' · ' + ui.bytes(status.outboxBytes);
    outbox.dataset.depth = String(status.outboxDepth);
    const failovers = $('failover-count');
    failovers.textContent = String(status.counters.failovers);
    failovers.dataset.count = String(status.counters.failovers);
    const c = status.counters;
    $('message-counters').textContent = c.sent + ' · ' + c.acknowledged + ' · ' + c.delivered;

    renderRelays(status);
    renderRttChart(status);
    renderFailovers(status.failovers);

    const updated = $('last-update');
    updated.textContent = ui.time(status.at);
    updated.dataset.at = status.at;
  }

  function renderRelays(status) {
    const body = $('relay-rows');
    const seen = new Set();
    status.relays.forEach((relay, index) => {
      seen.add(relay.id);
      let row = rows.get(relay.id);
      if (!row) {
        row = createRow(relay);
        rows.set(relay.id, row);
      }
      if (body.children[index] !== row.tr) {
        body.insertBefore(row.tr, body.children[index] || null);
      }
      updateRow(row, relay, status);
    });
    for (const [id, row] of rows) {
      if (!seen.has(id)) {
        row.spark.destroy();
        row.tr.remove();
        rows.delete(id);
      }
    }
    $('no-relays').hidden = status.relays.length > 0;
  }

  function createRow(relay) {
    const tr = document.createElement('tr');
    tr.dataset.relayId = relay.id;
    const cells = {};
    ['url', 'role', 'state', 'region', 'score', 'rtt', 'sparkline', 'in', 'out', 'errors', 'stability',
      'uptime', 'ejected'].forEach((field) => {
      const td = document.createElement('td');
      td.dataset.field = field;
      if (['score', 'rtt', 'in', 'out', 'errors', 'uptime'].includes(field)) {
        td.className = 'num';
      }
      tr.appendChild(td);
      cells[field] = td;
    });
    cells.url.className = 'mono url';
    const badge = ui.el('span', 'badge');
    cells.role.appendChild(badge);
    const scoreText = ui.el('span', 'score-text');
    const scoreBar = ui.el('span', 'score-bar');
    const scoreFill = ui.el('span', 'score-fill');
    scoreBar.appendChild(scoreFill);
    cells.score.append(scoreText, scoreBar);
    const spark = new uPlot({
      width: 150, height: 34,
      cursor: { show: false }, legend: { show: false }, select: { show: false },
      axes: [{ show: false }, { show: false }],
      scales: { x: { time: false }, y: { range: (u, min, max) => [0, Math.max(max || 0, 1) * 1.1] } },
      series: [{}, { stroke: '#2563eb', width: 1.5, fill: 'rgba(37, 99, 235, 0.12)', points: { show: false } }]
    }, [[0], [null]], cells.sparkline);
    return { tr: tr, cells: cells, badge: badge, scoreText: scoreText, scoreFill: scoreFill, spark: spark };
  }

  function updateRow(row, relay, status) {
    const m = relay.metrics;
    const tr = row.tr;
    tr.dataset.role = relay.role;
    tr.dataset.connected = String(relay.connected);
    const health = relay.score >= 0.7 ? 'good' : relay.score >= 0.4 ? 'fair' : 'poor';
    tr.dataset.health = health;

    row.cells.url.textContent = relay.url;
    row.cells.url.title = relay.url;
    row.badge.textContent = relay.role.toLowerCase();
    row.badge.className = 'badge role-' + relay.role.toLowerCase();
    const state = relay.ejectedUntil ? 'ejected' : relay.connected ? 'connected' : 'disconnected';
    row.cells.state.textContent = state;
    row.cells.state.className = 'state-' + state;
    row.cells.region.textContent = relay.region || '—';
    row.scoreText.textContent = ui.number(relay.score, 2);
    row.scoreFill.style.width = Math.round(Math.max(0, Math.min(1, relay.score || 0)) * 100) + '%';
    row.scoreFill.className = 'score-fill ' + health;
    row.cells.rtt.textContent = m.rttMillis === null ? '—' : ui.number(m.rttMillis, 1) + ' ms';
    row.cells.rtt.title = 'p50 ' + ui.number(m.rttP50Millis, 1) + ' ms, p99 ' + ui.number(m.rttP99Millis, 1) + ' ms';
    row.cells.in.textContent = ui.number(m.inboundPerSecond, 1);
    row.cells.out.textContent = ui.number(m.outboundPerSecond, 1);
    row.cells.errors.textContent = m.errorRate === null ? '—' : ui.number(m.errorRate * 100, 1) + ' %';
    row.cells.stability.textContent = m.disconnectsInWindow + ' drop' + (m.disconnectsInWindow === 1 ? '' : 's')
      + ' / ' + ui.duration(m.windowMillis);
    row.cells.uptime.textContent = relay.connected ? ui.duration(m.connectedForMillis) : '—';
    row.cells.ejected.textContent = relay.ejectedUntil ? ui.time(relay.ejectedUntil) : '—';

    const n = relay.rttHistory.length;
    const step = status.healthCheckIntervalMillis / 1000;
    const xs = relay.rttHistory.map((_, i) => (i - n + 1) * step);
    row.spark.setData(n ? [xs, relay.rttHistory] : [[0], [null]]);
  }

  function renderRttChart(status) {
    const holder = $('rtt-chart');
    const key = status.relays.map((r) => r.id).join('\n');
    const at = Date.parse(status.at) / 1000;
    const step = status.healthCheckIntervalMillis / 1000;
    const longest = status.relays.reduce((max, r) => Math.max(max, r.rttHistory.length), 0);
    const xs = [];
    for (let i = 0; i < longest; i++) {
      xs.push(at - (longest - 1 - i) * step);
    }
    rttChartEnd = at;
    const data = [xs];
    status.relays.forEach((r) => {
      const pad = new Array(longest - r.rttHistory.length).fill(null);
      data.push(pad.concat(r.rttHistory));
    });
    if (!rttChart || key !== rttChartKey) {
      if (rttChart) {
        rttChart.destroy();
      }
      rttChartKey = key;
      const series = [{}];
      status.relays.forEach((r, i) => series.push({
        label: r.url, stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: false, points: { show: false },
        value: (u, v) => v === null ? '—' : v.toFixed(1) + ' ms'
      }));
      rttChart = new uPlot({
        width: Math.max(320, holder.clientWidth), height: 220, series: series,
        scales: {
          // at least the last minute up to now, so a young or empty history is not stretched
          // over milliseconds (or, with no points at all, over years)
          x: { range: (u, min, max) => [Math.min(min ?? rttChartEnd, rttChartEnd - RTT_CHART_MIN_SECONDS), rttChartEnd] },
          y: { range: (u, min, max) => [0, Math.max(max || 0, 1) * 1.15] }
        },
        axes: [{}, { label: 'ms', size: 50 }]
      }, data, holder);
    } else {
      rttChart.setData(data);
    }
  }

  window.addEventListener('resize', () => {
    if (rttChart) {
      rttChart.setSize({ width: Math.max(320, $('rtt-chart').clientWidth), height: 220 });
    }
  });

  function renderFailovers(list) {
    const key = list.length + '|' + (list.length ? list[list.length - 1].at + list[list.length - 1].to : '');
    if (key === failoverKey) {
      return;
    }
    failoverKey = key;
    const body = $('failover-rows');
    body.replaceChildren();
    list.slice().reverse().forEach((f) => {
      const tr = document.createElement('tr');
      tr.dataset.from = f.from || '';
      tr.dataset.to = f.to;
      tr.dataset.at = f.at;
      const cells = [
        ['at', ui.time(f.at), ''], ['from', f.from || '—', 'mono'], ['to', f.to, 'mono'], ['reason', f.reason, ''],
        ['duration', ui.number(f.durationMillis, 1) + ' ms', 'num'], ['replayed', String(f.replayed), 'num']
      ];
      cells.forEach(([field, text, cls]) => {
        const td = ui.el('td', cls, text);
        td.dataset.field = field;
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    $('no-failovers').hidden = list.length > 0;
    renderFailoverStats(list);
  }

  function renderFailoverStats(list) {
    $('failover-stats').hidden = list.length === 0;
    if (list.length === 0) {
      return;
    }
    const durations = list.map((f) => f.durationMillis).sort((a, b) => a - b);
    const mid = Math.floor(durations.length / 2);
    const median = durations.length % 2 ? durations[mid] : (durations[mid - 1] + durations[mid]) / 2;
    const max = durations[durations.length - 1];
    $('failover-median').textContent = ui.number(median, 1) + ' ms';
    $('failover-median').dataset.millis = String(median);
    $('failover-max').textContent = ui.number(max, 1) + ' ms';
    $('failover-max').dataset.millis = String(max);
    $('failover-replayed').textContent = String(list.reduce((sum, f) => sum + f.replayed, 0));
    $('failover-sample').textContent = String(list.length);
  }

  function logEvent(e) {
    const log = $('event-log');
    const li = ui.el('li', 'event type-' + e.type.toLowerCase());
    li.dataset.type = e.type;
    li.appendChild(ui.el('span', 'when', ui.time(e.at)));
    li.appendChild(ui.el('span', 'what', e.type));
    const detail = [];
    if (e.type === 'Failover') {
      detail.push((e.from || '—') + ' → ' + e.to, ui.number(e.durationMillis, 1) + ' ms', e.replayed + ' replayed');
    } else if (e.relay) {
      detail.push(e.relay);
    }
    if (e.type === 'StateChanged') { detail.push(e.from + ' → ' + e.to); }
    if (e.reason) { detail.push(e.reason); }
    if (e.error) { detail.push(e.error.message); }
    li.appendChild(ui.el('span', 'detail', detail.join(' · ')));
    log.insertBefore(li, log.firstChild);
    $('no-events').hidden = true;
    while (log.children.length > MAX_EVENTS) {
      log.removeChild(log.lastChild);
    }
  }

  connect();
})();
