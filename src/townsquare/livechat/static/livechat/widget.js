// Townsquare live chat widget; README "Live chat" has the snippet and the protocol. Unacknowledged messages
// stay in an outbox and go again with the same client_id after a reconnect (stored once); messages show
// by id, so a replay never doubles one. Text goes in by textContent only.
(() => {
  const script = document.currentScript || document.querySelector("script[data-townsquare-channel]");
  if (!script || window.__townsquareChat) return;
  window.__townsquareChat = true;
  const channel = script.dataset.townsquareChannel;
  const origin = new URL(script.src, location.href).origin;
  const api = `${origin}/livechat/${channel}/`;
  const key = `townsquare.chat.${channel}`;
  const host = (window.TownsquareChat ||= {});
  const blue = "#2457c5";
  const CSS = `:host{all:initial;font:14px/1.4 system-ui,sans-serif;color:#1d2330}*{box-sizing:border-box;font:inherit}
.launch,.panel{position:fixed;right:20px;z-index:2147483000;box-shadow:0 3px 16px #0005}
.launch{bottom:20px;border:0;border-radius:24px;padding:12px 18px;background:${blue};color:#fff}
.badge{margin-left:6px;background:#d3262e;border-radius:9px;padding:0 6px}
.panel{bottom:76px;width:340px;max-width:calc(100vw - 40px);height:480px;max-height:calc(100vh - 100px);display:flex;flex-direction:column;background:#fff;border-radius:10px;overflow:hidden}
[hidden]{display:none!important}header{display:flex;justify-content:space-between;padding:10px 12px;background:${blue};color:#fff}
header button{background:none;border:0;color:#fff;font-size:20px;line-height:1}
.status{margin:0;padding:4px 12px;background:#fff4d6;font-size:12px}.status:empty{display:none}.error{background:#fde2e2;color:#8a1016}
ol{list-style:none;margin:0;padding:10px;flex:1;overflow-y:auto}
li{margin:6px 0;max-width:85%;width:fit-content;padding:6px 10px;border-radius:10px;background:#eef1f6;white-space:pre-wrap;overflow-wrap:anywhere}
.in{margin-left:auto;background:#dbe6ff}.pending{opacity:.6}li.failed{background:#fde2e2}.who{display:block;font-size:11px;color:#555}
.note{font-size:11px;color:#555;padding:0 12px;min-height:16px}a{display:block;color:${blue}}
form{display:flex;flex-direction:column;gap:6px;padding:8px;border-top:1px solid #dde}.row{display:flex;gap:6px;align-items:end}
textarea,input{width:100%;border:1px solid #aab;border-radius:6px;padding:6px}textarea{resize:none;height:52px}
.row button,.row label{border:0;border-radius:6px;padding:8px 10px;background:${blue};color:#fff;cursor:pointer}.row label{background:#eef1f6}
label{font-size:12px}.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}:focus-visible{outline:2px solid #f0a020}`;

  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) name === "text" ? (node.textContent = value) : node.setAttribute(name, value);
    node.append(...children);
    return node;
  };
  const label = (id, text, cls = "") => el("label", { for: id, text, class: cls });
  const root = el("div", { "data-townsquare-chat": channel });
  const shadow = root.attachShadow({ mode: "open" });
  const badge = el("span", { class: "badge", hidden: "" });
  const launcher = el("button", { class: "launch", type: "button", "aria-expanded": "false", "aria-controls": "p" }, "Chat with us", badge);
  const status = el("p", { class: "status", role: "status" });
  const list = el("ol", { role: "log", "aria-label": "Messages" });
  const typing = el("div", { class: "note", "aria-live": "polite" });
  const seen = el("div", { class: "note", "data-testid": "seen" });
  const text = el("textarea", { id: "t" });
  const file = el("input", { id: "f", type: "file", class: "sr", tabindex: "-1" });
  const attach = el("label", { for: "f", role: "button", tabindex: "0", "aria-label": "Attach a file", title: "Attach a file", text: "📎" });
  const composer = el("form", { "aria-label": "Write a message" }, label("t", "Message", "sr"),
    el("div", { class: "row" }, text, attach, file, el("button", { text: "Send" })));
  const email = el("input", { id: "e", type: "email", required: "", autocomplete: "email" });
  const name = el("input", { id: "n", autocomplete: "name" });
  const note = el("textarea", { id: "m", required: "" });
  const offline = el("form", { hidden: "", "aria-label": "Leave a message" },
    el("p", { text: "We are not online right now. Leave a message and we will answer by email." }),
    label("e", "Your email"), email, label("n", "Your name (optional)"), name, label("m", "Your message"), note,
    el("div", { class: "row" }, el("button", { text: "Send" })));
  const close = el("button", { type: "button", "aria-label": "Close chat", text: "×" });
  const panel = el("section", { id: "p", class: "panel", role: "dialog", "aria-label": "Chat", hidden: "" },
    el("header", {}, el("strong", { text: "Chat" }), close), status, list, typing, seen, composer, offline);
  shadow.append(el("style", { text: CSS }), launcher, panel);

  let saved = {};
  try { saved = JSON.parse(localStorage.getItem(key)) || {}; } catch {}
  let token = saved.token || null;
  const outbox = new Map(saved.outbox || []); // client_id → text, until acknowledged
  const shown = new Map(); // message id → <li>
  const pending = new Map(); // client_id → <li> not yet acknowledged
  let limits = { max_text: 4000, max_upload_bytes: 10485760, upload_types: [] };
  let socket = null, ready = false, attempts = 0, retry, lastId = 0, lastFrame = 0, started = null, stopped = false;
  let typingOn = false, keys = 0, typingTimer, unread = 0, agentRead = 0, customerRead = 0;

  const save = () => { try { localStorage.setItem(key, JSON.stringify({ token, outbox: [...outbox] })); } catch {} };
  // `connection`: a note about the socket, which the next "ready" clears (other notes stay).
  const say = (message, error = false, connection = false) => {
    status.textContent = message || ""; status.classList.toggle("error", error); status.dataset.connection = connection;
  };
  const frame = (data) => socket && ready && socket.send(JSON.stringify(data));
  const uuid = () => crypto.randomUUID?.() ?? [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("");
  const size = (bytes) => (bytes >= 1048576 ? `${Math.round(bytes / 1048576)} MB` : `${Math.ceil(bytes / 1024)} KB`);
  const post = (path, body) => fetch(api + path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const reason = async (response, fallback) => { // the server's reason, as a sentence
    let why = fallback;
    try { const body = await response.json(); why = body.error || body.detail || fallback; } catch {}
    return why.charAt(0).toUpperCase() + why.slice(1) + (/[.!?]$/.test(why) ? "" : ".");
  };
  const ids = (cls) => [...shown].filter(([, li]) => li.classList.contains(cls)).map(([id]) => id);

  function openPanel() {
    panel.hidden = false; launcher.setAttribute("aria-expanded", "true");
    unread = 0; badge.hidden = true;
    (offline.hidden ? text : email).focus();
    start(); markRead();
  }
  function closePanel() { panel.hidden = true; launcher.setAttribute("aria-expanded", "false"); launcher.focus(); }
  launcher.onclick = () => (panel.hidden ? openPanel() : closePanel());
  close.onclick = closePanel;
  panel.onkeydown = (event) => { if (event.key === "Escape") closePanel(); }; // returning false would cancel every key
  attach.onkeydown = (event) => { if (event.key === "Enter" || event.key === " ") { event.preventDefault(); file.click(); } };

  // Start (or resume) the session once; a stored token that no longer works starts a new one.
  function start() {
    started ||= startSession().catch(() => { started = null; say("Cannot reach the chat. Trying again…", true, true); schedule(); });
    return started;
  }
  async function startSession() {
    const body = { token: token || undefined, identity: host.identity, identity_signature: host.identity_signature };
    let response = await post("session", body);
    if (!response.ok && token && response.status !== 429) { token = body.token = undefined; response = await post("session", body); }
    if (!response.ok) {
      stopped = response.status !== 429;
      say(stopped ? await reason(response, "Chat is not available") : "Too many chats from here; try again in a minute.", true);
      if (!stopped) { started = null; setTimeout(start, 60000); }
      return;
    }
    const session = await response.json();
    token = session.token; save();
    limits = { ...limits, ...session.limits };
    text.maxLength = note.maxLength = limits.max_text;
    setOnline(session.agents_online !== false);
    if (session.greeting && !list.querySelector(".greeting")) list.prepend(el("li", { class: "greeting", text: session.greeting }));
    connect();
  }
  function setOnline(online) {
    // A half-filled offline form stays.
    const form = (!online && !shown.size && !outbox.size) || (!offline.hidden && !!(note.value || email.value));
    offline.hidden = !form; composer.hidden = form;
  }

  function connect() {
    if (stopped || !token || socket?.readyState < 2) return;
    clearTimeout(retry);
    const ws = (socket = new WebSocket(`${origin.replace(/^http/, "ws")}/ws/livechat/${channel}/?token=${encodeURIComponent(token)}`));
    ws.onopen = () => { lastFrame = Date.now(); ws.send(JSON.stringify({ type: "hello", last_id: lastId })); };
    ws.onmessage = (event) => {
      lastFrame = Date.now();
      try { if (ws === socket) receive(JSON.parse(event.data)); } catch {}
    };
    ws.onclose = (event) => ws === socket && closed(event.code);
  }
  function closed(code) {
    socket = null; ready = false; setTyping(false);
    if (code === 4401) { token = started = null; save(); say("Your chat session ended; starting a new one…", false, true); setTimeout(start, 500); return; }
    if (code === 4403 || code === 4404) { stopped = true; say("Chat is not available on this page.", true); return; }
    if (++attempts >= 3 && !shown.size) setOnline(false);
    say(code === 4429 ? "Too many messages at once; reconnecting shortly…" : "Connection lost. Reconnecting…", true, true);
    schedule(code === 4429 ? 10000 : 0);
  }
  function schedule(extra = 0) {
    clearTimeout(retry);
    retry = setTimeout(() => (token ? connect() : start()), Math.min(30000, 500 * 2 ** Math.min(attempts, 6)) * (0.75 + Math.random() / 2) + extra);
  }

  function receive(data) {
    if (data.type === "message") show(data);
    else if (data.type === "ready") {
      ready = true; attempts = 0; if (status.dataset.connection === "true") say(""); setOnline(data.agents_online !== false);
      for (const [clientId, body] of outbox) send(clientId, body);
      markRead();
    } else if (data.type === "ack") acknowledged(data);
    else if (data.type === "typing") setTyping(data.on, data.name);
    else if (data.type === "read") { agentRead = Math.max(agentRead, data.up_to || 0); showSeen(); }
    else if (data.type === "error") failed(data);
  }

  // Show a message once, by id, in id order (unacknowledged ones stay last). `streamed`: it came
  // over the socket, so the next hello may start after it.
  function show(message, streamed = true) {
    if (streamed) lastId = Math.max(lastId, message.id);
    if (message.client_id && outbox.delete(message.client_id)) save();
    if (shown.has(message.id)) return;
    const item = pending.get(message.client_id) || el("li");
    pending.delete(message.client_id);
    const out = message.direction === "out";
    item.className = out ? "out" : "in";
    item.replaceChildren();
    if (out) item.append(el("span", { class: "who", text: message.author || "Support" }));
    const files = message.attachments || [];
    // An upload's text repeats the file's name ("📎 name"): its link says it.
    item.append(files.reduce((body, f) => body.replace(`📎 ${f.name}`, ""), message.text || "").trim(), ...files.map(link).filter(Boolean));
    place(item, message.id);
    if (out) {
      setTyping(false); composer.hidden = false; offline.hidden = true;
      if (panel.hidden) { badge.textContent = ++unread; badge.hidden = false; } else markRead();
    }
    showSeen();
  }
  function place(item, id) {
    shown.set(id, item);
    item.dataset.id = id;
    const before = [...list.children].find((li) => li !== item && (li.classList.contains("pending") || +li.dataset.id > id));
    list.insertBefore(item, before || null);
    list.scrollTop = list.scrollHeight;
  }
  function link(attachment) {
    const url = new URL(attachment.url || "", origin);
    return /^https?:$/.test(url.protocol) && el("a", { href: url.href, target: "_blank", rel: "noopener", text: `📎 ${attachment.name}` });
  }
  function acknowledged(ack) {
    const item = pending.get(ack.client_id);
    outbox.delete(ack.client_id); save();
    if (!item) return;
    pending.delete(ack.client_id);
    if (shown.has(ack.id)) return item.remove(); // its message frame came first
    item.classList.remove("pending");
    place(item, ack.id);
    showSeen();
  }
  // Refused: too fast or not stored → sent again a little later; too long or empty → marked as not sent.
  function failed(error) {
    const texts = { rate_limited: "You are sending messages too fast; they will go out in a moment.", too_long: `Messages can be at most ${limits.max_text} characters.` };
    say(texts[error.code] || error.message || "Something went wrong.", true);
    const item = pending.get(error.client_id);
    if (!item) return;
    if (error.code === "rate_limited" || error.code === "not_stored") return setTimeout(() => outbox.has(error.client_id) && send(error.client_id, outbox.get(error.client_id)), 5000);
    item.classList.add("failed"); item.title = "Not sent";
    outbox.delete(error.client_id); save();
  }
  function setTyping(on, who) { typing.textContent = on ? `${who || "Support"} is typing…` : ""; }
  // "Seen" under the visitor's newest message once an agent has read up to it.
  function showSeen() {
    const newest = Math.max(0, ...ids("in"));
    seen.textContent = newest && newest <= agentRead ? "Seen" : "";
  }
  function markRead() {
    const newest = Math.max(0, ...ids("out"));
    if (!panel.hidden && !document.hidden && ready && newest > customerRead) { customerRead = newest; frame({ type: "read", up_to: newest }); }
  }

  function send(clientId, body) {
    if (!pending.has(clientId)) {
      const item = el("li", { class: "in pending", text: body });
      pending.set(clientId, item); list.append(item); list.scrollTop = list.scrollHeight;
    }
    frame({ type: "message", client_id: clientId, text: body });
  }
  composer.onsubmit = (event) => {
    event.preventDefault();
    const body = text.value.trim();
    if (!body) return;
    if (body.length > limits.max_text) return say(`Messages can be at most ${limits.max_text} characters.`, true);
    const clientId = uuid();
    outbox.set(clientId, body); save();
    text.value = ""; stopTyping();
    send(clientId, body); start();
  };
  text.onkeydown = (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) { event.preventDefault(); composer.requestSubmit(); }
  };
  // Typing: "on" from the second key (a paste is no typing), "off" after 3 s without a key or when
  // sent; never a frame per key.
  text.oninput = () => {
    if (!typingOn && ++keys > 1 && text.value && ready) { typingOn = true; frame({ type: "typing", on: true }); }
    clearTimeout(typingTimer);
    typingTimer = setTimeout(stopTyping, 3000);
  };
  function stopTyping() {
    clearTimeout(typingTimer);
    if (typingOn) frame({ type: "typing", on: false });
    typingOn = false; keys = 0;
  }

  file.onchange = async () => {
    const chosen = file.files[0]; file.value = "";
    if (!chosen) return;
    await start(); // limits come with the session
    if (chosen.size > limits.max_upload_bytes) return say(`That file is too large: at most ${size(limits.max_upload_bytes)}.`, true);
    if (chosen.type && limits.upload_types.length && !limits.upload_types.includes(chosen.type)) return say("That kind of file cannot be sent here.", true);
    const form = new FormData();
    form.append("file", chosen); form.append("token", token || ""); form.append("client_id", uuid());
    say(`Sending ${chosen.name}…`);
    try {
      const response = await fetch(api + "upload", { method: "POST", body: form });
      if (!response.ok) return say(await reason(response, "The file could not be sent"), true);
      const stored = await response.json();
      say(""); show({ id: stored.id, direction: "in", attachments: [stored.attachment] }, false);
    } catch { say("The file could not be sent; check your connection.", true); }
  };

  offline.onsubmit = async (event) => {
    event.preventDefault();
    const body = { email: email.value.trim(), name: name.value.trim() || undefined, text: note.value.trim(), token: token || undefined };
    try {
      const response = await post("offline", body);
      if (!response.ok) return say(await reason(response, "Check your email address and message"), true);
      const left = await response.json(); // the chat it was stored in: coming back shows it
      if (left.token) { token = left.token; save(); }
      offline.replaceChildren(el("p", { role: "status", text: `Thank you. We will answer at ${body.email}.` }));
      say("");
    } catch { say("Your message could not be sent; check your connection.", true); }
  };

  // A dead connection is noticed within a minute (a ping every 25 s), and at once when the device goes
  // offline; back online or back to the tab, it reconnects without waiting for the back-off.
  setInterval(() => {
    if (socket?.readyState !== 1) return;
    if (Date.now() - lastFrame > 60000) return socket.close();
    socket.send('{"type":"ping"}');
  }, 25000);
  addEventListener("offline", () => socket?.close());
  addEventListener("online", () => { attempts = 0; token ? connect() : start(); });
  document.addEventListener("visibilitychange", () => { if (!document.hidden) { markRead(); if (token && !socket) connect(); } });

  host.open = openPanel;
  host.close = closePanel;
  const mount = () => { document.body.append(root); if (token || outbox.size) start(); };
  document.body ? mount() : addEventListener("DOMContentLoaded", mount);
})();
