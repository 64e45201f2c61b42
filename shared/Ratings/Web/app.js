// The ratings page: plain JavaScript over the same /api/v1 the mobile apps call.
"use strict";
const api = "/api/v1";
const $ = (id) => document.getElementById(id);
let token = sessionStorage.getItem("wine-token") || "";
let currentBatch = null;

function claims(jwt) {
  try {
    const part = jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(atob(part.padEnd(part.length + (4 - part.length % 4) % 4, "=")));
  } catch { return null; }
}

function say(text, isError) {
  $("status").textContent = text;
  $("status").className = isError ? "error" : "";
}

async function call(path, options = {}) {
  const headers = Object.assign({ "Accept": "application/json" }, options.headers || {});
  if (token) headers["Authorization"] = "Bearer " + token;
  const response = await fetch(api + path, Object.assign({}, options, { headers }));
  const body = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) {
    const problem = body || {};
    const details = problem.errors ? " " + Object.values(problem.errors).flat().join(" ") : "";
    throw new Error((problem.title || response.statusText) + (problem.detail ? ": " + problem.detail : "") + details);
  }
  return body;
}

function showIdentity() {
  const c = token ? claims(token) : null;
  $("who").textContent = c ? `Signed in as ${c.sub} (${c.role}).` : "Not signed in.";
  $("rate-form").hidden = !(c && c.role === "customer");
  $("score-form").hidden = !(c && c.role === "taster");
}

function cell(row, text) { const td = document.createElement("td"); td.textContent = text; row.appendChild(td); return td; }

async function loadCatalogue() {
  const query = new URLSearchParams();
  for (const name of ["colour", "predictedClass", "minStars"]) if ($(name).value) query.set(name, $(name).value);
  try {
    const page = await call("/batches?" + query.toString());
    const body = $("catalogue").querySelector("tbody");
    body.replaceChildren();
    for (const b of page.batches) {
      const row = document.createElement("tr");
      const link = document.createElement("a");
      link.href = "#batch=" + encodeURIComponent(b.batchId);
      link.textContent = b.batchId;
      link.dataset.batch = b.batchId;
      link.addEventListener("click", (e) => { e.preventDefault(); openBatch(b.batchId); });
      cell(row, "").appendChild(link);
      cell(row, b.colour);
      cell(row, b.predictedClass ? `${b.predictedClass} (model v${b.modelVersion})` : "not predicted yet");
      cell(row, String(b.ratings));
      cell(row, b.averageStars == null ? "—" : b.averageStars.toFixed(2));
      body.appendChild(row);
    }
    say(page.batches.length ? `${page.batches.length} batches.` : "No batches match.");
  } catch (e) { say(e.message, true); }
}

function summaryText(card) {
  const r = card.customerRatings, t = card.tasters;
  const stars = r.count ? `${r.count} ratings, average ${r.averageStars.toFixed(2)} stars` : "no ratings yet";
  const tasters = t.count ? `tasters' median ${t.median} of 10 (${t.count} scores)` : "no taster scores yet";
  return `${stars}; ${tasters}.`;
}

async function openBatch(batchId) {
  try {
    const card = await call("/batches/" + encodeURIComponent(batchId));
    currentBatch = batchId;
    const b = card.batch;
    $("batch").hidden = false;
    $("batch-heading").textContent = "Batch " + b.batchId;
    const facts = [
      ["Colour", b.colour], ["Warehouse", b.warehouseId], ["Samples", String(b.samples)],
      ["First sampled", new Date(b.firstSampledAt).toISOString()], ["Last sampled", new Date(b.lastSampledAt).toISOString()],
      ["Predicted class", b.prediction ? `${b.prediction.predictedClass} (model v${b.prediction.modelVersion})` : "not predicted yet"],
    ];
    $("card").replaceChildren(...facts.flatMap(([k, v]) => {
      const dt = document.createElement("dt"); dt.textContent = k;
      const dd = document.createElement("dd"); dd.textContent = v;
      return [dt, dd];
    }));
    $("card-summary").textContent = summaryText(card);
    const body = $("measurements").querySelector("tbody");
    body.replaceChildren();
    for (const m of b.measurements) {
      const row = document.createElement("tr");
      cell(row, m.field); cell(row, m.mean.toPrecision(4)); cell(row, m.min.toPrecision(4)); cell(row, m.max.toPrecision(4)); cell(row, m.unit);
      body.appendChild(row);
    }
    showIdentity();
    $("batch-heading").focus();
  } catch (e) { say(e.message, true); }
}

async function post(path, payload) {
  return call(path, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Idempotency-Key": crypto.randomUUID() },
    body: JSON.stringify(payload),
  });
}

document.addEventListener("DOMContentLoaded", () => {
  $("token").value = token;
  showIdentity();
  $("sign-in-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const candidate = $("token").value.trim();
    if (!claims(candidate)) { say("That is not a token.", true); return; }
    token = candidate;
    sessionStorage.setItem("wine-token", token);
    showIdentity();
    say("Signed in.");
  });
  $("sign-out").addEventListener("click", () => { token = ""; sessionStorage.removeItem("wine-token"); $("token").value = ""; showIdentity(); say("Signed out."); });
  $("filters").addEventListener("submit", (e) => { e.preventDefault(); loadCatalogue(); });
  $("rate-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const chosen = document.querySelector("input[name=stars]:checked");
    if (!chosen) { say("Choose 1 to 5 stars.", true); return; }
    try {
      await post(`/batches/${encodeURIComponent(currentBatch)}/ratings`, { stars: Number(chosen.value), note: $("rate-note").value || null });
      say("Thank you: your rating is stored.");
      await openBatch(currentBatch);
    } catch (err) { say(err.message, true); }
  });
  $("score-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      await post(`/batches/${encodeURIComponent(currentBatch)}/taster-scores`, { score: Number($("score").value), note: $("score-note").value || null });
      say("Score stored.");
      await openBatch(currentBatch);
    } catch (err) { say(err.message, true); }
  });
  $("batch-heading").tabIndex = -1;
  loadCatalogue();
});
