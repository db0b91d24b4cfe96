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

// A request made from the page (htmx) that fails changes nothing on the page: say so, and why.
// A plain-text answer is the server's own message (a session that ended, for instance).
const REQUEST_ERRORS = {
  403: "Action refusée : la convention a peut-être été signée entre-temps, ou votre rôle ne le permet pas. Rechargez la page.",
  404: "Cet élément n'existe plus : il a peut-être été supprimé entre-temps. Rechargez la page.",
  409: "Action impossible dans l'état actuel : rechargez la page pour voir ce qui a changé.",
};
const UNANSWERED = "Le serveur ne répond pas : vérifiez votre connexion, puis réessayez.";

function showRequestError(message) {
  const box = document.getElementById("request-error");
  if (!box) return;
  const wasHidden = box.hidden;
  box.textContent = message;
  box.hidden = false;
  if (wasHidden) box.scrollIntoView({ block: "nearest" });
}

document.addEventListener("htmx:responseError", (event) => {
  // A status that polls by itself (the PDF badge) stops, silently: the user sent nothing.
  const trigger = event.detail.elt.getAttribute && event.detail.elt.getAttribute("hx-trigger");
  if (trigger && trigger.includes("every")) {
    event.detail.elt.remove();
    return;
  }
  const request = event.detail.xhr;
  const type = request.getResponseHeader("Content-Type") || "";
  const message = type.startsWith("text/plain") && request.responseText
    ? request.responseText
    : REQUEST_ERRORS[request.status]
      || `Le serveur n'a pas pu traiter la demande (erreur ${request.status}). Réessayez ; si l'erreur revient, prévenez votre administrateur.`;
  showRequestError(message);
});
document.addEventListener("htmx:sendError", () => showRequestError(UNANSWERED));

// A form sent twice (a double click, a second click while the page loads) would do its work twice:
// add two axes, move a fiche two places. A plain form's second send within a few seconds is
// dropped; after that, a form left on the page (a download, a slow server) can be sent again.
// htmx forms are left to htmx, which drops a request while the element's previous one runs.
const RESEND_AFTER_MS = 5000;
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (event.defaultPrevented || form.method !== "post") return;
  const sentAt = Number(form.dataset.sentAt || 0);
  if (Date.now() - sentAt < RESEND_AFTER_MS) {
    event.preventDefault();
    return;
  }
  form.dataset.sentAt = String(Date.now());
});
// Back to a page from the browser's history: its forms may be sent again at once.
window.addEventListener("pageshow", () => {
  document.querySelectorAll("form[data-sent-at]").forEach((form) => delete form.dataset.sentAt);
});

// A page sent back with errors: the first field to correct gets the focus, and is scrolled to,
// wherever it is on a long page (a follow-up form below a fiche action's table, for instance).
document.addEventListener("DOMContentLoaded", () => {
  const flagged = document.querySelector("form .is-invalid, form .invalid-feedback, form .alert-danger");
  if (!flagged) return;
  const form = flagged.closest("form");
  const field = flagged.matches("input, select, textarea")
    ? flagged
    : form.querySelector(".is-invalid") || form.querySelector("input:not([type=hidden]), select, textarea");
  flagged.scrollIntoView({ block: "center" });
  if (field) field.focus({ preventScroll: true });
});

// Back on the page after a login, what its form sent once the session had ended (unsent_forms.py)
// is put back in the form, unsaved: the user checks it, then saves. Its hidden fields come back
// too, so that a text saved by someone else meanwhile is still refused as a conflict. When no form
// of the page takes it any more, its texts are shown, to be copied.
const UNSENT_FORM_BACK = "Ce que vous aviez saisi avant la fin de votre session a été remis dans ce formulaire. Il n'est pas encore enregistré : vérifiez-le, puis enregistrez.";
const UNSENT_FILES = " Le fichier joint est à choisir de nouveau.";
const UNSENT_FORM_GONE = "Ce que vous aviez saisi avant la fin de votre session n'a pas été enregistré, et le formulaire n'est plus sur cette page. Le voici, pour le copier :";

