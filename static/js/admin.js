/* The back office: accessible names and list structure for the widgets Django's admin builds
   in the browser (select2 autocompletes, the filter boxes of filter_horizontal). Applied when
   the widgets appear and again each time they redraw (a choice added, an inline row added). */
(function () {
  "use strict";

  function labelOf(field) {
    if (!field.id) return null;
    const label = document.querySelector(`label[for="${CSS.escape(field.id)}"]`);
    if (label && !label.id) label.id = `${field.id}-label`;
    return label;
  }

  function setAttr(element, name, value) {
    if (element && element.getAttribute(name) !== value) element.setAttribute(name, value);
  }

  // select2 names its combobox after the chosen value only (nothing when empty) and leaves its
  // search box unnamed: both get the field's own label; the value stays part of the name.
  function fixAutocomplete(select) {
    const container = select.nextElementSibling;
    if (!container || !container.classList.contains("select2-container")) return;
    const label = labelOf(select);
    if (!label) return;
    const selection = container.querySelector(".select2-selection");
    const rendered = container.querySelector(".select2-selection--single .select2-selection__rendered[id]");
    setAttr(selection, "aria-labelledby", rendered ? `${label.id} ${rendered.id}` : label.id);
    if (rendered && rendered.getAttribute("role") === "textbox") {
      // Only the text of the chosen value, inside the combobox: not a field of its own.
      rendered.removeAttribute("role");
      rendered.removeAttribute("aria-readonly");
    }
    setAttr(container.querySelector(".select2-search__field"), "aria-labelledby", label.id);
    // The "remove all" cross sits straight in the list of choices; a list holds list items.
    const list = container.querySelector("ul.select2-selection__rendered");
    if (list) {
      for (const child of Array.from(list.children)) {
        if (child.tagName !== "LI") {
          const item = document.createElement("li");
          item.className = "select2-selection__clear-item";
          list.insertBefore(item, child);
          item.appendChild(child);
        }
      }
    }
  }

  function fixAll() {
    document.querySelectorAll("select.admin-autocomplete").forEach(fixAutocomplete);
    // The filter boxes' magnifier carries its hint as aria-label, allowed on an image only.
    document.querySelectorAll(".help-tooltip[aria-label]:not([role])").forEach((icon) => {
      icon.setAttribute("role", "img");
    });
  }

  // Called once per batch of changes; fixAll changes nothing the second time, so it settles.
  const observer = new MutationObserver(fixAll);

  function start() {
    fixAll();
    observer.observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
