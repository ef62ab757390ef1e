/* Shared by the status and settings pages: the access token, the JSON API and formatting.
 * Everything a relay or the server supplies is put into the page with textContent only. */
'use strict';

window.RelayUi = (function () {
  const TOKEN_KEY = 'solconnect-relay-token';

  /* The token comes in the URL fragment (never sent to a server); keep it for this tab only and
   * take it out of the address bar so it is not bookmarked or shared by accident. */
  function readToken() {
    const match = /(?:^#|&)token=([A-Za-z0-9_-]{16,128})(?:&|$)/.exec(location.hash);
    if (match) {
      sessionStorage.setItem(TOKEN_KEY, match[1]);
      history.replaceState(null, '', location.pathname + location.search);
    }
    return sessionStorage.getItem(TOKEN_KEY);
  }

  const token = readToken();

  async function api(method, path, body) {
    const headers = { 'Accept': 'application/json' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    if (token) {
      headers['X-Relay-Token'] = token;
    }
    let response;
    try {
      response = await fetch(path, {
        method: method,
        headers: headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
        credentials: 'omit',
        redirect: 'error'
      });
    } catch (e) {
      return { ok: false, status: 0, data: { error: { code: 'io', message: 'the status server cannot be reached' } } };
    }
    let data = null;
    try {
      data = await response.json();
    } catch (e) {
      data = null;
    }
    return { ok: response.ok, status: response.status, data: data };
  }

  function errorText(result) {
    if (result.data && result.data.error && result.data.error.message) {
      return result.data.error.message;
    }
    return 'request failed (HTTP ' + result.status + ')';
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  function number(value, digits) {
    return value === null || value === undefined ? '—' : Number(value).toFixed(digits);
  }

  function duration(ms) {
    if (ms === null || ms === undefined) {
      return '—';
    }
    let s = Math.floor(ms / 1000);
    const d = Math.floor(s / 86400); s -= d * 86400;
    const h = Math.floor(s / 3600); s -= h * 3600;
    const m = Math.floor(s / 60); s -= m * 60;
    if (d > 0) { return d + 'd ' + h + 'h'; }
    if (h > 0) { return h + 'h ' + String(m).padStart(2, '0') + 'm'; }
    if (m > 0) { return m + 'm ' + String(s).padStart(2, '0') + 's'; }
    return s + 's';
  }

  function bytes(n) {
    if (n < 1024) { return n + ' B'; }
    if (n < 1024 * 1024) { return (n / 1024).toFixed(1) + ' KiB'; }
    return (n / 1024 / 1024).toFixed(1) + ' MiB';
  }

  function time(iso) {
    if (!iso) {
      return '—';
    }
    const date = new Date(iso);
    return date.toLocaleTimeString([], { hour12: false });
  }

  /* Links between the pages carry the token in the fragment, so a page opened in a new tab can
   * still make changes. */
  function linkWithToken(id, path) {
    const link = document.getElementById(id);
    if (link && token) {
      link.href = path + '#token=' + encodeURIComponent(token);
    }
  }

  return {
    token: token, api: api, errorText: errorText, el: el, number: number, duration: duration,
    bytes: bytes, time: time, linkWithToken: linkWithToken
  };
})();