function notice(text, before) {
  const box = document.createElement("div");
  box.className = "alert alert-warning";
  box.setAttribute("role", "status");
  box.textContent = text;
  before.parentNode.insertBefore(box, before);
  return box;
}

function putBack(form, fields) {
  form.querySelectorAll("input[type=checkbox], input[type=radio]").forEach((box) => {
    box.checked = (fields[box.name] || []).includes(box.value);
  });
  Object.entries(fields).forEach(([name, values]) => {
    form.querySelectorAll(`[name="${CSS.escape(name)}"]`).forEach((field, index) => {
      if (field.type === "checkbox" || field.type === "radio" || field.type === "file") return;
      if (field.multiple) {
        Array.from(field.options).forEach((option) => { option.selected = values.includes(option.value); });
      } else if (index < values.length) {
        field.value = values[index];
      }
      field.dispatchEvent(new Event("input", { bubbles: true }));
    });
  });
}

document.addEventListener("DOMContentLoaded", () => {
  const kept = document.getElementById("unsent-form");
  if (!kept) return;
  const { action, fields, files } = JSON.parse(kept.textContent);
  const form = Array.from(document.querySelectorAll("form")).find(
    (candidate) => candidate.method === "post" && new URL(candidate.action, window.location.href).pathname === action,
  );
  if (form) {
    putBack(form, fields);
    notice(UNSENT_FORM_BACK + (files ? UNSENT_FILES : ""), form).scrollIntoView({ block: "center" });
    return;
  }
  const main = document.getElementById("contenu");
  const box = notice(UNSENT_FORM_GONE, main.firstChild);
  Object.values(fields).flat().filter((value) => value.trim() && !/^\d+$/.test(value)).forEach((value) => {
    const text = document.createElement("pre");
    text.className = "unsent-text";
    text.textContent = value;
    box.appendChild(text);
  });
});

// An in-page change (htmx) that replaces or removes the element holding the focus (a row's
// "Supprimer" button, the add form sent back with its errors) would leave the focus on the page's
// body: keyboard and screen reader users would start again from the top. The focus goes to the
// first field to correct, or else to the heading of the section that changed. What was done
// (data-done-message on the element that sent the request) is announced in the status region.
const swaps = new WeakMap();
document.addEventListener("htmx:beforeSwap", (event) => {
  const { requestConfig, target, xhr } = event.detail;
  if (!event.detail.shouldSwap || !target || !requestConfig) return;
  const sender = requestConfig.elt;
  const focused = document.activeElement;
  swaps.set(xhr, {
    targetId: target.id,
    section: target.closest("section"),
    focusInside: !!focused && focused !== document.body && target.contains(focused),
    message: (sender && sender.dataset && sender.dataset.doneMessage) || "",
  });
});

document.addEventListener("htmx:afterRequest", (event) => {
  const swap = swaps.get(event.detail.xhr);
  if (!swap || !event.detail.successful) return;
  swaps.delete(event.detail.xhr);
  const replaced = swap.targetId ? document.getElementById(swap.targetId) : null;
  // aria-invalid, not Bootstrap's is-invalid: htmx settles the class attribute a moment later.
  const invalid = replaced && replaced.querySelector("[aria-invalid=true]");
  const focusLost = !document.activeElement || document.activeElement === document.body;
  if (invalid) {
    if (focusLost || swap.focusInside) invalid.focus();
    return;
  }
  if (swap.message) announce(swap.message);
  if (focusLost && swap.focusInside && swap.section) {
    const heading = swap.section.querySelector("h1, h2, h3, h4, h5, h6");
    if (heading) {
      heading.tabIndex = -1;
      heading.focus();
    }
  }
});

function announce(message) {
  const region = document.getElementById("request-status");
  if (!region) return;
  // Emptied first: the same message twice in a row (two rows added) is announced twice.
  region.textContent = "";
  window.setTimeout(() => { region.textContent = message; }, 100);
}
