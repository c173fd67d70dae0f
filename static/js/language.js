// The header's language switch: with JavaScript, choosing a language applies it at once and the
// "Change language" button is not needed; without JavaScript the button submits the form.
document.addEventListener("DOMContentLoaded", () => {
  for (const select of document.querySelectorAll("[data-language-select]")) {
    const form = select.form;
    const button = form.querySelector("[data-language-submit]");
    if (button) button.hidden = true;
    select.addEventListener("change", () => form.requestSubmit());
  }
});
