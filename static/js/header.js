/* The header's menu on a phone (≤ 600 px: the links fold into a panel). Without scripts a
 * checkbox and its label open the panel; here the real button takes their place: it says whether
 * the panel is open (aria-expanded), Escape closes it and gives the focus back to the button, a
 * tap outside closes it. On wider screens the links stand in the header and the button is not
 * shown. An ES module, on every page (base.html). Plain ES2017 (no ?. or ??).
 */
const header = document.getElementById("topbar");
const button = document.getElementById("menu-button");
const panel = document.getElementById("main-menu");

function setOpen(open) {
  header.classList.toggle("menu-open", open);
  button.setAttribute("aria-expanded", open ? "true" : "false");
}

function isOpen() {
  return header.classList.contains("menu-open");
}

if (header && button && panel) {
  const toggle = document.getElementById("menu-toggle");
  const label = header.querySelector("label.menu-label");
  if (toggle) toggle.remove();
  if (label) label.remove();
  button.hidden = false;
  header.classList.add("menu-js");
  setOpen(false);
  button.addEventListener("click", function () {
    setOpen(!isOpen());
  });
  document.addEventListener("keydown", function (event) {
    if ((event.key === "Escape" || event.key === "Esc") && isOpen()) {
      setOpen(false);
      button.focus();
    }
  });
  document.addEventListener("click", function (event) {
    if (isOpen() && !header.contains(event.target)) setOpen(false);
  });
  // Back from the back-forward cache: the page shows as it was left, menu open included. Only
  // then: a first load's pageshow comes after `load`, and would shut a menu already tapped open.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) setOpen(false);
  });
}
