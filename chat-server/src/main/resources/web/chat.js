// The chat page: one WebSocket to /ws, one text message per line each way (the server's line protocol).
// Every line is shown with textContent, never parsed as HTML. No framework, no build step.
'use strict';

(() => {
  const MAX_SHOWN_LINES = 2000;   // older lines leave the page, so memory stays bounded
  const MAX_RECALLED = 100;       // lines the Up arrow can bring back
  const REFRESH_DELAY_MS = 400;   // arrivals in a burst cause one refresh, not one each
  // Refresh the panel by itself only while the user is active: its /who and /rooms count as lines
  // sent, and a page that sends lines on its own would keep an idle user from timing out.
  const AUTO_REFRESH_ACTIVE_MS = 60000;
  const RETRY_FIRST_MS = 1000;
  const RETRY_MAX_MS = 30000;

  const $ = (id) => document.getElementById(id);
  const log = $('log');
  const lines = $('lines');
  const jump = $('jump');
  const form = $('send');
  const input = $('input');
  const inputLabel = $('input-label');
  const status = $('status');
  const statusText = $('status-text');
  const reconnectButton = $('reconnect');
  const roomTitle = $('room-title');
  const roomsList = $('rooms');
  const roomsNote = $('rooms-note');
  const whoList = $('who');
  const whoCount = $('who-count');
  const panelToggle = $('panel-toggle');
  const refreshButton = $('refresh');

  const state = {
    socket: null,
    retries: 0,
    retryTimer: null,
    stopped: false,        // the server said quit, idle or no name: wait for the user to reconnect
    name: null,            // our name while joined
    rejoinName: null,      // the name to give again after a reconnect
    nameSentAgain: false,  // given again on this connection already (if it was taken, ask)
    joined: false,
    room: '#lobby',
    rejoinRoom: null,
    pending: [],           // our /who and /rooms not yet answered, in order: {kind, auto}
    roomsKnown: true,      // false once the server says it has no /rooms
    lastTyped: 0,
    refreshTimer: null,
    who: [],
    whoTotal: 0,
    rooms: [],
    recalled: [],
    recallIndex: 0,
    draft: '',
  };

  // ---- The connection -------------------------------------------------------------------------

  function connect() {
    clearTimeout(state.retryTimer);
    state.retryTimer = null;
    state.stopped = false;
    const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    setStatus('connecting', 'Connecting…');
    let socket;
    try {
      socket = new WebSocket(scheme + location.host + '/ws');
    } catch (e) {
      retryLater();
      return;
    }
    state.socket = socket;
    state.nameSentAgain = false;
    state.pending = [];
    socket.onopen = () => {
      state.retries = 0;
      setStatus('connected', 'Connected');
    };
    socket.onmessage = (event) => {
      if (typeof event.data === 'string') {
        event.data.split('\n').forEach(receive);
      }
    };
    socket.onclose = () => {
      if (state.socket !== socket) {
        return;
      }
      state.socket = null;
      if (state.joined && state.room !== '#lobby') {
        state.rejoinRoom = state.room;
      }
      state.joined = false;
      state.name = null;
      state.pending = [];
      if (state.stopped) {
        setStatus('disconnected', 'Disconnected. Press Enter or Reconnect to join again.');
      } else {
        retryLater();
      }
    };
  }

  // Exponential backoff with jitter: 1 s, 2 s, 4 s ... 30 s.
  function retryLater() {
    const delay = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** state.retries) * (0.75 + Math.random() * 0.5);
    state.retries = Math.min(state.retries + 1, 10);
    setStatus('reconnecting', 'Connection lost; reconnecting in ' + Math.max(1, Math.round(delay / 1000)) + ' s…');
    state.retryTimer = setTimeout(connect, delay);
  }

  function isOpen() {
    return state.socket !== null && state.socket.readyState === WebSocket.OPEN;
  }

  function setStatus(kind, text) {
    status.dataset.state = kind;
    statusText.textContent = text;
    reconnectButton.hidden = kind === 'connected' || kind === 'connecting';
  }

  function send(line, auto) {
    if (!isOpen()) {
      return false;
    }
    if (/^\/who(\s|$)/.test(line)) {
      state.pending.push({ kind: 'who', auto });
    } else if (/^\/rooms$/.test(line)) {
      state.pending.push({ kind: 'rooms', auto });
    }
    state.socket.send(line);
    return true;
  }

  // The answer to our oldest /who or /rooms; an older one of the other kind went unanswered (dropped).
  function answered(kind) {
    const i = state.pending.findIndex((p) => p.kind === kind);
    return i < 0 ? null : state.pending.splice(0, i + 1)[i];
  }

  // ---- Lines from the server ------------------------------------------------------------------

  function receive(line) {
    let m;
    if (line === 'Enter your name:') {
      state.joined = false;
      setPrompt(false);
      if (state.rejoinName && !state.nameSentAgain) {
        state.nameSentAgain = true;   // after a reconnect, the same name again
        show(line, 'notice');
        send(state.rejoinName, true);
        return;
      }
      show(line, 'notice');
      input.focus();
      return;
    }
    if ((m = /^You are in (#\S+)$/.exec(line))) {
      state.room = m[1];
      state.rejoinRoom = null;
      showRoom();
      show(line, 'notice');
      refreshSoon(true);
      return;
    }
    if ((m = /^You are (\S+)$/.exec(line))) {
      joined(m[1]);
      show(line, 'notice');
      return;
    }
    if ((m = /^Also here: (.*)$/.exec(line))) {
      setWho(parseNames(m[1] === 'nobody' ? '' : m[1]), true);
      show(line, 'notice');
      return;
    }
    if ((m = /^Here now \((\d+)\): (.*)$/.exec(line))) {
      const request = answered('who');
      setWho(parseNames(m[2]), false, Number(m[1]));
      if (!(request && request.auto)) {
        show(line, 'notice');
      }
      return;
    }
    if ((m = /^Rooms \((\d+)\): (.*)$/.exec(line))) {
      const request = answered('rooms');
      setRooms(m[2]);
      if (!(request && request.auto)) {
        show(line, 'notice');
      }
      return;
    }
    if (line.startsWith('Error: unknown command /rooms')) {
      const request = answered('rooms');
      state.roomsKnown = false;
      renderRooms();
      if (!(request && request.auto)) {
        show(line, 'error');
      }
      return;
    }
    if ((m = /^([^\s:*]+) has arrived$/.exec(line))) {
      addWho(m[1]);
      show(line, 'notice');
      refreshSoon(false);
      return;
    }
    if ((m = /^([^\s:*]+) has left$/.exec(line))) {
      removeWho(m[1]);
      show(line, 'notice');
      refreshSoon(false);
      return;
    }
    if ((m = /^([^\s:*]+) is now known as (\S+)$/.exec(line))) {
      renamed(m[1], m[2]);
      show(line, 'notice');
      refreshSoon(m[1] === state.name);
      return;
    }
    if (/^Disconnected: (quit|idle for |no name given)/.test(line)) {
      state.stopped = true;   // the server meant it: no automatic reconnect
      state.rejoinName = /^Disconnected: quit/.test(line) ? null : state.rejoinName;
      show(line, 'error');
      return;
    }
    show(line, kindOf(line));
  }

  function kindOf(line) {
    if (/^Error: /.test(line) || /^Disconnected: /.test(line)) {
      return 'error';
    }
    if (/^to [^\s:*]+ \(private\): /.test(line) || /^[^\s:*]+ \(private\): /.test(line)) {
      return 'private';
    }
    if (state.name && line.startsWith(state.name + ': ')) {
      return 'own';
    }
    if (line.startsWith('* ')) {
      return 'action';
    }
    if (/^\[\d\d:\d\d\] /.test(line) || /^Recent messages \(\d+\):$/.test(line)) {
      return 'history';
    }
    if (/^(Slow down: |Dropped \d+ messages)/.test(line)) {
      return 'notice';
    }
    return 'chat';
  }

  function joined(name) {
    state.name = name;
    state.rejoinName = name;
    state.joined = true;
    state.room = '#lobby';
    showRoom();
    setPrompt(true);
    if (state.rejoinRoom) {
      send('/join ' + state.rejoinRoom, true);   // back to the room the connection was in
    }
    refreshSoon(true);
  }

  function renamed(from, to) {
    state.who = state.who.map((n) => (n === from ? to : n));
    if (from === state.name) {
      state.name = to;
      state.rejoinName = to;
    }
    renderWho();
  }

  // ---- The conversation -----------------------------------------------------------------------

  function nearBottom() {
    return log.scrollHeight - log.scrollTop - log.clientHeight < 40;
  }

  function show(text, kind) {
    const follow = nearBottom();
    const item = document.createElement('li');
    item.className = 'line ' + kind;
    item.textContent = text;
    lines.appendChild(item);
    while (lines.childElementCount > MAX_SHOWN_LINES) {
      lines.firstElementChild.remove();
    }
    if (follow) {
      log.scrollTop = log.scrollHeight;   // follow the conversation while the user is at its end
    } else {
      jump.hidden = false;                 // the user scrolled up to read: leave them there
    }
  }

  log.addEventListener('scroll', () => {
    if (nearBottom()) {
      jump.hidden = true;
    }
  });

  jump.addEventListener('click', () => {
    log.scrollTop = log.scrollHeight;
    jump.hidden = true;
    input.focus();
  });

  // ---- The side panel: rooms and who is here ----------------------------------------------------

  function refreshSoon(ownAction) {
    if (!state.joined || (!ownAction && Date.now() - state.lastTyped > AUTO_REFRESH_ACTIVE_MS)) {
      return;
    }
    clearTimeout(state.refreshTimer);
    state.refreshTimer = setTimeout(refresh, REFRESH_DELAY_MS);
  }

  function refresh() {
    if (!state.joined) {
      return;
    }
    send('/who', true);
    if (state.roomsKnown) {
      send('/rooms', true);
    }
  }

  // "A, B, C" or "A, B and 4 more": names never hold spaces or commas.
  function parseNames(text) {
    const more = /^(.*) and (\d+) more$/.exec(text);
    const list = more ? more[1] : text;
    return { names: list ? list.split(', ') : [], more: more ? Number(more[2]) : 0 };
  }

  function setWho(parsed, othersOnly, total) {
    state.who = othersOnly && state.name ? [state.name, ...parsed.names] : parsed.names;
    state.whoTotal = total !== undefined ? total : state.who.length + parsed.more;
    renderWho();
  }

  function addWho(name) {
    if (!state.who.includes(name)) {
      state.who.push(name);
      state.whoTotal += 1;
    }
    renderWho();
  }

  function removeWho(name) {
    if (state.who.includes(name)) {
      state.who = state.who.filter((n) => n !== name);
      state.whoTotal = Math.max(state.who.length, state.whoTotal - 1);
    }
    renderWho();
  }

  function renderWho() {
    const names = [...state.who].sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base' }));
    whoList.replaceChildren(...names.map((name) => {
      const item = document.createElement('li');
      item.textContent = name === state.name ? name + ' (you)' : name;
      if (name === state.name) {
        item.className = 'me';
      }
      return item;
    }));
    const more = state.whoTotal - names.length;
    if (more > 0) {
      const item = document.createElement('li');
      item.className = 'more';
      item.textContent = 'and ' + more + ' more';
      whoList.appendChild(item);
    }
    whoCount.textContent = state.joined ? '(' + Math.max(state.whoTotal, names.length) + ')' : '';
  }

  // "#dev (2), #lobby (5)"
  function setRooms(text) {
    state.roomsKnown = true;
    state.rooms = text.split(', ').map((entry) => /^(#\S+) \((\d+)\)$/.exec(entry))
      .filter((m) => m !== null)
      .map((m) => ({ name: m[1], count: Number(m[2]) }));
    renderRooms();
  }

  function renderRooms() {
    roomsNote.hidden = state.roomsKnown;
    roomsNote.textContent = state.roomsKnown ? '' : 'Rooms are not available on this server.';
    const rooms = state.rooms.length ? state.rooms : [{ name: state.room, count: null }];
    roomsList.replaceChildren(...rooms.map((room) => {
      const item = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.room = room.name;
      button.textContent = room.count === null ? room.name : room.name + ' (' + room.count + ')';
      if (room.name.toLowerCase() === state.room.toLowerCase()) {
        button.setAttribute('aria-current', 'true');
      } else {
        button.title = 'Join ' + room.name;
      }
      item.appendChild(button);
      return item;
    }));
  }

  roomsList.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-room]');
    if (!button || button.getAttribute('aria-current') === 'true' || !state.joined) {
      return;
    }
    state.lastTyped = Date.now();
    send('/join ' + button.dataset.room, false);
    closePanelOnPhone();
  });

  refreshButton.addEventListener('click', () => {
    refresh();
  });

  function showRoom() {
    roomTitle.textContent = state.joined ? state.room : '';
    document.title = state.joined ? 'Chat ' + state.room : 'Chat';
    input.placeholder = state.joined ? 'Message ' + state.room : 'Your name';
    renderRooms();
    renderWho();
  }

  panelToggle.addEventListener('click', () => {
    const open = document.body.classList.toggle('panel-open');
    panelToggle.setAttribute('aria-expanded', String(open));
  });

  function closePanelOnPhone() {
    document.body.classList.remove('panel-open');
    panelToggle.setAttribute('aria-expanded', 'false');
  }

  // ---- The input line ---------------------------------------------------------------------------

  function setPrompt(chatting) {
    inputLabel.textContent = chatting ? 'Message' : 'Your name';
    input.placeholder = chatting ? 'Message ' + state.room : 'Your name';
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const line = input.value;
    if (line.trim() === '') {
      return;
    }
    if (!isOpen()) {
      if (state.socket === null) {
        connect();   // Enter after a disconnect: connect now; the line stays in the box
      }
      return;
    }
    state.lastTyped = Date.now();
    send(line, false);
    if (state.joined) {
      remember(line);
    }
    input.value = '';
  });

  function remember(line) {
    if (state.recalled[state.recalled.length - 1] !== line) {
      state.recalled.push(line);
      if (state.recalled.length > MAX_RECALLED) {
        state.recalled.shift();
      }
    }
    state.recallIndex = state.recalled.length;
    state.draft = '';
  }

  // Up and Down walk through the lines sent before, as in a shell.
  input.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowUp' && state.recallIndex > 0) {
      if (state.recallIndex === state.recalled.length) {
        state.draft = input.value;
      }
      state.recallIndex -= 1;
      input.value = state.recalled[state.recallIndex];
      event.preventDefault();
    } else if (event.key === 'ArrowDown' && state.recallIndex < state.recalled.length) {
      state.recallIndex += 1;
      input.value = state.recallIndex === state.recalled.length ? state.draft : state.recalled[state.recallIndex];
      event.preventDefault();
    }
  });

  reconnectButton.addEventListener('click', () => {
    state.retries = 0;
    if (state.socket === null) {
      connect();
    }
    input.focus();
  });

  renderRooms();
  renderWho();
  connect();
})();
