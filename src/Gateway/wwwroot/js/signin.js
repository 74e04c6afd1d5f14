import { session, claimsOf } from './api.js';
import { el, when } from './dom.js';

const ROLES = ['coordinator', 'secretariat', 'partner', 'monitor', 'fro', 'admin', 'provider'];

// Sign-in takes a token. In Development the gateway also lists demo identities (one click each).
export async function renderSignIn(main, done) {
  main.append(el('h2', {}, 'Sign in'));
  const notice = el('div', { id: 'signin-problem', role: 'alert' });
  if (session.notice) {
    notice.append(el('p', { class: 'problem' }, session.notice));
    session.notice = null;
  }
  const input = el('textarea', { id: 'token', rows: 4, cols: 60, required: true, 'aria-describedby': 'token-help', class: 'wide' });
  const form = el('form', { class: 'card', onsubmit: submit },
    el('label', { for: 'token' }, 'Access token'),
    el('p', { id: 'token-help', class: 'warning' }, 'Paste the bearer token issued for you (see the README for local use).'),
    input, el('p', {}, el('button', { type: 'submit' }, 'Sign in')));
  main.append(notice, form);
  main.append(el('p', {}, el('a', { href: '/scalar/' }, 'API reference for integrators')));

  // What can be told without the gateway is told at once; the signature is checked by the gateway on the first call.
  function submit(event) {
    event.preventDefault();
    const token = input.value.trim();
    const why = problemOf(token);
    notice.replaceChildren();
    if (why) {
      notice.append(el('p', { class: 'problem' }, why));
      input.focus();
      return;
    }
    session.token = token;
    done();
  }

  try {
    const response = await fetch('/dev/identities');
    if (!response.ok) return;
    const identities = await response.json();
    if (session.token) return; // signed in meanwhile: this page is gone
    const list = el('div', { class: 'card identities' }, el('h3', {}, 'Demo identities (Development only)'));
    for (const identity of identities) {
      list.append(el('button', { type: 'button', class: 'secondary', onclick: () => { session.token = identity.token; done(); } }, identity.label));
    }
    main.append(list);
  } catch {
    // Not in Development: only the token form.
  }
}

function problemOf(token) {
  const claims = claimsOf(token);
  if (!claims) return 'This is not an access token: a token is three parts separated by dots (header.payload.signature). Paste it whole.';
  if (!ROLES.includes(claims.role)) return 'This token names no ReturnOps role (coordinator, secretariat, partner, monitor, fro, admin or provider).';
  if (typeof claims.exp === 'number' && claims.exp * 1000 < Date.now()) return `This token expired at ${when(new Date(claims.exp * 1000).toISOString())}. Ask for a new one.`;
  return null;
}
