// Keyboard shortcuts for the console; the "?" help dialog lists them (web/_shortcuts_help.html).
// Actions find their controls by data-shortcut="reply|resolve|take" — any part of the page can
// offer one — and fall back to the visible button or field that reads as such.
(() => {
  const config = document.getElementById("shortcuts");
  const help = document.getElementById("shortcuts-help");
  if (!config || !help) return;
  const inboxUrl = config.dataset.inboxUrl;
  const SELECTED = "selected";
  let awaitingG = false;

  const rows = () => Array.from(document.querySelectorAll("[data-testid=conversation-row]"));
  const visible = (el) => el && el.offsetParent !== null && !el.disabled;

  function typing(target) {
    if (!target || !target.closest) return false;
    return Boolean(target.closest("input, textarea, select, [contenteditable=''], [contenteditable=true]"));
  }

  function select(index) {
    const all = rows();
    if (!all.length) return;
    const next = Math.max(0, Math.min(all.length - 1, index));
    for (const row of all) {
      row.classList.remove(SELECTED);
      row.removeAttribute("aria-selected");
    }
    const row = all[next];
    row.classList.add(SELECTED);
    row.setAttribute("aria-selected", "true");
    row.scrollIntoView({ block: "nearest" });
    sessionStorage.setItem("ts-selected", row.dataset.conversationId || "");
  }

  function selectedIndex() {
    return rows().findIndex((row) => row.classList.contains(SELECTED));
  }

  function openSelected() {
    const row = rows()[selectedIndex()];
    const link = row && row.querySelector("a[href]");
    if (link) link.click();
  }

  function control(name, words) {
    const marked = Array.from(document.querySelectorAll(`[data-shortcut="${name}"]`)).find(visible);
    if (marked || !words.length) return marked;
    const pattern = new RegExp(`^\\s*(${words.join("|")})\\b`, "i");
    return Array.from(document.querySelectorAll("button, input[type=submit]")).find(
      (el) => visible(el) && pattern.test(el.textContent || el.value || ""),
    );
  }

  function focusReply() {
    const marked = control("reply", []);
    const box = marked || Array.from(document.querySelectorAll("textarea")).find(visible);
    if (box) box.focus();
  }

  function focusSearch() {
    const search = document.querySelector("input[type=search], input[name=q]");
    if (search) {
      search.focus();
      search.select();
    } else {
      location.href = inboxUrl;
    }
  }

  function toggleHelp(event) {
    if (!help.open) {
      help.showModal();
      return;
    }
    help.close();
    // Opened and closed from the keyboard: give focus back to the page, not to a button that
    // newer Chromium focuses on close (Enter would then press it instead of opening the row).
    if (event && event.type === "keydown" && document.activeElement !== document.body) {
      document.activeElement.blur();
    }
  }

  const actions = {
    j: () => select(selectedIndex() + 1),
    k: () => select(selectedIndex() < 0 ? 0 : selectedIndex() - 1),
    o: openSelected,
    Enter: openSelected,
    r: focusReply,
    e: () => control("resolve", ["resolve"])?.click(),
    a: () => control("take", ["take", "assign to me", "claim"])?.click(),
    "/": focusSearch,
    "?": toggleHelp,
  };

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    if (typing(event.target)) return;
    if (help.open && event.key !== "?") return;
    if (awaitingG) {
      awaitingG = false;
      if (event.key === "i") {
        event.preventDefault();
        location.href = inboxUrl;
      }
      return;
    }
    if (event.key === "g") {
      awaitingG = true;
      setTimeout(() => (awaitingG = false), 1500);
      return;
    }
    const action = actions[event.key];
    if (!action) return;
    // Enter on a focused link or button keeps its own meaning.
    if (event.key === "Enter" && event.target.closest && event.target.closest("a, button")) return;
    event.preventDefault();
    action(event);
  });

  document.querySelector("[data-shortcuts-open]")?.addEventListener("click", toggleHelp);

  // Keep the selection on the same conversation when live updates or filters swap the list.
  function restoreSelection() {
    const id = sessionStorage.getItem("ts-selected");
    if (!id) return;
    const index = rows().findIndex((row) => row.dataset.conversationId === id);
    if (index >= 0) select(index);
  }
  document.addEventListener("live:refreshed", restoreSelection);
  document.addEventListener("htmx:afterSettle", restoreSelection);
})();
