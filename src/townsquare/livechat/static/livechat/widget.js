// Townsquare live chat widget: <script src="https://HOST/static/livechat/widget.js" data-townsquare-channel="ID" async></script>
// Optional host identity, set before the script loads: window.TownsquareChat = {identity, identity_signature}.
// Protocol: README "Live chat". Messages the server has not acknowledged stay in an outbox and are
// sent again with the same client_id after a reconnect (the server stores each once); messages
// are shown by id, so a replay after a dropped socket never doubles one. Text goes in by textContent only.
(() => {
  const script = document.currentScript || document.querySelector("script[data-townsquare-channel]");
  if (!script || window.__townsquareChatLoaded) return;
  window.__townsquareChatLoaded = true;
  const channel = script.dataset.townsquareChannel;
  const origin = new URL(script.src, location.href).origin;
  const api = `${origin}/livechat/${channel}`;
  const key = `townsquare.chat.${channel}`;
  const host = window.TownsquareChat || (window.TownsquareChat = {});
  const CSS = `:host{all:initial;font:14px/1.4 system-ui,sans-serif;color:#1d2330}
*{box-sizing:border-box;font:inherit}button{cursor:pointer}
.launch{position:fixed;right:20px;bottom:20px;z-index:2147483000;border:0;border-radius:24px;padding:12px 18px;background:#2457c5;color:#fff;box-shadow:0 2px 8px #0004}
.badge{margin-left:6px;background:#d3262e;border-radius:9px;padding:0 6px}
.panel{position:fixed;right:20px;bottom:76px;z-index:2147483000;width:340px;max-width:calc(100vw - 40px);height:480px;max-height:calc(100vh - 100px);display:flex;flex-direction:column;background:#fff;border-radius:10px;box-shadow:0 4px 24px #0005;overflow:hidden}
.panel[hidden],[hidden]{display:none!important}
header{display:flex;justify-content:space-between;align-items:center;padding:10px 12px;background:#2457c5;color:#fff}
header button{background:none;border:0;color:#fff;font-size:20px;line-height:1}
.status{margin:0;padding:4px 12px;background:#fff4d6;font-size:12px}.status:empty{display:none}.status.error{background:#fde2e2;color:#8a1016}
ol{list-style:none;margin:0;padding:10px;flex:1;overflow-y:auto}
li{margin:6px 0;max-width:85%;padding:6px 10px;border-radius:10px;background:#eef1f6;white-space:pre-wrap;overflow-wrap:anywhere}
li.in{margin-left:auto;background:#dbe6ff}li.pending{opacity:.6}li.failed{background:#fde2e2}
.who{display:block;font-size:11px;color:#555}.files a{display:block;color:#2457c5}
.seen,.typing{font-size:11px;color:#555;padding:0 12px;min-height:16px}
form{display:flex;flex-direction:column;gap:6px;padding:8px;border-top:1px solid #dde}
.row{display:flex;gap:6px;align-items:end}textarea,input{width:100%;border:1px solid #aab;border-radius:6px;padding:6px}
textarea{resize:none;height:52px}.row button{border:0;border-radius:6px;padding:8px 10px;background:#2457c5;color:#fff}
.attach{background:#eef1f6!important;color:#1d2330!important}label{font-size:12px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
:focus-visible{outline:2px solid #f0a020;outline-offset:2px}`;

  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
      if (name === "text") node.textContent = value;
      else node.setAttribute(name, value);
    }
    node.append(...children);
    return node;
  };
  const root = el("div", { "data-townsquare-chat": channel });
  const shadow = root.attachShadow({ mode: "open" });
  const badge = el("span", { class: "badge", hidden: "" });
  const launcher = el("button", { class: "launch", type: "button", "aria-expanded": "false", "aria-controls": "ts-panel" }, "Chat with us", badge);
  const status = el("p", { class: "status", role: "status", "aria-live": "polite" });
  const list = el("ol", { role: "log", "aria-live": "polite", "aria-label": "Messages" });
  const typing = el("div", { class: "typing", "aria-live": "polite" });
  const seen = el("div", { class: "seen", "data-testid": "seen" });
  const text = el("textarea", { id: "ts-text", maxlength: "4000" });
  const file = el("input", { id: "ts-file", type: "file", class: "sr" });
  const composer = el("form", { "aria-label": "Write a message" },
    el("label", { for: "ts-text", class: "sr", text: "Message" }),
    el("div", { class: "row" }, text,
      el("label", { for: "ts-file", class: "attach row", role: "button", tabindex: "0", title: "Attach a file", text: "📎" }), file,
      el("button", { type: "submit", text: "Send" })));
  const email = el("input", { id: "ts-email", type: "email", required: "", autocomplete: "email" });
  const name = el("input", { id: "ts-name", autocomplete: "name" });
  const note = el("textarea", { id: "ts-note", required: "", maxlength: "4000" });
  const offline = el("form", { hidden: "", "aria-label": "Leave a message" },
    el("p", { text: "We are not online right now. Leave a message and we will answer by email." }),
    el("label", { for: "ts-email", text: "Your email" }), email,
    el("label", { for: "ts-name", text: "Your name (optional)" }), name,
    el("label", { for: "ts-note", text: "Your message" }), note,
    el("div", { class: "row" }, el("button", { type: "submit", text: "Send" })));
  const close = el("button", { type: "button", "aria-label": "Close chat", text: "×" });
  const panel = el("section", { id: "ts-panel", class: "panel", role: "dialog", "aria-label": "Chat", hidden: "" },
    el("header", {}, el("strong", { text: "Chat" }), close), status, list, typing, seen, composer, offline);
  shadow.append(el("style", { text: CSS }), launcher, panel);

  const saved = (() => { try { return JSON.parse(localStorage.getItem(key)) || {}; } catch { return {}; } })();
  let token = saved.token || null;
  const outbox = new Map(saved.outbox || []); // client_id → text, until the server acknowledges it
  const shown = new Map(); // message id → <li>
  const pending = new Map(); // client_id → <li> of a message not yet acknowledged
  let limits = { max_text: 4000, max_upload_bytes: 10485760, upload_types: [] };
  let socket = null, ready = false, attempts = 0, retry = null, lastId = 0, lastFrame = 0;
  let agentsOnline = true, started = null, stopped = false, typingOn = false, typingTimer = null, unread = 0;
  let agentReadUpTo = 0, customerReadUpTo = 0;

  const save = () => { try { localStorage.setItem(key, JSON.stringify({ token, outbox: [...outbox] })); } catch {} };
  const say = (message, isError = false) => { status.textContent = message || ""; status.classList.toggle("error", isError); };
  const uuid = () => (crypto.randomUUID ? crypto.randomUUID() : ([1e7] + -1e3 + -4e3 + -8e3 + -1e11).replace(/[018]/g, (c) => (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16)));
  const reason = async (response, fallback) => {
    try { const body = await response.json(); return body.error || body.detail || body.message || fallback; } catch { return fallback; }
  };

  function openPanel() {
    panel.hidden = false; launcher.setAttribute("aria-expanded", "true");
    unread = 0; badge.hidden = true;
    (offline.hidden ? text : email).focus();
    start(); markRead();
  }
  function closePanel() { panel.hidden = true; launcher.setAttribute("aria-expanded", "false"); launcher.focus(); }
  launcher.addEventListener("click", () => (panel.hidden ? openPanel() : closePanel()));
  close.addEventListener("click", closePanel);
  panel.addEventListener("keydown", (event) => { if (event.key === "Escape") closePanel(); });
  shadow.querySelector(".attach").addEventListener("keydown", (event) => { if (event.key === "Enter" || event.key === " ") { event.preventDefault(); file.click(); } });

  // Start (or resume) the session once; a stored token that no longer works starts a new one.
  function start() {
    if (!started) started = startSession().catch(() => { started = null; say("Cannot reach the chat. Trying again…", true); schedule(); });
    return started;
  }
  async function startSession() {
    const body = { token: token || undefined, identity: host.identity, identity_signature: host.identity_signature };
    let response = await fetch(`${api}/session`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    if (!response.ok && token && response.status !== 429) {
      token = null; body.token = undefined;
      response = await fetch(`${api}/session`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    }
    if (!response.ok) {
      stopped = response.status !== 429;
      say(response.status === 429 ? "Too many chats from here; try again in a minute." : await reason(response, "Chat is not available."), true);
      if (!stopped) { started = null; setTimeout(start, 60000); }
      return;
    }
    const session = await response.json();
    token = session.token; save();
    limits = { ...limits, ...(session.limits || {}) };
    text.maxLength = note.maxLength = limits.max_text;
    setOnline(session.agents_online !== false);
    if (session.greeting && !list.querySelector(".greeting")) list.prepend(el("li", { class: "out greeting", text: session.greeting }));
    connect();
  }

  function setOnline(online) {
    agentsOnline = online;
    const showForm = !online && !shown.size && !outbox.size;
    offline.hidden = !showForm; composer.hidden = showForm;
  }

  function connect() {
    if (stopped || !token || (socket && socket.readyState < 2)) return;
    clearTimeout(retry);
    if (!panel.hidden && !ready && attempts) say("Reconnecting…");
    const url = `${origin.replace(/^http/, "ws")}/ws/livechat/${channel}/?token=${encodeURIComponent(token)}`;
    const ws = (socket = new WebSocket(url));
    ws.onopen = () => { lastFrame = Date.now(); ws.send(JSON.stringify({ type: "hello", last_id: lastId })); };
    ws.onmessage = (event) => {
      lastFrame = Date.now();
      let frame; try { frame = JSON.parse(event.data); } catch { return; }
      if (ws === socket) receive(frame);
    };
    ws.onclose = (event) => { if (ws === socket) closed(event.code); };
  }

  function closed(code) {
    socket = null; ready = false; setTyping(false);
    if (code === 4401) { token = null; save(); started = null; say("Your chat session ended; starting a new one…"); setTimeout(start, 500); return; }
    if (code === 4403 || code === 4404) { stopped = true; say("Chat is not available on this page.", true); return; }
    attempts += 1;
    if (attempts >= 3 && !shown.size) setOnline(false);
    if (!panel.hidden) say(code === 4429 ? "Too many messages at once; reconnecting shortly…" : "Connection lost. Reconnecting…", true);
    schedule(code === 4429 ? 10000 : 0);
  }
  function schedule(extra = 0) {
    clearTimeout(retry);
    const delay = Math.min(30000, 500 * 2 ** Math.min(attempts, 6)) * (0.75 + Math.random() / 2) + extra;
    retry = setTimeout(() => (token ? connect() : start()), delay);
  }

  function receive(frame) {
    switch (frame.type) {
      case "message": return show(frame);
      case "ready":
        ready = true; attempts = 0; say(""); setOnline(frame.agents_online !== false);
        for (const [clientId, body] of outbox) send(clientId, body);
        return markRead();
      case "ack": return acknowledged(frame);
      case "typing": return setTyping(frame.on, frame.name);
      case "read": agentReadUpTo = Math.max(agentReadUpTo, frame.up_to || 0); return showSeen();
      case "error": return failed(frame);
    }
  }

  // Show a message once, by id, in id order (unacknowledged ones stay last). `streamed`: it came
  // over the socket, so the next hello may start after it.
  function show(message, streamed = true) {
    if (streamed) lastId = Math.max(lastId, message.id);
    if (shown.has(message.id)) return;
    let item = message.client_id && pending.get(message.client_id);
    if (item) { pending.delete(message.client_id); outbox.delete(message.client_id); save(); item.textContent = ""; }
    else item = el("li");
    item.className = message.direction === "out" ? "out" : "in";
    item.dataset.id = message.id;
    if (message.direction === "out") item.append(el("span", { class: "who", text: message.author || "Support" }));
    item.append(message.text || "");
    const files = (message.attachments || []).map(attachmentLink).filter(Boolean);
    if (files.length) item.append(el("span", { class: "files" }, ...files));
    place(item, message.id);
    if (message.direction === "out") {
      setTyping(false); composer.hidden = false; offline.hidden = true;
      if (panel.hidden) { unread += 1; badge.textContent = unread; badge.hidden = false; } else markRead();
    }
    showSeen();
  }
  function place(item, id) {
    shown.set(id, item);
    const before = [...list.children].find((li) => li !== item && (li.classList.contains("pending") || Number(li.dataset.id) > id));
    list.insertBefore(item, before || null);
    list.scrollTop = list.scrollHeight;
  }
  function attachmentLink(attachment) {
    const url = new URL(attachment.url || "", origin);
    if (!/^https?:$/.test(url.protocol)) return null;
    return el("a", { href: url.href, target: "_blank", rel: "noopener noreferrer", text: `📎 ${attachment.name}` });
  }
  function acknowledged(ack) {
    const item = pending.get(ack.client_id);
    outbox.delete(ack.client_id); save();
    if (!item) return;
    pending.delete(ack.client_id);
    if (shown.has(ack.id)) { item.remove(); return; } // its message frame came first
    item.classList.remove("pending");
    item.dataset.id = ack.id;
    place(item, ack.id);
    showSeen();
  }
  function failed(frame) {
    const messages = { rate_limited: "You are sending messages too fast; wait a moment.", too_long: `Messages can be at most ${limits.max_text} characters.`, empty: "Write something first." };
    say(messages[frame.code] || frame.message || "Something went wrong.", true);
    if (frame.client_id && pending.has(frame.client_id)) {
      pending.get(frame.client_id).classList.add("failed");
      outbox.delete(frame.client_id); save();
    }
  }
  function setTyping(on, who) { typing.textContent = on ? `${who || "Support"} is typing…` : ""; }
  // "Seen" under the customer's newest message once an agent has read up to it.
  function showSeen() {
    const mine = [...shown].filter(([, li]) => li.classList.contains("in")).map(([id]) => id);
    const newest = mine.length ? Math.max(...mine) : 0;
    seen.textContent = newest && newest <= agentReadUpTo ? "Seen" : "";
  }
  function markRead() {
    if (panel.hidden || !ready || document.hidden) return;
    const newest = Math.max(0, ...[...shown.entries()].filter(([, li]) => li.classList.contains("out")).map(([id]) => id));
    if (newest > customerReadUpTo) { customerReadUpTo = newest; socket.send(JSON.stringify({ type: "read", up_to: newest })); }
  }

  function send(clientId, body) {
    if (!pending.has(clientId)) {
      const item = el("li", { class: "in pending", text: body });
      item.dataset.text = body;
      pending.set(clientId, item); list.append(item); list.scrollTop = list.scrollHeight;
    }
    if (socket && ready) socket.send(JSON.stringify({ type: "message", client_id: clientId, text: body }));
  }
  composer.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = text.value.trim();
    if (!body) return;
    if (body.length > limits.max_text) { say(`Messages can be at most ${limits.max_text} characters.`, true); return; }
    const clientId = uuid();
    outbox.set(clientId, body); save();
    text.value = ""; stopTyping();
    send(clientId, body); start();
  });
  text.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) { event.preventDefault(); composer.requestSubmit(); }
  });
  // Typing: "on" once, "off" after 3 s without a key (or when sent), never a frame per key.
  text.addEventListener("input", () => {
    if (!typingOn && text.value && socket && ready) { typingOn = true; socket.send(JSON.stringify({ type: "typing", on: true })); }
    clearTimeout(typingTimer); typingTimer = setTimeout(stopTyping, 3000);
  });
  function stopTyping() {
    clearTimeout(typingTimer);
    if (typingOn && socket && ready) socket.send(JSON.stringify({ type: "typing", on: false }));
    typingOn = false;
  }

  file.addEventListener("change", async () => {
    const chosen = file.files[0]; file.value = "";
    if (!chosen) return;
    if (chosen.size > limits.max_upload_bytes) { say(`That file is too large (at most ${Math.round(limits.max_upload_bytes / 1048576)} MB).`, true); return; }
    const types = limits.upload_types || [];
    const extension = chosen.name.split(".").pop().toLowerCase();
    if (types.length && chosen.type && !types.some((type) => type === chosen.type || type.replace(/^\./, "").toLowerCase() === extension || type.split("/")[1] === extension)) {
      say("That type of file cannot be sent here.", true); return;
    }
    await start();
    const form = new FormData();
    form.append("file", chosen); form.append("token", token || ""); form.append("client_id", uuid());
    say(`Sending ${chosen.name}…`);
    try {
      const response = await fetch(`${api}/upload`, { method: "POST", body: form });
      if (!response.ok) {
        const fallback = { 413: "That file is too large.", 415: "That type of file cannot be sent here.", 401: "Your chat session ended; reload the page.", 429: "Too many files at once; wait a moment." };
        say(await reason(response, fallback[response.status] || "The file could not be sent."), true); return;
      }
      const stored = await response.json();
      say(""); show({ id: stored.id, direction: "in", text: "", attachments: [stored.attachment] }, false);
    } catch { say("The file could not be sent; check your connection.", true); }
  });

  offline.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { email: email.value.trim(), name: name.value.trim() || undefined, text: note.value.trim(), token: token || undefined };
    try {
      const response = await fetch(`${api}/offline`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
      if (!response.ok) { say(await reason(response, "Check your email address and message."), true); return; }
      offline.replaceChildren(el("p", { role: "status", text: `Thank you. We will answer at ${body.email}.` }));
      say("");
    } catch { say("Your message could not be sent; check your connection.", true); }
  });

  // A dead connection is noticed within a minute (ping every 25 s), and at once when the device
  // goes offline; coming back online or to the tab reconnects without waiting for the back-off.
  setInterval(() => {
    if (!socket || socket.readyState !== 1) return;
    if (Date.now() - lastFrame > 60000) { socket.close(); return; }
    socket.send(JSON.stringify({ type: "ping" }));
  }, 25000);
  window.addEventListener("offline", () => { if (socket) socket.close(); });
  window.addEventListener("online", () => { attempts = 0; token ? connect() : start(); });
  document.addEventListener("visibilitychange", () => { if (!document.hidden) { markRead(); if (token && !socket) connect(); } });

  host.open = openPanel;
  host.close = closePanel;
  const mount = () => { document.body.append(root); if (token || outbox.size) start(); };
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
})();
