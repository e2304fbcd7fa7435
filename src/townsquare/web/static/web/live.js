// Live updates without reload. Every few seconds ask /live/changes which conversations changed
// since the newest event this page has seen (web/live.py). On the list, re-fetch the results
// partial when any did; on a conversation page, swap in the regions marked data-live-region
// (head with status and assignment, thread) — never the reply box, so typing is never lost.
(() => {
  const box = document.getElementById("live");
  if (!box) return;
  const url = box.dataset.url;
  const conversation = box.dataset.conversation || "";
  const pollMs = Math.max(250, Number(box.dataset.pollMs) || 2000);
  let after = box.dataset.after || "0";
  let busy = false;
  let pending = false; // a change arrived while a region was in use; apply it on a later poll

  async function poll() {
    if (busy || document.hidden) return;
    busy = true;
    try {
      const params = new URLSearchParams({ after });
      if (conversation) params.set("conversation", conversation);
      const response = await fetch(`${url}?${params}`, { headers: { Accept: "application/json" } });
      if (response.status === 404 && conversation) {
        showNotice("This conversation is no longer visible to you.");
        return;
      }
      if (!response.ok) return;
      const body = await response.json();
      after = String(body.last_event_id);
      if (body.reset || body.changed.length || pending) {
        pending = false;
        await (conversation ? refreshConversation() : refreshList(body.changed));
      }
    } catch (error) {
      // Offline or the server restarting: try again on the next tick.
    } finally {
      busy = false;
    }
  }

  async function refreshList(changed) {
    const results = document.getElementById("results");
    if (!results) return;
    const response = await fetch(location.pathname + location.search, { headers: { "HX-Request": "true" } });
    if (!response.ok) return;
    results.innerHTML = await response.text();
    if (window.htmx) window.htmx.process(results);
    for (const id of changed) {
      const row = results.querySelector(`[data-conversation-id="${id}"]`);
      if (row) row.classList.add("just-changed");
    }
    document.dispatchEvent(new CustomEvent("live:refreshed", { detail: { changed } }));
  }

  async function refreshConversation() {
    const response = await fetch(location.pathname + location.search);
    if (!response.ok) return;
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
    for (const region of document.querySelectorAll("[data-live-region][id]")) {
      const replacement = fresh.getElementById(region.id);
      if (!replacement) continue;
      if (region.contains(document.activeElement) && document.activeElement !== document.body) {
        pending = true; // someone is using a control in it: do not pull it from under them
        continue;
      }
      region.replaceWith(replacement);
      if (window.htmx) window.htmx.process(replacement);
    }
    document.dispatchEvent(new CustomEvent("live:refreshed", { detail: { changed: [conversation] } }));
  }

  function showNotice(text) {
    let notice = document.getElementById("live-notice");
    if (!notice) {
      notice = document.createElement("p");
      notice.id = "live-notice";
      notice.className = "alert";
      notice.setAttribute("role", "status");
      box.after(notice);
    }
    notice.textContent = text;
  }

  setInterval(poll, pollMs);
  // A tab brought back to the front catches up at once instead of waiting for the next tick.
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) poll();
  });
})();
