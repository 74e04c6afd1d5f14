import { session } from './api.js';
import { el } from './dom.js';

// Sign-in takes a token. In Development the gateway also lists demo identities (one click each).
export async function renderSignIn(main, done) {
  main.append(el('h2', {}, 'Sign in'));
  const input = el('textarea', { id: 'token', rows: 4, cols: 60, required: true, 'aria-describedby': 'token-help' });
  const form = el('form', { class: 'card', onsubmit: (e) => { e.preventDefault(); session.token = input.value.trim(); done(); } },
    el('label', { for: 'token' }, 'Access token'),
    el('p', { id: 'token-help', class: 'warning' }, 'Paste the bearer token issued for you (see the README for local use).'),
    input, el('p', {}, el('button', { type: 'submit' }, 'Sign in')));
  main.append(form);
  main.append(el('p', {}, el('a', { href: '/scalar/' }, 'API reference for integrators')));
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
