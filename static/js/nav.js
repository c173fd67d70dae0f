// The header's menu button on narrow screens: it shows and hides the navigation, as Bootstrap's
// collapse plugin did, without loading Bootstrap's whole script bundle for this one job.
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-nav-toggle]")) {
    const menu = document.getElementById(button.getAttribute("aria-controls"));
    if (!menu) continue;
    button.addEventListener("click", () => {
      const open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", String(open));
      menu.classList.toggle("show", open);
    });
  }
});
