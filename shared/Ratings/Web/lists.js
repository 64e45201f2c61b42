// The signed-in lists: a customer's ratings and recommendations, a taster's awaiting batches and scores.
import { $, el, call, all, enc, stars, describe, when } from "./api.js";

const batchLink = (batchId) => el("a", { href: "#batch/" + enc(batchId), className: "title", textContent: "Batch " + batchId });
const empty = (list, text) => list.replaceChildren(el("li", { className: "empty", textContent: text }));

function withdrawButton(what, onWithdraw) {
  const button = el("button", { type: "button", className: "quiet withdraw", textContent: "Withdraw" });
  button.setAttribute("aria-label", "Withdraw " + what);
  button.addEventListener("click", onWithdraw);
  return button;
}

export async function showMyRatings(who, say) {
  const ratings = await all(`/customers/${enc(who.subject)}/ratings`, "ratings");
  const list = $("my-ratings");
  if (!ratings.length) { empty(list, "You have not rated a batch yet."); return; }
  list.replaceChildren(...ratings.map((r) => {
    const path = `/customers/${enc(who.subject)}/ratings/${enc(r.batchId)}`;
    const change = el("div", { className: "choices stars" }, ...[1, 2, 3, 4, 5].map((v) => {
      const button = el("button", { type: "button", textContent: String(v), dataset: { value: String(v) } });
      button.setAttribute("aria-label", `Change your rating of ${r.batchId} to ${stars(v)}`);
      button.setAttribute("aria-pressed", String(v === r.stars));
      button.addEventListener("click", () => run(say, () => call(path, "PUT", { stars: v, note: r.note }), `Rating of ${r.batchId} changed to ${stars(v)}.`,
        () => showMyRatings(who, say)));
      return button;
    }));
    return el("li", { dataset: { batch: r.batchId } }, batchLink(r.batchId),
      el("p", { className: "value", textContent: `${stars(r.stars)} · ${when(r.ratedAt)}` }),
      r.note ? el("p", { className: "note", textContent: r.note }) : null,
      change, withdrawButton(`your rating of ${r.batchId}`, () => run(say, () => call(path, "DELETE"), `Rating of ${r.batchId} withdrawn.`, () => showMyRatings(who, say))));
  }));
}

export async function showRecommendations(who, position) {
  const where = position ? `&lat=${position.lat}&lon=${position.lon}` : "";
  const answer = await call(`/customers/${enc(who.subject)}/recommendations?limit=10${where}`);
  const list = $("recommendations");
  if (!answer.batches.length) { empty(list, "Rate a batch 4 or 5 stars to get recommendations."); return; }
  list.replaceChildren(...answer.batches.map((r) => {
    const o = r.offer;
    const offer = !o ? "Not in stock at any distributor."
      : `${o.name}, ${o.city || "unknown city"} · ${o.distanceKm == null ? "distance unknown: use your location" : o.distanceKm.toFixed(1) + " km away"}` +
        ` · ${o.bottles} bottles at €${o.priceEur.toFixed(2)}`;
    return el("li", { dataset: { batch: r.batchId } }, batchLink(r.batchId),
      el("p", { className: "value", textContent: `${describe(r.colour, r.predictedClass)} · like ${r.similarTo}` }),
      el("p", { className: "offer", textContent: offer }));
  }));
}

// The catalogue minus what this taster already scored.
export async function showAwaiting(who) {
  const scored = new Set((await all(`/tasters/${enc(who.subject)}/scores`, "scores")).map((s) => s.batchId));
  const batches = [];
  for (let offset = 0; ; offset += 200) {
    const page = await call(`/batches?limit=200&offset=${offset}`);
    batches.push(...page.batches);
    if (page.batches.length < page.limit) break;
  }
  const awaiting = batches.filter((b) => !scored.has(b.batchId));
  const list = $("awaiting");
  if (!awaiting.length) { empty(list, "Nothing awaits your score."); return; }
  list.replaceChildren(...awaiting.map((b) => el("li", { dataset: { batch: b.batchId } }, batchLink(b.batchId),
    el("p", { className: "value", textContent: describe(b.colour, b.predictedClass) }))));
}

export async function showMyScores(who, say) {
  const scores = await all(`/tasters/${enc(who.subject)}/scores`, "scores");
  const list = $("my-scores");
  if (!scores.length) { empty(list, "You have not scored a batch yet."); return; }
  list.replaceChildren(...scores.map((s) => el("li", { dataset: { batch: s.batchId } }, batchLink(s.batchId),
    el("p", { className: "value", textContent: `${s.score} of 10 · ${when(s.scoredAt)}` }),
    s.note ? el("p", { className: "note", textContent: s.note }) : null,
    withdrawButton(`your score of ${s.batchId}`, () => run(say, () => call(`/tasters/${enc(who.subject)}/scores/${enc(s.batchId)}`, "DELETE"),
      `Score of ${s.batchId} withdrawn.`, () => showMyScores(who, say))))));
}

async function run(say, action, done, refresh) {
  try {
    await action();
    await refresh();
    say(done);
  } catch (e) { say(e.message, true); }
}
