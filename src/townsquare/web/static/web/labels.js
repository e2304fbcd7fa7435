// htmx does not swap error responses: show a refused correction's reason (400/403) next to its form.
document.addEventListener("htmx:responseError", (event) => {
  const form = event.target.closest && event.target.closest("form.correction");
  if (!form) return;
  const box = form.parentElement.querySelector(".correction-error");
  const body = event.detail.xhr.responseText || "";
  const page = new DOMParser().parseFromString(body, "text/html");
  const alert = page.querySelector("[role=alert]");
  box.textContent = (alert ? alert.textContent : page.body.textContent).trim() || "This correction was refused.";
});
