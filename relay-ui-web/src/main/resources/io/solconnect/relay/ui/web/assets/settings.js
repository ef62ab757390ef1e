/* The settings page: shows /api/settings, adds and removes relays (POST/DELETE /api/relays) and
 * applies selection, liveness and failover settings (PUT /api/settings). Bodies and answers use
 * the configuration's one JSON form (that of config files: "selection", "liveness", "failover",
 * durations as "150ms"). Validation messages are the server's, which name the JSON path. */
'use strict';

(function () {
  const ui = window.RelayUi;
  const $ = (id) => document.getElementById(id);
  let readOnly = false;

  ui.linkWithToken('nav-status', '/');

  function showMessage(kind, text) {
    const box = $('form-message');
    box.dataset.kind = kind;
    box.className = 'message ' + kind;
    box.textContent = text;
    box.hidden = false;
  }

  function setEnabled(enabled) {
    document.querySelectorAll('form input, form select, form textarea, button.change').forEach((node) => {
      node.disabled = !enabled;
    });
  }

  /* A duration as the configuration writes it ("150ms", "2s", "5m", "1h" or ISO-8601 "PT0.15S"),
   * in milliseconds; NaN when it reads as none of these. */
  function durationMillis(text) {
    const unit = /^(\d+)(ms|s|m|h)$/.exec(text);
    if (unit) {
      return Number(unit[1]) * { ms: 1, s: 1000, m: 60000, h: 3600000 }[unit[2]];
    }
    const iso = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(text);
    if (iso) {
      return Math.round((Number(iso[1] || 0) * 3600 + Number(iso[2] || 0) * 60 + Number(iso[3] || 0)) * 1000);
    }
    return NaN;
  }

  function render(settings) {
    const config = settings.config;
    const strategy = config.selection.strategy;
    readOnly = settings.readOnly;
    $('read-only-notice').hidden = !readOnly;
    $('token-missing').hidden = readOnly || Boolean(ui.token);
    renderRelays(config.relays);

    const select = $('strategy-algorithm');
    select.replaceChildren();
    const names = settings.algorithms.slice();
    if (!names.includes(strategy.algorithm)) {
      names.push(strategy.algorithm);
    }
    names.forEach((name) => {
      const option = ui.el('option', null, name);
      option.value = name;
      select.appendChild(option);
    });
    select.value = strategy.algorithm;
    $('strategy-sticky').checked = strategy.stickySession;
    $('strategy-health-weight').value = String(strategy.healthWeight);
    $('strategy-settings').value = Object.entries(strategy.settings)
      .map(([k, v]) => k + '=' + v).join('\n');
    $('ping-interval').value = String(durationMillis(config.liveness.pingInterval));
    $('ping-timeout').value = String(durationMillis(config.liveness.pingTimeout));
    $('failover-threshold').value = String(config.selection.failoverThreshold);
    $('health-check-interval').value = String(durationMillis(config.selection.healthCheckInterval));
    $('standby-count').value = String(config.failover.standbyCount);
    setEnabled(!readOnly && Boolean(ui.token));
  }

  function renderRelays(relays) {
    const body = $('relay-list-rows');
    body.replaceChildren();
    relays.forEach((relay) => {
      const tr = document.createElement('tr');
      tr.dataset.relayId = relay.url;
      [['url', relay.url, 'mono url'], ['region', relay.region || '—', ''],
        ['priority', String(relay.priority), 'num'], ['weight', String(relay.weight), 'num']]
        .forEach(([field, text, cls]) => {
          const td = ui.el('td', cls, text);
          td.dataset.field = field;
          tr.appendChild(td);
        });
      const actions = ui.el('td', 'actions');
      const remove = ui.el('button', 'change danger', 'Remove');
      remove.type = 'button';
      remove.dataset.action = 'remove';
      remove.dataset.relayId = relay.url;
      remove.addEventListener('click', () => removeRelay(relay.url));
      actions.appendChild(remove);
      tr.appendChild(actions);
      body.appendChild(tr);
    });
  }

  /* Numbers typed as text: send a number when it reads as one, otherwise the text itself, so
   * that the server's validation names the field. Empty means "leave unchanged". */
  function numeric(id) {
    const text = $(id).value.trim();
    if (text === '') {
      return undefined;
    }
    return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
  }

  function strategySettings() {
    const result = {};
    $('strategy-settings').value.split('\n').map((line) => line.trim()).filter((line) => line !== '')
      .forEach((line) => {
        const eq = line.indexOf('=');
        if (eq < 0) {
          result[line] = '';
        } else {
          result[line.substring(0, eq).trim()] = line.substring(eq + 1).trim();
        }
      });
    return result;
  }

  async function load() {
    const result = await ui.api('GET', '/api/settings');
    if (result.ok) {
      render(result.data);
    } else {
      showMessage('error', ui.errorText(result));
    }
  }

  async function change(method, path, body, success) {
    setEnabled(false);
    const result = await ui.api(method, path, body);
    if (result.ok) {
      render(result.data);
      showMessage('ok', success);
      return true;
    }
    setEnabled(!readOnly && Boolean(ui.token));
    showMessage('error', ui.errorText(result));
    return false;
  }

  async function removeRelay(id) {
    await change('DELETE', '/api/relays?url=' + encodeURIComponent(id), undefined, 'Removed ' + id + '.');
  }

  $('add-relay-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { url: $('add-url').value.trim(), region: $('add-region').value.trim() };
    const priority = numeric('add-priority');
    if (priority !== undefined) {
      body.priority = priority;
    }
    if (await change('POST', '/api/relays', body, 'Added ' + body.url + '.')) {
      $('add-url').value = '';
      $('add-region').value = '';
      $('add-priority').value = '0';
    }
  });

  /* A duration typed in milliseconds: "200" is sent as "200ms"; anything else as typed, so that
   * the server's message names the field. */
  function millis(id) {
    const value = numeric(id);
    return typeof value === 'number' ? value + 'ms' : value;
  }

  function putDefined(target, key, value) {
    if (value !== undefined) {
      target[key] = value;
    }
  }

  $('settings-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const strategy = {
      algorithm: $('strategy-algorithm').value,
      stickySession: $('strategy-sticky').checked,
      settings: strategySettings()
    };
    putDefined(strategy, 'healthWeight', numeric('strategy-health-weight'));
    const selection = { strategy: strategy };
    putDefined(selection, 'failoverThreshold', numeric('failover-threshold'));
    putDefined(selection, 'healthCheckInterval', millis('health-check-interval'));
    const liveness = {};
    putDefined(liveness, 'pingInterval', millis('ping-interval'));
    putDefined(liveness, 'pingTimeout', millis('ping-timeout'));
    const failover = {};
    putDefined(failover, 'standbyCount', numeric('standby-count'));
    const body = { selection: selection, liveness: liveness, failover: failover };
    await change('PUT', '/api/settings', body, 'Settings applied.');
  });

  load();
})();
