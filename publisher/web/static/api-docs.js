// Starts the vendored Swagger UI on /-/docs. A file, not an inline script: the page's
// Content-Security-Policy allows scripts of this origin only.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.openapi,
    domNode: root,
    deepLinking: true,
    layout: "BaseLayout",
    presets: [SwaggerUIBundle.presets.apis],
    // Its default sends our OpenAPI document to a validator on another site.
    validatorUrl: null,
  });
});
