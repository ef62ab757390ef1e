/* The settings page: shows /api/settings, adds and removes relays (POST/DELETE /api/relays) and
 * applies selection and failover settings (PUT /api/settings). Validation messages are the
 * server's, which come from the configuration's own checks. */
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

  function render(settings) {
    readOnly = settings.readOnly;
    $('read-only-notice').hidden = !readOnly;
    $('token-missing').hidden = readOnly || Boolean(ui.token);
    renderRelays(settings.relays);

    const select = $('strategy-algorithm');
    select.replaceChildren();
    const names = settings.algorithms.slice();
    if (!names.includes(settings.strategy.algorithm)) {
      names.push(settings.strategy.algorithm);
    }
    names.forEach((name) => {
      const option = ui.el('option', null, name);
      option.value = name;
      select.appendChild(option);
    });
    select.value = settings.strategy.algorithm;
    $('strategy-sticky').checked = settings.strategy.stickySession;
    $('strategy-health-weight').value = String(settings.strategy.healthWeight);
    $('strategy-settings').value = Object.entries(settings.strategy.settings)
      .map(([k, v]) => k + '=' + v).join('\n');
    $('ping-interval').value = String(settings.pingIntervalMillis);
    $('ping-timeout').value = String(settings.pingTimeoutMillis);
    $('failover-threshold').value = String(settings.failoverThreshold);
    $('health-check-interval').value = String(settings.healthCheckIntervalMillis);
    $('standby-count').value = String(settings.standbyCount);
    setEnabled(!readOnly && Boolean(ui.token));
  }

  function renderRelays(relays) {
    const body = $('relay-list-rows');
    body.replaceChildren();
    relays.forEach((relay) => {
      const tr = document.createElement('tr');
      tr.dataset.relayId = relay.id;
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
      remove.dataset.relayId = relay.id;
      remove.addEventListener('click', () => removeRelay(relay.id));
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

  $('settings-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = {
      strategy: {
        algorithm: $('strategy-algorithm').value,
        stickySession: $('strategy-sticky').checked,
        settings: strategySettings()
      }
    };
    const healthWeight = numeric('strategy-health-weight');
    if (healthWeight !== undefined) {
      body.strategy.healthWeight = healthWeight;
    }
    [['pingIntervalMillis', 'ping-interval'], ['pingTimeoutMillis', 'ping-timeout'],
      ['failoverThreshold', 'failover-threshold'], ['healthCheckIntervalMillis', 'health-check-interval'],
      ['standbyCount', 'standby-count']].forEach(([field, id]) => {
      const value = numeric(id);
      if (value !== undefined) {
        body[field] = value;
      }
    });
    await change('PUT', '/api/settings', body, 'Settings applied.');
  });

  load();
})();
