// Live updates without reload. Every few seconds ask /live/changes which conversations changed
// since the newest event this page has seen (web/live.py); when any did, swap in the page's
// regions marked data-live-region (list: tabs and results; conversation: head and thread) —
// never the reply box, and never a region someone is typing in, so no input is lost.
(() => {
  const box = document.getElementById("live");
  if (!box) return;
  const url = box.dataset.url;
  const conversation = box.dataset.conversation || "";
  const pollMs = Math.max(250, Number(box.dataset.pollMs) || 2000);
  let after = box.dataset.after || "0";
  let busy = false;
  let pending = false; // a change arrived while a region was in use; apply it on a later poll
  let again = false; // the console socket (live_socket.js) asked for a poll while one ran

  async function poll() {
    if (busy || document.hidden) return;
    busy = true;
    again = false;
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
        await refresh(body.changed);
      }
    } catch (error) {
      // Offline or the server restarting: try again on the next tick.
    } finally {
      busy = false;
      if (again) poll();
    }
  }

  // Fetch this page again and swap in each region marked data-live-region (by id): on the list
  // the saved-view tabs and the results, on a conversation page its head and thread.
  async function refresh(changed) {
    const response = await fetch(location.pathname + location.search);
    if (!response.ok) return;
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
    for (const region of document.querySelectorAll("[data-live-region][id]")) {
      const replacement = fresh.getElementById(region.id);
      if (!replacement) continue;
      if (inUse(region)) {
        pending = true; // someone is using a control in it: do not pull it from under them
        continue;
      }
      region.replaceWith(replacement);
      if (window.htmx) window.htmx.process(replacement);
    }
    for (const id of changed) {
      const row = document.querySelector(`[data-conversation-id="${id}"]`);
      if (row) row.classList.add("just-changed");
    }
    document.dispatchEvent(new CustomEvent("live:refreshed", { detail: { changed } }));
  }

  // A region is in use while a control in it has the focus or holds something typed or chosen.
  function inUse(region) {
    if (region.contains(document.activeElement) && document.activeElement !== document.body) return true;
    for (const field of region.querySelectorAll("input, textarea, select")) {
      if (field.type === "hidden") continue;
      if (field.type === "checkbox" || field.type === "radio") {
        if (field.checked !== field.defaultChecked) return true;
      } else if (field.tagName === "SELECT") {
        const options = Array.from(field.options);
        const initial = Math.max(0, options.findIndex((option) => option.defaultSelected));
        if (!field.multiple && field.selectedIndex !== initial) return true;
      } else if (field.value !== field.defaultValue) {
        return true;
      } else if (field.tagName === "TEXTAREA" && field.value.trim()) {
        return true; // a draft filled in by the page itself (a canned reply) is still someone's draft
      }
    }
    return false;
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
  // The console socket heard of a change: poll now rather than at the next tick.
  document.addEventListener("live:poke", () => (busy ? (again = true) : poll()));
  // A tab brought back to the front catches up at once instead of waiting for the next tick.
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) poll();
  });
})();
