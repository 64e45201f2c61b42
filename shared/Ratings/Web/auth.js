// Sign-in for the page: one click as a developer under wine up, else the OpenID Connect
// authority with the authorization code flow and PKCE (S256). The token lives in sessionStorage only.
const tokenKey = "wine-token";
const pendingKey = "wine-oidc-pending";

export async function loadConfig() {
  const response = await fetch("/web/config.json", { headers: { "Accept": "application/json" } });
  if (!response.ok) throw new Error("The page's settings could not be read.");
  return response.json();
}

function claims(jwt) {
  try {
    const part = jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(atob(part.padEnd(part.length + (4 - part.length % 4) % 4, "=")));
  } catch { return null; }
}

// Who is signed in: { token, subject, role }, or null (an expired token counts as none).
export function session() {
  const token = sessionStorage.getItem(tokenKey);
  const c = token ? claims(token) : null;
  if (!c || (c.exp && c.exp * 1000 <= Date.now())) { sessionStorage.removeItem(tokenKey); return null; }
  return { token, subject: c.sub, role: c.role };
}

export function signOut() { sessionStorage.removeItem(tokenKey); }

export async function devSignIn(role) {
  const response = await fetch("/web/dev-sign-in?role=" + encodeURIComponent(role), { method: "POST", headers: { "Accept": "application/json" } });
  if (!response.ok) throw new Error("Development sign-in failed (" + response.status + ").");
  sessionStorage.setItem(tokenKey, (await response.json()).accessToken);
}

const base64url = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const random = (length) => base64url(crypto.getRandomValues(new Uint8Array(length)));
const redirectUri = () => location.origin + "/web/";

async function discover(config) {
  const response = await fetch(config.authority + "/.well-known/openid-configuration");
  if (!response.ok) throw new Error("The sign-in service could not be reached.");
  return response.json();
}

// Leaves for the authority; it comes back to /web/?code=…&state=…
export async function oidcSignIn(config) {
  const discovery = await discover(config);
  const verifier = random(32);
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  const state = random(16);
  sessionStorage.setItem(pendingKey, JSON.stringify({ state, verifier }));
  const query = new URLSearchParams({
    response_type: "code", client_id: config.clientId, redirect_uri: redirectUri(), scope: config.scope,
    state, code_challenge: base64url(new Uint8Array(digest)), code_challenge_method: "S256",
  });
  location.assign(discovery.authorization_endpoint + "?" + query.toString());
}

// On the way back from the authority: trades the code and the verifier for the access token. True when it did.
export async function completeOidc(config) {
  const query = new URLSearchParams(location.search);
  if (!query.has("code") && !query.has("error")) return false;
  const pending = JSON.parse(sessionStorage.getItem(pendingKey) || "null");
  sessionStorage.removeItem(pendingKey);
  history.replaceState(null, "", "/web/");
  if (query.has("error")) throw new Error("Sign-in refused: " + (query.get("error_description") || query.get("error")));
  // A code we did not ask for (another tab, a forged link) is dropped.
  if (!pending || pending.state !== query.get("state")) throw new Error("Sign-in did not match this page's request; sign in again.");
  const discovery = await discover(config);
  const response = await fetch(discovery.token_endpoint, {
    method: "POST",
    body: new URLSearchParams({
      grant_type: "authorization_code", code: query.get("code"), redirect_uri: redirectUri(),
      client_id: config.clientId, code_verifier: pending.verifier,
    }),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok || !answer.access_token) throw new Error("Sign-in failed: " + (answer.error_description || answer.error || response.status));
  sessionStorage.setItem(tokenKey, answer.access_token);
  return true;
}
