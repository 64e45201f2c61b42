// A batch's card, with one-tap rating (customers) or scoring (tasters).
import { $, el, call, enc, stars } from "./api.js";
import { session } from "./auth.js";

let current = null;

function summaryText(card) {
  const r = card.customerRatings, t = card.tasters;
  const rated = r.count ? `${r.count} ${r.count === 1 ? "rating" : "ratings"}, average ${r.averageStars.toFixed(2)} stars` : "no ratings yet";
  const tasted = t.count ? `tasters' median ${t.median} of 10 (${t.count} ${t.count === 1 ? "score" : "scores"})` : "no taster scores yet";
  return `${rated}; ${tasted}.`;
}

function choices(container, values, pressed, label, onChoose) {
  container.replaceChildren(...values.map((v) => {
    const button = el("button", { type: "button", textContent: String(v), ariaLabel: label(v), dataset: { value: String(v) } });
    button.setAttribute("aria-pressed", String(v === pressed));
    button.addEventListener("click", () => onChoose(v));
    return button;
  }));
}

async function mine(path) {
  try { return await call(path); } catch (e) { if (e.status === 404) return null; throw e; }
}

export async function showCard(batchId, say) {
  const card = await call("/batches/" + enc(batchId));
  current = batchId;
  const b = card.batch;
  $("batch-heading").textContent = "Batch " + b.batchId;
  $("card-summary").textContent = summaryText(card);
  const facts = [
    ["Colour", b.colour], ["Predicted class", b.prediction ? `${b.prediction.predictedClass} (model v${b.prediction.modelVersion})` : "not predicted yet"],
    ["Warehouse", b.warehouseId], ["Samples", String(b.samples)], ["Last sampled", new Date(b.lastSampledAt).toLocaleString()],
  ];
  $("card").replaceChildren(...facts.flatMap(([k, v]) => [el("dt", { textContent: k }), el("dd", { textContent: v })]));
  $("measurements").tBodies[0].replaceChildren(...b.measurements.map((m) => el("tr", {},
    el("th", { scope: "row", textContent: m.field }), el("td", { textContent: `${m.mean.toPrecision(3)} ${m.unit}` }),
    el("td", { textContent: `${m.min.toPrecision(3)}–${m.max.toPrecision(3)}` }))));
  const who = session();
  $("rate").hidden = who?.role !== "customer";
  $("score").hidden = who?.role !== "taster";
  if (who?.role === "customer") {
    const rating = await mine(`/customers/${enc(who.subject)}/ratings/${enc(batchId)}`);
    $("my-rating").textContent = rating ? `You gave it ${stars(rating.stars)}. Tap to change.` : "Tap the stars to rate.";
    $("rate-note").value = rating?.note || "";
    choices($("star-buttons"), [1, 2, 3, 4, 5], rating?.stars, stars, (v) => act(say, "/ratings", { stars: v, note: $("rate-note").value || null }, `Rated ${stars(v)}.`));
  }
  if (who?.role === "taster") {
    const score = await mine(`/tasters/${enc(who.subject)}/scores/${enc(batchId)}`);
    $("my-score").textContent = score ? `You scored it ${score.score} of 10. Tap to change.` : "Tap a score to post it.";
    $("score-note").value = score?.note || "";
    choices($("score-buttons"), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], score?.score, (v) => `Score ${v} of 10`,
      (v) => act(say, "/taster-scores", { score: v, note: $("score-note").value || null }, `Scored ${v} of 10.`));
  }
}

async function act(say, path, payload, done) {
  const batchId = current;
  try {
    await call(`/batches/${enc(batchId)}${path}`, "POST", payload);
    await showCard(batchId, say);
    say(done);
  } catch (e) { say(e.message, true); }
}
