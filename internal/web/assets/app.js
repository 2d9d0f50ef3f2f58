// talentdb web app: the little interactivity the pages need, without inline handlers
// (the pages carry a strict Content-Security-Policy).
(function () {
  "use strict";

  // A form marked data-progress shows its progress indicator while it is submitted and
  // cannot be sent twice.
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (!(form instanceof HTMLFormElement)) return;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      ev.preventDefault();
      return;
    }
    if (!form.hasAttribute("data-progress")) return;
    if (form.getAttribute("aria-busy") === "true") {
      ev.preventDefault();
      return;
    }
    form.setAttribute("aria-busy", "true");
    var progress = form.querySelector(".progress");
    if (progress) progress.hidden = false;
    // disable the buttons after the submission has taken their values
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    }, 0);
  }, true);

  // Coming back to a page from the cache: forms are usable again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[aria-busy=true]").forEach(function (form) {
      form.removeAttribute("aria-busy");
      var progress = form.querySelector(".progress");
      if (progress) progress.hidden = true;
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = false; });
    });
  });

  // A page shown again with errors: move the focus to the first invalid field.
  document.addEventListener("DOMContentLoaded", function () {
    var bad = document.querySelector("[aria-invalid=true]");
    if (bad) {
      var details = bad.closest("details");
      if (details) details.open = true;
      bad.focus();
    }
  });

  // A message about the whole form, or the confirmation after a save: once the page has
  // loaded (and the browser has scrolled to the address's #fragment), bring it into view
  // and give it the focus so screen readers read it.
  window.addEventListener("load", function () {
    if (document.querySelector("[aria-invalid=true]")) return;
    var msg = document.querySelector(".form-error[role=alert]") || document.querySelector(".flash");
    if (!msg) return;
    var open = msg.closest("details");
    if (open) open.open = true;
    if (!msg.hasAttribute("tabindex")) msg.setAttribute("tabindex", "-1");
    window.requestAnimationFrame(function () {
      msg.focus({ preventScroll: true });
      msg.scrollIntoView({ block: "center" });
    });
  });
})();
