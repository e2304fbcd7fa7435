// Empty triage-label filters stay out of the list's URL, so links to the list stay short and readable.
document.addEventListener("htmx:configRequest", (event) => {
  if (!event.target.matches || !event.target.matches("form.filters")) return;
  for (const name of ["kind", "sentiment", "priority", "invites_reply", "language"]) {
    if (!event.detail.formData.get(name)) event.detail.formData.delete(name);
  }
});
