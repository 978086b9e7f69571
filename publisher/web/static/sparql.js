// The SPARQL query page: runs the query with fetch() against this endpoint only,
// shows bindings as a table (graphs as text), keeps download links in step with the editor.
(function () {
  "use strict";
  const page = document.getElementById("sparql-page");
  if (!page) return;
  const endpoint = page.dataset.endpoint;
  const form = document.getElementById("query-form");
  const editor = document.getElementById("query");
  const timeout = document.getElementById("timeout");
  const status = document.getElementById("status");
  const results = document.getElementById("results");

  function params(extra) {
    const p = new URLSearchParams();
    p.set("query", editor.value);
    if (timeout.value) p.set("timeout", timeout.value);
    for (const [k, v] of Object.entries(extra || {})) p.set(k, v);
    return p;
  }

  function refreshDownloads() {
    for (const a of document.querySelectorAll("#downloads a[data-format]")) {
      a.href = endpoint + "?" + params({ format: a.dataset.format }).toString();
    }
  }

  function cell(term) {
    const td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri") {
      const a = document.createElement("a");
      a.href = term.value;
      a.textContent = term.value;
      td.appendChild(a);
    } else {
      let text = term.type === "bnode" ? "_:" + term.value : term.value;
      if (term["xml:lang"]) text += " @" + term["xml:lang"];
      td.textContent = text;
      if (term.datatype) td.title = term.datatype;
    }
    return td;
  }

  function showBindings(data) {
    results.replaceChildren();
    if (typeof data.boolean === "boolean") {
      results.textContent = String(data.boolean);
      return;
    }
    const vars = data.head.vars;
    const table = document.createElement("table");
    const head = table.createTHead().insertRow();
    for (const v of vars) {
      const th = document.createElement("th");
      th.textContent = "?" + v;
      head.appendChild(th);
    }
    const body = table.createTBody();
    for (const row of data.results.bindings) {
      const tr = body.insertRow();
      for (const v of vars) tr.appendChild(cell(row[v]));
    }
    results.appendChild(table);
  }

  async function run(event) {
    event.preventDefault();
    status.className = "";
    status.textContent = "…";
    const started = performance.now();
    try {
      const response = await fetch(endpoint, {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          Accept: "application/sparql-results+json, text/turtle;q=0.9",
        },
        body: params().toString(),
      });
      const type = response.headers.get("Content-Type") || "";
      const text = await response.text();
      if (!response.ok) {
        status.className = "error";
        // Errors come as {"status", "error", "message"} to a client that asked for JSON.
        status.textContent = type.includes("json")
          ? response.status + " " + JSON.parse(text).message
          : text;
        results.replaceChildren();
        return;
      }
      if (type.includes("json")) {
        const data = JSON.parse(text);
        showBindings(data);
        const rows = data.results ? data.results.bindings.length : 1;
        status.textContent = rows + " · " + Math.round(performance.now() - started) + " ms";
      } else {
        const pre = document.createElement("pre");
        pre.textContent = text;
        results.replaceChildren(pre);
        status.textContent = Math.round(performance.now() - started) + " ms";
      }
      if (response.headers.get("AICT-Result-Truncated") === "true") {
        status.textContent += " — truncated at " + response.headers.get("AICT-Result-Limit");
      }
    } catch (err) {
      status.className = "error";
      status.textContent = String(err);
    }
  }

  document.getElementById("prefix-select").addEventListener("change", function () {
    if (this.value && !editor.value.includes(this.value)) {
      editor.value = this.value + "\n" + editor.value;
      refreshDownloads();
    }
    this.value = "";
  });
  for (const button of document.querySelectorAll("button.example")) {
    button.addEventListener("click", function () {
      const template = document.getElementById(this.dataset.queryId);
      editor.value = template.content.textContent.trim() + "\n";
      refreshDownloads();
      editor.focus();
    });
  }
  editor.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) form.requestSubmit();
  });
  editor.addEventListener("input", refreshDownloads);
  timeout.addEventListener("input", refreshDownloads);
  form.addEventListener("submit", run);
  // A link /sparql#query=<text> opens the page with that query and runs it; the editor
  // keeps the hash in step so that the address bar is always a permalink.
  function permalink() {
    history.replaceState(null, "", "#" + new URLSearchParams({ query: editor.value }).toString());
  }
  form.addEventListener("submit", permalink);
  const shared = new URLSearchParams(location.hash.slice(1)).get("query");
  if (shared) {
    editor.value = shared;
    form.requestSubmit();
  }
  refreshDownloads();
})();
