// The ratings page: plain JavaScript modules over the same /api/v1 the mobile apps call.
// Views are sections picked by the address's hash (#batches, #batch/ID, #mine, …), so the back button works.
import { loadConfig, session, signOut, devSignIn, oidcSignIn, completeOidc } from "./auth.js";
import { $, el, call, enc, describe } from "./api.js";
import { showCard } from "./card.js";
import { showMyRatings, showRecommendations, showAwaiting, showMyScores } from "./lists.js";

const pageSize = 12;
let config = { signIn: "none" };
let offset = 0;
let listView = "batches";
let position = null;

function say(text, isError) {
  $("status").textContent = text;
  $("status").className = isError ? "error" : "";
}

function showIdentity() {
  const who = session();
  $("who").textContent = who ? `${who.subject} (${who.role})` : "Not signed in";
  $("sign-out").hidden = !who;
  $("sign-in").hidden = !!who;
  // Signed out there is one view only: no tabs.
  $("tabs").hidden = !who;
  for (const item of document.querySelectorAll("#tabs li[data-role]")) item.hidden = item.dataset.role !== who?.role;
  const text = { development: "Development: sign in with one click.", oidc: "Sign in with your account to rate batches.",
    none: "Signing in is not set up here: you can browse the batches." }[config.signIn];
  $("sign-in-text").textContent = text;
  $("dev-customer").hidden = $("dev-taster").hidden = config.signIn !== "development";
  $("oidc-sign-in").hidden = config.signIn !== "oidc";
}

function summaryOf(b) {
  const rated = b.ratings ? `★ ${b.averageStars.toFixed(2)} (${b.ratings})` : "no ratings yet";
  return `${describe(b.colour, b.predictedClass)} · ${rated}`;
}

async function loadBatches(append) {
  offset = append ? offset + pageSize : 0;
  const query = new URLSearchParams({ limit: String(pageSize), offset: String(offset) });
  for (const name of ["colour", "predictedClass", "minStars"]) if ($(name).value) query.set(name, $(name).value);
  const page = await call("/batches?" + query.toString());
  const items = page.batches.map((b) => el("li", { dataset: { batch: b.batchId } },
    el("a", { href: "#batch/" + enc(b.batchId), className: "title", textContent: "Batch " + b.batchId }),
    el("p", { className: "value", textContent: summaryOf(b) })));
  if (append) $("batch-list").append(...items);
  else $("batch-list").replaceChildren(...(items.length ? items : [el("li", { className: "empty", textContent: "No batches match." })]));
  $("more").hidden = page.batches.length < pageSize;
}

const views = {
  batches: () => loadBatches(false),
  mine: (who) => showMyRatings(who, say),
  "for-you": (who) => showRecommendations(who, position),
  "to-score": (who) => showAwaiting(who),
  scores: (who) => showMyScores(who, say),
};

async function route() {
  const [name, ...rest] = location.hash.slice(1).split("/");
  const who = session();
  const view = name === "batch" && rest.length ? "batch" : views[name] && (name === "batches" || who) ? name : "batches";
  for (const section of document.querySelectorAll("main .view")) section.hidden = section.id !== view;
  for (const link of document.querySelectorAll("#tabs a")) {
    if (link.dataset.view === (view === "batch" ? listView : view)) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  showIdentity();
  try {
    if (view === "batch") {
      $("back").href = "#" + listView;
      await showCard(decodeURIComponent(rest.join("/")), say);
    } else {
      listView = view;
      await views[view](who);
    }
    const heading = $(view === "batch" ? "batch-heading" : view + "-heading");
    if (location.hash) heading.focus();
  } catch (e) { say(e.message, true); }
}

// Shows a view: the hashchange routes, unless the address is already there.
const go = (hash) => (location.hash === hash ? route() : (location.hash = hash));

async function signIn(action) {
  try {
    await action();
    say("Signed in as " + session().subject + ".");
    await go("#batches");
  } catch (e) { say(e.message, true); }
}

document.addEventListener("DOMContentLoaded", async () => {
  try {
    config = await loadConfig();
    if (config.signIn === "oidc" && await completeOidc(config)) say("Signed in as " + session().subject + ".");
  } catch (e) { say(e.message, true); }
  $("dev-customer").addEventListener("click", () => signIn(() => devSignIn("customer")));
  $("dev-taster").addEventListener("click", () => signIn(() => devSignIn("taster")));
  $("oidc-sign-in").addEventListener("click", () => oidcSignIn(config).catch((e) => say(e.message, true)));
  $("sign-out").addEventListener("click", () => { signOut(); say("Signed out."); go("#batches"); });
  $("filters").addEventListener("change", () => loadBatches(false).catch((e) => say(e.message, true)));
  $("filters").addEventListener("submit", (e) => e.preventDefault());
  $("more").addEventListener("click", () => loadBatches(true).catch((e) => say(e.message, true)));
  $("locate").addEventListener("click", () => {
    if (!navigator.geolocation) { say("This browser cannot tell where you are.", true); return; }
    say("Asking for your location…");
    navigator.geolocation.getCurrentPosition(
      (p) => { position = { lat: p.coords.latitude, lon: p.coords.longitude }; say("Distances are from your location."); route(); },
      () => say("No location: distances stay unknown.", true));
  });
  window.addEventListener("hashchange", route);
  await route();
});
