// Behaviour shared by the pages, kept out of the HTML so that the Content-Security-Policy can
// forbid inline scripts.
document.addEventListener("htmx:afterRequest", (event) => {
  // A row added in place: the form is emptied for the next one (not when it came back with errors).
  const form = event.detail.elt;
  if (event.detail.successful && form.matches && form.matches("form[data-reset-on-success]")
      && event.detail.target && event.detail.target.id.startsWith("rows-")) {
    form.reset();
  }
});
