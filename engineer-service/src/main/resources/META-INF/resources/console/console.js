// The engineer console: the engineer logs in at the identity provider (OpenID Connect, authorization
// code with PKCE S256, as a public client), then sees the calls offered to them arrive live and
// accepts, rejects or completes them. Every request to engineer-service carries the access token.
// Plain browser JavaScript, no build step; every text from a server is set as text, never as HTML.
'use strict';

(() => {
  const ASSIGNMENT_EVENTS = new Set(['offered', 'accepted', 'rejected', 'expired', 'withdrawn', 'completed']
    .map(s => 'assignment-' + s));
  const OPEN = new Set(['OFFERED', 'ACCEPTED']);
  // sessionStorage: a reload keeps the engineer logged in, a closed tab forgets the tokens
  const TOKENS_KEY = 'ascall.console.tokens';
  const LOGIN_KEY = 'ascall.console.login';
  // a token is renewed this long before it expires (at most a quarter of its lifetime before)
  const REFRESH_AHEAD_MS = 30_000;
  // a broken stream is opened again after a pause that doubles while it keeps failing
  const RECONNECT_MIN_MS = 1_000;
  const RECONNECT_MAX_MS = 30_000;
  // the service writes on an idle stream at least every heartbeat (15 s unless configured
  // otherwise, always under the 55-60 s at which proxies drop idle connections): a stream silent
  // this long is a connection that died without closing
  const SILENCE_MS = 65_000;

  const $ = id => document.getElementById(id);

  /** Thrown where the login has ended (and the page says so): whatever was under way stops. */
  class SessionEnded extends Error {}

  const auth = {
    clientId: null,
    // the provider's discovery document: its endpoints
    provider: null,
    // { accessToken, refreshToken, idToken, expiresAt, refreshExpiresAt, lifetimeMs }
    tokens: null,
    refreshing: null,
    refreshTimer: null,
  };

  const stream = {
    engineerId: null,
    controller: null,
    // the id of the last event handled: sent as Last-Event-ID, the service resumes after it
    lastEventId: null,
    listed: false,
    delayMs: RECONNECT_MIN_MS,
    retryMs: null,
    timer: null,
  };

  const state = {
    assignments: new Map(),
    // ids changed by an event while the list was loading: the event is newer than the list
    touchedWhileLoading: null,
    emptyText: '',
  };

  const applianceName = type => type.charAt(0) + type.slice(1).toLowerCase().replace(/_/g, ' ');
  const timeText = iso => iso ? new Date(iso).toLocaleString() : '';
  // the console's own address, without query or fragment: where the provider sends the browser back
  const here = () => location.origin + location.pathname;

  function setConnection(kind, text) {
    const el = $('connection');
    el.dataset.state = kind;
    el.textContent = text;
  }

  function announce(text) {
    $('announcer').textContent = text;
  }

  function showError(id, text) {
    $(id).textContent = text || '';
  }

  /** A problem's title and detail (RFC 9457), as the service wrote them. */
  async function problemText(response) {
    try {
      const problem = await response.json();
      const text = [problem.title, problem.detail].filter(Boolean).join(': ');
      return text || 'HTTP ' + response.status;
    } catch (e) {
      return 'HTTP ' + response.status;
    }
  }

  // --- logging in (authorization code with PKCE S256) ---

  function base64url(bytes) {
    return btoa(String.fromCharCode(...new Uint8Array(bytes)))
      .replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  const randomText = () => base64url(crypto.getRandomValues(new Uint8Array(32)));

  /** A JWT's claims, read without checking: the page only shows them; the service checks tokens. */
  function claims(jwt) {
    try {
      const part = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      const bytes = Uint8Array.from(atob(part), c => c.charCodeAt(0));
      return JSON.parse(new TextDecoder().decode(bytes));
    } catch (e) {
      return {};
    }
  }

  async function getJson(url) {
    const response = await fetch(url, { headers: { Accept: 'application/json' } });
    if (!response.ok) throw new Error(url + ' answered HTTP ' + response.status);
    return response.json();
  }

  async function login() {
    showError('session-error', '');
    if (!window.crypto?.subtle) {
      // Web Crypto exists only on https and on localhost
      showError('session-error', 'This page must be opened over https to log in.');
      return;
    }
    const verifier = randomText();
    const pending = { verifier, state: randomText(), nonce: randomText() };
    const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
    sessionStorage.setItem(LOGIN_KEY, JSON.stringify(pending));
    const url = new URL(auth.provider.authorization_endpoint);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: auth.clientId,
      redirect_uri: here(),
      scope: 'openid',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      // the code comes back in the fragment, which the browser never sends: it stays out of the
      // service's logs and of any proxy's
      response_mode: 'fragment',
    });
    location.assign(url);
  }

  /** Back from the provider: the code, checked against the login this tab started, for tokens. */
  async function finishLogin(answer) {
    const pending = JSON.parse(sessionStorage.getItem(LOGIN_KEY) || 'null');
    sessionStorage.removeItem(LOGIN_KEY);
    history.replaceState(null, '', location.pathname + location.search);
    if (answer.get('error')) {
      throw new Error('The login did not complete: ' + (answer.get('error_description') || answer.get('error')));
    }
    if (!pending || answer.get('state') !== pending.state) {
      throw new Error('This login was not started here (or was answered twice): log in again.');
    }
    if (answer.has('iss') && answer.get('iss') !== auth.provider.issuer) {
      throw new Error('The login was answered by another provider than this console\'s: log in again.');
    }
    const tokens = await tokenRequest({
      grant_type: 'authorization_code',
      code: answer.get('code'),
      redirect_uri: here(),
      code_verifier: pending.verifier,
    });
    if (claims(tokens.id_token).nonce !== pending.nonce) {
      throw new Error('The login answered for another request: log in again.');
    }
    keep(tokens);
  }

  async function tokenRequest(form) {
    const response = await fetch(auth.provider.token_endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...form, client_id: auth.clientId }),
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = new Error(body.error_description || body.error || 'HTTP ' + response.status);
      error.status = response.status;
      throw error;
    }
    return body;
  }

  function keep(answer) {
    const now = Date.now();
    const lifetimeMs = answer.expires_in * 1000;
    auth.tokens = {
      accessToken: answer.access_token,
      refreshToken: answer.refresh_token ?? auth.tokens?.refreshToken,
      idToken: answer.id_token ?? auth.tokens?.idToken,
      expiresAt: now + lifetimeMs,
      // 0 from Keycloak: no end of its own (an offline session)
      refreshExpiresAt: answer.refresh_expires_in ? now + answer.refresh_expires_in * 1000 : null,
      lifetimeMs,
    };
    sessionStorage.setItem(TOKENS_KEY, JSON.stringify(auth.tokens));
    scheduleRefresh();
  }

  /** The tokens this tab kept, unless the login they come from has ended. */
  function storedTokens() {
    try {
      const tokens = JSON.parse(sessionStorage.getItem(TOKENS_KEY) || 'null');
      if (!tokens?.accessToken) return null;
      const usable = tokens.expiresAt > Date.now()
        || (tokens.refreshToken && (!tokens.refreshExpiresAt || tokens.refreshExpiresAt > Date.now()));
      return usable ? tokens : null;
    } catch (e) {
      return null;
    }
  }

  function scheduleRefresh() {
    clearTimeout(auth.refreshTimer);
    if (!auth.tokens?.refreshToken) return;
    const ahead = Math.min(REFRESH_AHEAD_MS, auth.tokens.lifetimeMs / 4);
    auth.refreshTimer = setTimeout(
      // a failure that is not the end of the login (the provider unreachable): the next request tries again
      () => refresh().catch(() => {}),
      Math.max(0, auth.tokens.expiresAt - ahead - Date.now()));
  }

  /** New tokens for the refresh token; one request at a time, whoever asks. */
  function refresh() {
    if (!auth.refreshing) {
      auth.refreshing = (async () => {
        if (!auth.tokens?.refreshToken) {
          endSession('Your login has expired: log in again.');
          throw new SessionEnded();
        }
        try {
          keep(await tokenRequest({ grant_type: 'refresh_token', refresh_token: auth.tokens.refreshToken }));
        } catch (e) {
          if (e.status === 400 || e.status === 401) {
            // invalid_grant: the provider's session ended (logged out elsewhere, timed out)
            endSession('Your login has ended: log in again.');
            throw new SessionEnded();
          }
          throw e;
        }
      })().finally(() => { auth.refreshing = null; });
    }
    return auth.refreshing;
  }

  async function accessToken() {
    if (!auth.tokens) throw new SessionEnded();
    if (Date.now() >= auth.tokens.expiresAt - 5_000) await refresh();
    return auth.tokens.accessToken;
  }

  /**
   * A request to engineer-service with the access token. A 401 means the token was refused (expired
   * early, or its session revoked): it is renewed and the request sent once more.
   */
  async function api(path, options = {}) {
    const send = async () => fetch(path, {
      ...options,
      headers: { ...options.headers, Authorization: 'Bearer ' + await accessToken() },
    });
    let response = await send();
    if (response.status === 401) {
      await refresh();
      response = await send();
      if (response.status === 401) {
        endSession('engineer-service does not accept your login: log in again.');
        throw new SessionEnded();
      }
    }
    return response;
  }

  function forget() {
    clearTimeout(auth.refreshTimer);
    auth.tokens = null;
    sessionStorage.removeItem(TOKENS_KEY);
    follow(null);
  }

  /** The login ended by itself: the page says why and offers to log in again. */
  function endSession(why) {
    forget();
    showSignedOut();
    showError('session-error', why);
  }

  function logout() {
    const idToken = auth.tokens?.idToken;
    forget();
    const endpoint = auth.provider?.end_session_endpoint;
    if (!endpoint) {
      showSignedOut();
      return;
    }
    // ends the provider's session too, else the next "Log in" would let the same person in unasked
    const url = new URL(endpoint);
    url.search = new URLSearchParams({
      client_id: auth.clientId,
      post_logout_redirect_uri: here(),
      ...(idToken ? { id_token_hint: idToken } : {}),
    });
    location.assign(url);
  }

  // --- who is logged in ---

  function showOnly(id) {
    for (const part of ['starting', 'signed-out', 'signed-in']) {
      $(part).hidden = part !== id;
    }
  }

  function showSignedOut() {
    showOnly('signed-out');
    setConnection('idle', 'Not connected');
    state.emptyText = 'Log in to see the calls offered to you. New offers appear here as they are made.';
    render();
  }

  async function showEngineer() {
    $('engineer-card').hidden = true;
    $('no-engineer').hidden = true;
    showOnly('signed-in');
    state.emptyText = 'Loading…';
    render();
    let response;
    try {
      response = await api('/engineers/me');
    } catch (e) {
      if (e instanceof SessionEnded) return;
      showError('session-error', 'engineer-service cannot be reached: reload the page to try again.');
      return;
    }
    // from the token the service took (it may have been renewed on the way)
    const who = claims(auth.tokens.accessToken);
    $('account-name').textContent = who.preferred_username || who.name || who.sub || '';
    if (response.status === 404) {
      $('no-engineer').hidden = false;
      state.emptyText = 'Calls are offered to registered engineers only.';
      render();
      return;
    }
    if (!response.ok) {
      showError('session-error', 'Cannot show your engineer record: ' + await problemText(response));
      state.emptyText = '';
      render();
      return;
    }
    const engineer = await response.json();
    $('engineer-name').textContent = engineer.name;
    $('engineer-region').textContent = engineer.region;
    $('engineer-skills').textContent = engineer.skills.map(applianceName).join(', ');
    $('engineer-inactive').hidden = engineer.active !== false;
    $('engineer-card').hidden = false;
    state.emptyText = 'No assignments yet. New offers appear here as they are made.';
    follow(engineer.id);
  }

  // --- the live stream (Server-Sent Events, read with fetch: EventSource cannot send a token) ---

  function follow(engineerId) {
    stream.controller?.abort();
    stream.controller = null;
    clearTimeout(stream.timer);
    stream.engineerId = engineerId;
    stream.lastEventId = null;
    stream.listed = false;
    stream.delayMs = RECONNECT_MIN_MS;
    state.assignments.clear();
    render();
    if (engineerId) connect();
  }

  async function connect() {
    clearTimeout(stream.timer);
    const engineerId = stream.engineerId;
    const controller = new AbortController();
    stream.controller = controller;
    setConnection('connecting', stream.lastEventId == null ? 'Connecting…' : 'Reconnecting…');
    let trouble = '';
    try {
      const headers = { Accept: 'text/event-stream' };
      if (stream.lastEventId != null) headers['Last-Event-ID'] = stream.lastEventId;
      const response = await api('/engineers/' + encodeURIComponent(engineerId) + '/assignments/stream', {
        headers, cache: 'no-store', signal: controller.signal,
      });
      if (controller !== stream.controller) return;
      if (response.status === 404) {
        // the record linked to this account is gone
        showError('session-error', 'Your engineer record is no longer there: ' + await problemText(response));
        setConnection('offline', 'Not connected');
        return;
      }
      if (!response.ok) {
        trouble = await problemText(response);
      } else {
        await readEvents(response.body, controller, event => handle(event, engineerId));
      }
    } catch (e) {
      if (e instanceof SessionEnded) return;
    }
    if (controller !== stream.controller) return;
    const pause = Math.max(stream.delayMs, stream.retryMs || 0);
    stream.delayMs = Math.min(stream.delayMs * 2, RECONNECT_MAX_MS);
    setConnection('offline', 'Disconnected' + (trouble ? ' (' + trouble + ')' : '') + ': trying again…');
    // a little spread, so that many consoles cut off at once do not all come back at once
    stream.timer = setTimeout(connect, pause * (0.8 + Math.random() * 0.4));
  }

  /**
   * Reads a text/event-stream body, as EventSource would: lines ending in CRLF, LF or CR; fields
   * event, data (lines joined by LF), id, retry; comment lines (":") only show the stream is alive.
   * Each event is dispatched at its blank line; its id becomes the one to resume after once the
   * event is handled. Ends when the body does, or when the stream stays silent too long.
   */
  async function readEvents(body, controller, dispatch) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let silence;
    const alive = () => {
      clearTimeout(silence);
      silence = setTimeout(() => controller.abort(), SILENCE_MS);
    };
    let buffer = '';
    let type = '';
    let data = [];
    let id = stream.lastEventId;
    alive();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        alive();
        buffer += value;
        // a CR at the very end may be the first half of a CRLF: it waits for the next chunk
        const eol = /\r\n|\n|\r(?=[^\n])/g;
        let start = 0;
        for (let match = eol.exec(buffer); match; match = eol.exec(buffer)) {
          const line = buffer.slice(start, match.index);
          start = match.index + match[0].length;
          if (line === '') {
            if (data.length) dispatch({ type: type || 'message', data: data.join('\n'), id });
            if (controller !== stream.controller) return;
            stream.lastEventId = id;
            type = '';
            data = [];
            continue;
          }
          if (line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          let text = colon < 0 ? '' : line.slice(colon + 1);
          if (text.startsWith(' ')) text = text.slice(1);
          if (field === 'event') type = text;
          else if (field === 'data') data.push(text);
          else if (field === 'id' && !text.includes('\0')) id = text;
          else if (field === 'retry' && /^\d+$/.test(text)) stream.retryMs = Number(text);
        }
        buffer = buffer.slice(start);
      }
    } finally {
      clearTimeout(silence);
      reader.cancel().catch(() => {});
    }
  }

  function handle(event, engineerId) {
    if (event.type === 'stream-opened') {
      setConnection('live', 'Live');
      stream.delayMs = RECONNECT_MIN_MS;
      if (!stream.listed) {
        // the list once, when the first stream is open: nothing changed after it is missed, and
        // every later reconnection resumes the stream where it was
        stream.listed = true;
        loadAssignments(engineerId);
      }
      return;
    }
    if (!ASSIGNMENT_EVENTS.has(event.type)) return;
    let assignment;
    try {
      assignment = JSON.parse(event.data);
    } catch (e) {
      // one unreadable event must not stop the stream (nor be asked for again on every reconnection)
      console.error('Unreadable ' + event.type + ' event ' + event.id + ': ' + e.message);
      return;
    }
    if (state.touchedWhileLoading) state.touchedWhileLoading.add(assignment.id);
    upsert(assignment);
    if (event.type === 'assignment-offered') {
      announce('New offer: ' + applianceName(assignment.applianceType) + ' at ' + assignment.address);
    } else if (event.type === 'assignment-withdrawn' || event.type === 'assignment-expired') {
      announce(applianceName(assignment.applianceType) + ' at ' + assignment.address + ': '
        + assignment.status.toLowerCase());
    }
  }

  async function loadAssignments(engineerId) {
    state.touchedWhileLoading = new Set();
    try {
      const response = await api('/engineers/' + encodeURIComponent(engineerId) + '/assignments?size=50');
      if (!response.ok) {
        showError('action-error', 'Cannot load your assignments: ' + await problemText(response));
        return;
      }
      const page = await response.json();
      if (engineerId !== stream.engineerId) return;
      for (const assignment of page.items) {
        if (!state.touchedWhileLoading.has(assignment.id)) {
          state.assignments.set(assignment.id, assignment);
        }
      }
      render();
    } catch (e) {
      if (!(e instanceof SessionEnded)) showError('action-error', 'Cannot load your assignments: the service cannot be reached.');
    } finally {
      state.touchedWhileLoading = null;
    }
  }

  // --- assignments ---

  function upsert(assignment) {
    if (assignment.engineerId !== stream.engineerId) return;
    state.assignments.set(assignment.id, assignment);
    render();
  }

  /** The engineer's answer: no body, the service knows the engineer by the token. */
  async function act(assignment, action, button) {
    showError('action-error', '');
    const buttons = button.closest('.actions').querySelectorAll('button');
    buttons.forEach(b => { b.disabled = true; });
    try {
      const response = await api('/assignments/' + encodeURIComponent(assignment.id) + '/' + action, { method: 'POST' });
      if (response.ok) {
        upsert(await response.json());
        return;
      }
      showError('action-error', 'Could not ' + action + ': ' + await problemText(response));
    } catch (e) {
      if (e instanceof SessionEnded) return;
      showError('action-error', 'Could not ' + action + ': the service cannot be reached.');
    }
    buttons.forEach(b => { b.disabled = false; });
    render();
  }

  function sorted() {
    return [...state.assignments.values()].sort((a, b) =>
      (OPEN.has(b.status) - OPEN.has(a.status)) || b.offeredAt.localeCompare(a.offeredAt));
  }

  function render() {
    const list = $('assignments');
    const template = $('assignment-template');
    const existing = new Map([...list.children].map(li => [li.dataset.assignmentId, li]));
    const items = sorted();
    $('empty').hidden = items.length > 0 || !state.emptyText;
    $('empty').textContent = state.emptyText;
    items.forEach((assignment, index) => {
      let li = existing.get(assignment.id);
      if (!li) {
        li = template.content.firstElementChild.cloneNode(true);
        li.dataset.assignmentId = assignment.id;
        li.classList.add('arrived');
        li.querySelectorAll('button[data-action]').forEach(button => button.addEventListener('click',
          () => act(state.assignments.get(li.dataset.assignmentId), button.dataset.action, button)));
      }
      fill(li, assignment);
      existing.delete(assignment.id);
      if (list.children[index] !== li) list.insertBefore(li, list.children[index] || null);
    });
    existing.forEach(li => li.remove());
    tick();
  }

  function fill(li, a) {
    const what = applianceName(a.applianceType) + ' at ' + a.address;
    li.dataset.status = a.status;
    li.dataset.callId = a.callId;
    li.querySelector('.appliance').textContent = applianceName(a.applianceType);
    const status = li.querySelector('.status');
    status.textContent = a.status.charAt(0) + a.status.slice(1).toLowerCase();
    status.dataset.status = a.status;
    li.querySelector('.address').textContent = a.address;
    li.querySelector('.region').textContent = a.region;
    li.querySelector('.call-id').textContent = a.callId;
    setTime(li.querySelector('.offered-at'), a.offeredAt);
    setTime(li.querySelector('.expires-at'), a.expiresAt);
    setTime(li.querySelector('.responded-at'), a.respondedAt);
    setTime(li.querySelector('.completed-at'), a.completedAt);
    li.querySelector('.deadline').hidden = a.status !== 'OFFERED';
    li.querySelector('.when-responded').hidden = !a.respondedAt;
    li.querySelector('.when-completed').hidden = !a.completedAt;
    for (const button of li.querySelectorAll('button[data-action]')) {
      const action = button.dataset.action;
      const shown = (a.status === 'OFFERED' && (action === 'accept' || action === 'reject'))
        || (a.status === 'ACCEPTED' && action === 'complete');
      button.hidden = !shown;
      button.disabled = !shown;
      button.setAttribute('aria-label', button.textContent + ': ' + what);
    }
  }

  function setTime(el, iso) {
    el.dateTime = iso || '';
    el.textContent = timeText(iso);
  }

  // the countdowns of open offers, all from one timer
  function tick() {
    const now = Date.now();
    for (const li of $('assignments').children) {
      if (li.dataset.status !== 'OFFERED') continue;
      const left = Math.round((Date.parse(li.querySelector('.expires-at').dateTime) - now) / 1000);
      li.querySelector('.countdown').textContent = left > 0
        ? '(' + Math.floor(left / 60) + ':' + String(left % 60).padStart(2, '0') + ' left)'
        : '(time is up)';
    }
  }

  async function start() {
    try {
      const config = await getJson('/console/config');
      auth.clientId = config.clientId;
      auth.provider = await getJson(config.issuer.replace(/\/+$/, '') + '/.well-known/openid-configuration');
    } catch (e) {
      showOnly(null);
      showError('session-error', 'The login service cannot be reached (' + e.message + '): reload the page to try again.');
      return;
    }
    const answer = new URLSearchParams(location.hash.slice(1));
    if (answer.has('state') || answer.has('error')) {
      try {
        await finishLogin(answer);
      } catch (e) {
        showSignedOut();
        showError('session-error', e.message);
        return;
      }
    } else {
      auth.tokens = storedTokens();
      scheduleRefresh();
    }
    if (auth.tokens) {
      await showEngineer();
    } else {
      showSignedOut();
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('login').addEventListener('click', login);
    $('logout').addEventListener('click', logout);
    setInterval(tick, 1000);
    start();
  });
})();
