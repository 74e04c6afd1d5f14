import { api } from './api.js';
import { el, when } from './dom.js';

// The fundamental-rights officer's complaints from the public channel (rule 24): each with its status, the complainant's text as
// text (never markup, links not made clickable: a stranger wrote it), and the officer's steps: answer, forward to the member state
// concerned, close, erase.
const LANGUAGES = { en: 'English', fr: 'French', ar: 'Arabic', sq: 'Albanian', sr: 'Serbian', ur: 'Urdu' };
const WHO = { Person: 'the person concerned', Representative: 'a representative', Witness: 'a witness' };

export async function renderComplaints(main, claims, signal) {
  const [complaints, countries] = await Promise.all([api.get('/complaints?limit=200'), api.get('/countries')]);
  if (signal?.aborted) return;
  const states = countries.filter((c) => c.group !== 'ThirdCountry');
  main.append(el('p', {}, 'Complaints anyone sent through the public form (',
    el('a', { href: '/complaint.html' }, 'the form'), '), newest first. The complainant follows the status only, with a tracking code.'));
  if (!complaints.length) {
    main.append(el('p', {}, 'No complaint has been received.'));
    return;
  }
  for (const complaint of complaints) main.append(card(complaint, states));
}

function card(complaint, states) {
  const holder = el('section', { class: 'card', 'data-complaint': complaint.id, 'aria-labelledby': `${complaint.id}-heading` });
  draw(complaint);
  return holder;

  function draw(c) {
    holder.replaceChildren(
      el('h3', { id: `${c.id}-heading` }, `${c.status}: received ${when(c.receivedAt)}`),
      el('dl', { class: 'figures' },
        el('dt', {}, 'From'), el('dd', {}, WHO[c.complainant] || c.complainant),
        el('dt', {}, 'Language'), el('dd', {}, LANGUAGES[c.language] || c.language),
        el('dt', {}, 'Happened on'), el('dd', {}, c.happenedOn),
        el('dt', {}, 'Operation (as given)'), el('dd', { dir: 'auto' }, c.operationId || '—'),
        el('dt', {}, 'Contact'), el('dd', { dir: 'auto' }, c.contact || 'none given'),
        c.forwardedTo ? [el('dt', {}, 'Forwarded to'), el('dd', {}, c.forwardedTo)] : null,
        c.closedAt ? [el('dt', {}, 'Closed'), el('dd', {}, when(c.closedAt))] : null),
      c.erasedAt
        ? el('p', { class: 'muted' }, `Personal data erased ${when(c.erasedAt)}.`)
        : el('p', { class: 'complaint-text', lang: c.language, dir: 'auto' }, c.whatHappened),
      c.answer ? el('p', {}, el('strong', {}, 'Answer: '), el('span', { dir: 'auto' }, c.answer)) : null,
      c.status === 'Closed' ? null : steps(c),
      c.erasedAt ? null : eraseStep(c));
  }

  function steps(c) {
    const id = c.id;
    const text = el('textarea', { id: `${id}-text`, rows: 3, class: 'wide', maxlength: 2000 });
    const country = el('select', { id: `${id}-country` }, el('option', { value: '' }, 'Choose a state'),
      states.map((s) => el('option', { value: s.code }, `${s.name} (${s.code})`)));
    const outcome = el('p', { 'aria-live': 'polite' });
    const act = (path, body) => async () => {
      outcome.replaceChildren();
      try {
        draw(await api.post(`/complaints/${encodeURIComponent(id)}/${path}`, body()));
      } catch (e) {
        outcome.append(el('span', { class: 'problem' }, e.message));
      }
    };
    return el('div', { class: 'steps' },
      el('label', { for: `${id}-text` }, 'Answer to the complainant, or the reason for closing'), text,
      el('p', {},
        el('button', { type: 'button', onclick: act('answer', () => ({ text: text.value })) }, 'Record answer'), ' ',
        el('button', { type: 'button', class: 'secondary', onclick: act('close', () => ({ reason: text.value })) }, 'Close')),
      el('label', { for: `${id}-country` }, 'Member state concerned'), country, ' ',
      el('button', { type: 'button', class: 'secondary', onclick: act('forward', () => ({ country: country.value })) }, 'Forward'),
      outcome);
  }

  function eraseStep(c) {
    return el('p', {}, el('button', {
      type: 'button', class: 'secondary',
      onclick: async () => {
        await api.del(`/complaints/${encodeURIComponent(c.id)}`);
        draw(await api.get(`/complaints/${encodeURIComponent(c.id)}`));
      },
    }, 'Erase personal data now'));
  }
}
