// The engineer console: choose an engineer, see their offers arrive live (Server-Sent Events from
// GET /engineers/{id}/assignments/stream), accept, reject, complete. Plain browser JavaScript, no
// build step; every text from the server is set as text, never as HTML.
'use strict';

(() => {
  const APPLIANCES = ['WASHER', 'DRYER', 'REFRIGERATOR', 'AIR_CONDITIONER', 'TV', 'DISHWASHER', 'MICROWAVE', 'OVEN', 'AIR_PURIFIER'];
  const ASSIGNMENT_EVENTS = ['offered', 'accepted', 'rejected', 'expired', 'withdrawn', 'completed'].map(s => 'assignment-' + s);
  const OPEN = new Set(['OFFERED', 'ACCEPTED']);
  // when the browser gives up on a stream (the service answered an error), try again after this
  const RECONNECT_MS = 3000;

  const $ = id => document.getElementById(id);
  const state = {
    engineerId: null,
    source: null,
    lastEventId: null,
    reconnectTimer: null,
    assignments: new Map(),
    // ids changed by an event while the list was loading: the event is newer than the list
    touchedWhileLoading: null,
  };

  const applianceName = type => type.charAt(0) + type.slice(1).toLowerCase().replace(/_/g, ' ');
  const timeText = iso => iso ? new Date(iso).toLocaleString() : '';

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

  async function problemText(response) {
    try {
      const problem = await response.json();
      return problem.detail || problem.title || ('HTTP ' + response.status);
    } catch (e) {
      return 'HTTP ' + response.status;
    }
  }

  // --- engineers ---

  async function loadEngineers(selectId) {
    const region = $('region-filter').value.trim();
    const response = await fetch('/engineers?size=100' + (region ? '&region=' + encodeURIComponent(region) : ''));
    if (!response.ok) {
      showError('action-error', 'Cannot list the engineers: ' + await problemText(response));
      return;
    }
    const page = await response.json();
    const select = $('engineer');
    select.replaceChildren(new Option(page.items.length ? 'Choose an engineer…' : 'No engineer here', ''));
    for (const engineer of page.items) {
      select.add(engineerOption(engineer));
    }
    if (page.total > page.items.length) {
      const more = new Option('… ' + (page.total - page.items.length) + ' more: choose a region', '');
      more.disabled = true;
      select.add(more);
    }
    const wanted = selectId || new URLSearchParams(location.hash.slice(1)).get('engineer');
    if (wanted && ![...select.options].some(o => o.value === wanted)) {
      // the engineer of the link, or just registered, though not among those listed
      const one = await fetch('/engineers/' + encodeURIComponent(wanted));
      if (one.ok) select.add(engineerOption(await one.json()));
    }
    if (wanted && [...select.options].some(o => o.value === wanted)) {
      select.value = wanted;
      choose(wanted);
    } else if (state.engineerId && [...select.options].some(o => o.value === state.engineerId)) {
      select.value = state.engineerId;
    }
  }

  function engineerOption(engineer) {
    const option = new Option(engineer.name + ' (' + engineer.region + ')', engineer.id);
    option.dataset.skills = engineer.skills.map(applianceName).join(', ');
    option.dataset.active = engineer.active;
    return option;
  }

  function choose(engineerId) {
    const option = $('engineer').selectedOptions[0];
    $('engineer-details').textContent = engineerId && option
      ? 'Repairs: ' + option.dataset.skills + (option.dataset.active === 'false' ? ' · inactive: offered no new calls' : '')
      : '';
    history.replaceState(null, '', engineerId ? '#engineer=' + engineerId : location.pathname);
    connect(engineerId || null);
  }

  async function register(event) {
    event.preventDefault();
    showError('register-error', '');
    const form = event.target;
    const body = {
      name: form.name.value.trim(),
      region: form.region.value.trim(),
      skills: [...form.querySelectorAll('input[name=skill]:checked')].map(box => box.value),
    };
    const response = await fetch('/engineers', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
    });
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      const fields = (problem.errors || []).map(e => e.field + ' ' + e.message).join('; ');
      showError('register-error', fields || problem.detail || ('HTTP ' + response.status));
      return;
    }
    const engineer = await response.json();
    form.reset();
    $('register-panel').open = false;
    await loadEngineers(engineer.id);
  }

  // --- the live stream ---

  function connect(engineerId, resumeAfter) {
    if (state.source) {
      state.source.close();
      state.source = null;
    }
    clearTimeout(state.reconnectTimer);
    const switching = engineerId !== state.engineerId || resumeAfter == null;
    state.engineerId = engineerId;
    if (switching) {
      state.lastEventId = null;
      state.assignments.clear();
      render();
    }
    if (!engineerId) {
      setConnection('idle', 'Not connected');
      return;
    }
    setConnection('connecting', 'Connecting…');
    let url = '/engineers/' + encodeURIComponent(engineerId) + '/assignments/stream';
    if (resumeAfter != null) {
      // EventSource cannot set Last-Event-ID on a connection of its own making
      url += '?lastEventId=' + encodeURIComponent(resumeAfter);
    }
    const source = new EventSource(url);
    state.source = source;

    source.addEventListener('stream-opened', event => {
      if (source !== state.source) return;
      setConnection('live', 'Live');
      const fresh = state.lastEventId == null;
      state.lastEventId = event.lastEventId;
      if (fresh) {
        loadAssignments(engineerId);
      }
    });
    for (const name of ASSIGNMENT_EVENTS) {
      source.addEventListener(name, event => {
        if (source !== state.source) return;
        state.lastEventId = event.lastEventId;
        const assignment = JSON.parse(event.data);
        if (state.touchedWhileLoading) state.touchedWhileLoading.add(assignment.id);
        upsert(assignment);
        if (name === 'assignment-offered') {
          announce('New offer: ' + applianceName(assignment.applianceType) + ' at ' + assignment.address);
        } else if (name === 'assignment-withdrawn' || name === 'assignment-expired') {
          announce(applianceName(assignment.applianceType) + ' at ' + assignment.address + ': ' + assignment.status.toLowerCase());
        }
      });
    }
    source.addEventListener('error', () => {
      if (source !== state.source) return;
      if (source.readyState === EventSource.CLOSED) {
        // the browser gave up (an error answer, e.g. the service unavailable): try again, resuming
        setConnection('offline', 'Disconnected: trying again…');
        state.reconnectTimer = setTimeout(() => connect(engineerId, state.lastEventId), RECONNECT_MS);
      } else {
        // the browser reconnects by itself and sends Last-Event-ID: it is sent what it missed
        setConnection('connecting', 'Reconnecting…');
      }
    });
  }

  async function loadAssignments(engineerId) {
    state.touchedWhileLoading = new Set();
    try {
      const response = await fetch('/engineers/' + encodeURIComponent(engineerId) + '/assignments?size=50');
      if (!response.ok) {
        showError('action-error', 'Cannot load the assignments: ' + await problemText(response));
        return;
      }
      const page = await response.json();
      if (engineerId !== state.engineerId) return;
      for (const assignment of page.items) {
        if (!state.touchedWhileLoading.has(assignment.id)) {
          state.assignments.set(assignment.id, assignment);
        }
      }
      render();
    } finally {
      state.touchedWhileLoading = null;
    }
  }

  // --- assignments ---

  function upsert(assignment) {
    if (assignment.engineerId !== state.engineerId) return;
    state.assignments.set(assignment.id, assignment);
    render();
  }

  async function act(assignment, action, button) {
    showError('action-error', '');
    const buttons = button.closest('.actions').querySelectorAll('button');
    buttons.forEach(b => { b.disabled = true; });
    try {
      const response = await fetch('/assignments/' + encodeURIComponent(assignment.id) + '/' + action, {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ engineerId: state.engineerId }),
      });
      if (response.ok) {
        upsert(await response.json());
      } else {
        showError('action-error', 'Could not ' + action + ': ' + await problemText(response));
        buttons.forEach(b => { b.disabled = false; });
      }
    } catch (e) {
      showError('action-error', 'Could not ' + action + ': the service cannot be reached.');
      buttons.forEach(b => { b.disabled = false; });
    }
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
    $('empty').hidden = items.length > 0;
    if (state.engineerId && items.length === 0) {
      $('empty').textContent = 'No assignments yet. New offers appear here as they are made.';
    }
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

  document.addEventListener('DOMContentLoaded', () => {
    const skills = $('register-skills');
    for (const type of APPLIANCES) {
      const label = document.createElement('label');
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.name = 'skill';
      box.value = type;
      label.append(box, ' ' + applianceName(type));
      skills.append(label);
    }
    $('engineer').addEventListener('change', event => choose(event.target.value));
    $('find').addEventListener('submit', event => {
      event.preventDefault();
      loadEngineers();
    });
    $('register').addEventListener('submit', register);
    setInterval(tick, 1000);
    loadEngineers();
  });
})();
