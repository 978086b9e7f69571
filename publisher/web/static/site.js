// Small progressive enhancements; every page works without this script.
"use strict";
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", () => {
  // Picking a city in the map's list shows its map at once (the button stays for no-JS use).
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    select.addEventListener("change", () => select.form.requestSubmit());
  }
  // Hovering a partner on the map brings it and its label to the front.
  for (const point of document.querySelectorAll("svg.map a.point")) {
    point.addEventListener("mouseenter", () => point.parentNode.appendChild(point));
  }
  document.body.dataset.enhanced = "true";
});
