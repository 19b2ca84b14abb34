// A conversation, live: the page works without this script (a form and a refresh link); with
// it, messages come and go over the WebSocket described in docs/chat-protocol.md. The client
// keeps the last message id it has and sends it on every (re)connect, so nothing is missed or
// shown twice. A video call uses WebRTC with its signalling over the same socket.
(() => {
  'use strict';
  const root = document.getElementById('chat');
  if (!root || !('WebSocket' in window)) return;
  const list = root.querySelector('ol.chat-messages');
  const statusLine = document.getElementById('chat-status');
  const typingLine = document.getElementById('chat-typing');
  const form = root.querySelector('form.chat-send');
  const text = form ? form.querySelector('textarea[name="body"]') : null;
  const seen = new Set([...list.querySelectorAll('li[data-id]')].map((li) => Number(li.dataset.id)));
  let last = Number(root.dataset.last || 0);
  let socket = null;
  let retry = 500;
  let typingTimer = null;
  let lastTyping = 0;
  // For tests and curious developers: the connection's state.
  const state = { connected: false, last: () => last, call: 'idle', remoteTracks: 0 };
  window.leerpadChat = state;

  function send(frame) {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(frame));
      return true;
    }
    return false;
  }

  function key() {
    return (window.crypto && crypto.randomUUID) ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
  }

  function show(m) {
    if (seen.has(m.id)) return;
    seen.add(m.id);
    last = Math.max(last, m.id);
    const li = document.createElement('li');
    li.id = `m${m.id}`;
    li.dataset.id = String(m.id);
    li.className = `chat-message ${m.system ? 'system' : (m.mine ? 'mine' : 'theirs')}`;
    const meta = document.createElement('p');
    meta.className = 'chat-meta';
    const who = document.createElement('strong');
    who.textContent = m.who;
    const time = document.createElement('time');
    time.dateTime = m.at;
    time.textContent = m.time;
    meta.append(who, ' · ', time);
    const body = document.createElement('p');
    body.className = 'chat-body';
    body.textContent = m.body;
    li.append(meta, body);
    list.append(li);
    li.scrollIntoView({ block: 'nearest' });
    if (!m.mine && document.visibilityState === 'visible') send({ type: 'read', up_to: m.id });
  }

  function markRead(upTo) {
    for (const li of list.querySelectorAll('li.mine')) {
      if (Number(li.dataset.id) <= upTo && !li.querySelector('.chat-read')) {
        const mark = document.createElement('span');
        mark.className = 'chat-read';
        mark.textContent = root.dataset.read;
        li.querySelector('.chat-meta').append(' · ', mark);
      }
    }
  }

  function connect() {
    const url = new URL(root.dataset.ws, window.location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    socket = new WebSocket(url);
    socket.addEventListener('open', () => {
      retry = 500;
      state.connected = true;
      send({ type: 'resume', after: last });
    });
    socket.addEventListener('message', (event) => {
      let frame;
      try { frame = JSON.parse(event.data); } catch { return; }
      switch (frame.type) {
        case 'message': show(frame); break;
        case 'status': statusLine.textContent = frame.text; root.dataset.status = frame.status; break;
        case 'typing':
          typingLine.textContent = frame.text;
          clearTimeout(typingTimer);
          typingTimer = setTimeout(() => { typingLine.textContent = ''; }, 3000);
          break;
        case 'read': markRead(frame.up_to); break;
        case 'rtc': video.signal(frame.data); break;
        case 'error': typingLine.textContent = frame.message; break;
        default: break;
      }
    });
    socket.addEventListener('close', () => {
      state.connected = false;
      if (statusLine) typingLine.textContent = root.dataset.offline;
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 10000);
    });
  }

  if (form && text) {
    form.addEventListener('submit', (event) => {
      const body = text.value.trim();
      if (!body) return;
      // Without a connection the form is sent the ordinary way.
      if (send({ type: 'send', body, key: key() })) {
        event.preventDefault();
        text.value = '';
      }
    });
    text.addEventListener('input', () => {
      const now = Date.now();
      if (now - lastTyping > 2000) {
        lastTyping = now;
        send({ type: 'typing' });
      }
    });
  }

  // Video: one call between the two participants. Whoever starts sends an offer; the other
  // answers when they press "Opnemen" (or at once when they started too).
  const video = (() => {
    const controls = root.querySelector('.video-controls');
    if (!controls || !('RTCPeerConnection' in window)) return { signal() {} };
    controls.hidden = false;
    const startButton = document.getElementById('video-start');
    const answerButton = document.getElementById('video-answer');
    const stopButton = document.getElementById('video-stop');
    const line = document.getElementById('video-state');
    const local = document.getElementById('video-local');
    const remote = document.getElementById('video-remote');
    let iceServers = [];
    try { iceServers = JSON.parse(root.dataset.ice || '[]').map((u) => ({ urls: u })); } catch { iceServers = []; }
    let pc = null;
    let pendingOffer = null;
    const early = [];

    function setState(s) {
      state.call = s;
      root.dataset.call = s;
      if (s === 'connected') line.textContent = root.dataset.connected;
    }

    async function media() {
      const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
      local.srcObject = stream;
      return stream;
    }

    async function peer() {
      pc = new RTCPeerConnection({ iceServers });
      pc.addEventListener('icecandidate', (e) => {
        if (e.candidate) send({ type: 'rtc', data: JSON.stringify({ kind: 'ice', candidate: e.candidate }) });
      });
      pc.addEventListener('track', (e) => {
        state.remoteTracks += 1;
        remote.srcObject = e.streams[0];
      });
      pc.addEventListener('connectionstatechange', () => setState(pc.connectionState));
      const stream = await media();
      for (const track of stream.getTracks()) pc.addTrack(track, stream);
      stopButton.hidden = false;
      return pc;
    }

    async function start() {
      startButton.disabled = true;
      await peer();
      const offer = await pc.createOffer();
      await pc.setLocalDescription(offer);
      send({ type: 'rtc', data: JSON.stringify({ kind: 'offer', sdp: pc.localDescription }) });
      setState('calling');
    }

    async function answer() {
      answerButton.hidden = true;
      if (!pc) await peer();
      await pc.setRemoteDescription(pendingOffer);
      for (const c of early.splice(0)) await pc.addIceCandidate(c);
      const reply = await pc.createAnswer();
      await pc.setLocalDescription(reply);
      send({ type: 'rtc', data: JSON.stringify({ kind: 'answer', sdp: pc.localDescription }) });
    }

    function stop(tell) {
      if (tell) send({ type: 'rtc', data: JSON.stringify({ kind: 'bye' }) });
      if (pc) pc.close();
      pc = null;
      if (local.srcObject) for (const t of local.srcObject.getTracks()) t.stop();
      local.srcObject = null;
      remote.srcObject = null;
      startButton.disabled = false;
      stopButton.hidden = true;
      setState('idle');
    }

    startButton.addEventListener('click', () => start().catch((e) => { line.textContent = String(e); }));
    answerButton.addEventListener('click', () => answer().catch((e) => { line.textContent = String(e); }));
    stopButton.addEventListener('click', () => stop(true));

    return {
      async signal(data) {
        let m;
        try { m = JSON.parse(data); } catch { return; }
        if (m.kind === 'offer') {
          pendingOffer = m.sdp;
          line.textContent = root.dataset.incoming;
          answerButton.hidden = false;
          setState('ringing');
        } else if (m.kind === 'answer' && pc) {
          await pc.setRemoteDescription(m.sdp);
          for (const c of early.splice(0)) await pc.addIceCandidate(c);
        } else if (m.kind === 'ice') {
          if (pc && pc.remoteDescription) await pc.addIceCandidate(m.candidate);
          else early.push(m.candidate);
        } else if (m.kind === 'bye') {
          stop(false);
        }
      },
    };
  })();

  connect();
})();
