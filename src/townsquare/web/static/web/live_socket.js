// Live console over a WebSocket (realtime/console.py): a new message makes the page refresh at
// once instead of at the next poll, a customer's typing and read marks show on the conversation
// page, failed replies are announced, and the agent's own typing and reading go to a chat
// customer. Polling (live.js) keeps running underneath: when the socket is down nothing is lost,
// it is only slower.
(() => {
  const box = document.getElementById("live");
  if (!box || !("WebSocket" in window)) return;
  const conversation = Number(box.dataset.conversation) || null;
  const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws/console/`;
  let socket = null;
  let attempts = 0;
  let typingOn = false;
  let typingTimer = null;
  let customerTypingTimer = null;
  let readUpTo = 0;
  let customerReadUpTo = 0;

  let pokeTimer = null;
  // Ask live.js to poll now; a burst of messages makes one poll, not one each.
  const poke = () => {
    pokeTimer ??= setTimeout(() => {
      pokeTimer = null;
      document.dispatchEvent(new CustomEvent("live:poke"));
    }, 150);
  };
  const send = (frame) => {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
  };

  function connect() {
    const ws = (socket = new WebSocket(url));
    ws.onopen = () => {
      // Back after a drop: catch up on what happened meanwhile at once.
      if (attempts) poke();
      attempts = 0;
      document.documentElement.dataset.liveSocket = "open";
      if (conversation) {
        send({ type: "open", conversation });
        markRead();
      }
    };
    ws.onmessage = (event) => {
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch (error) {
        return;
      }
      handle(frame);
    };
    ws.onclose = (event) => {
      socket = null;
      document.documentElement.dataset.liveSocket = "closed";
      // Signed out or no console for this role: the pages say so themselves; do not retry.
      if (event.code === 4401 || event.code === 4403) return;
      attempts += 1;
      const delay = Math.min(30000, 1000 * 2 ** Math.min(attempts, 5)) * (0.75 + Math.random() / 2);
      setTimeout(connect, delay);
    };
  }

  function handle(frame) {
    const here = conversation !== null && frame.conversation === conversation;
    if (frame.type === "message") {
      if (!conversation || here) poke();
      if (here && frame.direction === "in") showCustomerTyping(false);
      // An answer newer than what the customer has read: "Seen" no longer holds.
      const read = document.getElementById("live-customer-read");
      if (here && frame.direction === "out" && read && frame.message > customerReadUpTo) read.hidden = true;
    } else if (frame.type === "typing" && here && frame.who === "customer") {
      showCustomerTyping(frame.on);
    } else if (frame.type === "read" && here && frame.by === "customer") {
      customerReadUpTo = Math.max(customerReadUpTo, frame.up_to || 0);
      showNote("live-customer-read", "customer-read", "Seen by the customer.");
    } else if (frame.type === "reply_failed" && (here || !conversation)) {
      if (here) showNote("live-reply-failed", "live-reply-failed", `A reply could not be delivered: ${(frame.error || "unknown error").replace(/\.$/, "")}.`, true);
      poke();
    }
  }

  // Notes live next to the thread, outside the regions live.js swaps, so a refresh keeps them.
  function showNote(id, testId, text, alert = false) {
    const thread = document.getElementById("conversation-thread");
    if (!thread) return null;
    let note = document.getElementById(id);
    if (!note) {
      note = document.createElement("p");
      note.id = id;
      note.dataset.testid = testId;
      note.className = alert ? "alert alert-error" : "muted";
      note.setAttribute("role", alert ? "alert" : "status");
      thread.closest(".thread").querySelector(".compose").before(note);
    }
    note.textContent = text;
    note.hidden = false;
    return note;
  }

  function showCustomerTyping(on) {
    clearTimeout(customerTypingTimer);
    const note = showNote("live-customer-typing", "customer-typing", "The customer is typing…");
    if (!note) return;
    note.hidden = !on;
    // A lost "stopped typing" must not leave the note up for ever.
    if (on) customerTypingTimer = setTimeout(() => (note.hidden = true), 10000);
  }

  // The newest customer message in the thread counts as read while the page is in front.
  function markRead() {
    if (!conversation || document.hidden) return;
    const ids = [...document.querySelectorAll("#conversation-thread .message-in[id^='message-']")].map((item) =>
      Number(item.id.slice("message-".length)),
    );
    const newest = Math.max(0, ...ids);
    if (newest > readUpTo) {
      readUpTo = newest;
      send({ type: "read", conversation, up_to: newest });
    }
  }

  // The agent's typing: "on" once, "off" 3 s after the last key or when the reply is sent.
  function stopTyping() {
    clearTimeout(typingTimer);
    if (typingOn) send({ type: "typing", conversation, on: false });
    typingOn = false;
  }
  if (conversation) {
    document.addEventListener("input", (event) => {
      if (!event.target.closest || !event.target.closest("#reply-box textarea")) return;
      if (!typingOn && event.target.value.trim()) {
        typingOn = true;
        send({ type: "typing", conversation, on: true });
      }
      clearTimeout(typingTimer);
      typingTimer = setTimeout(stopTyping, 3000);
    });
    document.addEventListener("submit", (event) => {
      if (event.target.closest && event.target.closest("#reply-box")) stopTyping();
    });
    document.addEventListener("htmx:beforeRequest", (event) => {
      if (event.target.closest && event.target.closest("#reply-box")) stopTyping();
    });
    document.addEventListener("live:refreshed", markRead);
    document.addEventListener("visibilitychange", markRead);
  }

  // A ping a minute keeps idle sockets open through proxies and tells chat visitors agents are here.
  setInterval(() => send({ type: "ping" }), 60000);
  connect();
})();
