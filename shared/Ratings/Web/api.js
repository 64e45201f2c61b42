// The /api/v1 calls the page makes, with the signed-in person's token, and a small DOM helper.
import { session, signOut } from "./auth.js";

export const $ = (id) => document.getElementById(id);

// el("li", { className: "x", dataset: { batch: "B-1" } }, "text", child…)
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  const { dataset, ...rest } = props;
  Object.assign(node, rest);
  Object.assign(node.dataset, dataset || {});
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

export async function call(path, method = "GET", payload = undefined) {
  const who = session();
  const headers = { "Accept": "application/json" };
  if (who) headers["Authorization"] = "Bearer " + who.token;
  if (payload !== undefined) {
    headers["Content-Type"] = "application/json";
    // One key per tap, so a retried request is not counted twice.
    if (method === "POST") headers["Idempotency-Key"] = crypto.randomUUID();
  }
  const response = await fetch("/api/v1" + path, { method, headers, body: payload === undefined ? undefined : JSON.stringify(payload) });
  const body = response.status === 204 ? null : await response.json().catch(() => null);
  if (response.status === 401) { signOut(); throw new Error("Your sign-in has expired: sign in again."); }
  if (!response.ok) {
    const problem = body || {};
    const error = new Error((problem.title || response.statusText) + (problem.detail ? ": " + problem.detail : ""));
    error.status = response.status;
    throw error;
  }
  return body;
}

// Every page of a cursor-paged list (my ratings, my scores).
export async function all(path, field) {
  const items = [];
  let cursor = null;
  do {
    const page = await call(path + "?limit=200" + (cursor ? "&cursor=" + encodeURIComponent(cursor) : ""));
    items.push(...page[field]);
    cursor = page.next;
  } while (cursor);
  return items;
}

export const enc = encodeURIComponent;
export const stars = (n) => n + (n === 1 ? " star" : " stars");
export const describe = (colour, predictedClass) => `${colour} · ${predictedClass ? predictedClass : "not classed yet"}`;
export const when = (iso) => new Date(iso).toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" });
