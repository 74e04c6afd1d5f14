import { api, Problem } from './api.js';
import { explain } from './rules.js';
import { el, table, when } from './dom.js';
import { toast } from './app.js';

// The organising state's view of its operations: where each stands, which destinations cleared the
// current manifest, and the one disclosure step only it may take: sharing the manifest (rule 16).
export async function renderOrganiser(main, claims) {
  const list = items(await api.get(`/operations?organiser=${encodeURIComponent(claims.country)}&pageSize=100`))
    .filter((o) => !['Completed', 'Cancelled'].includes(o.status));
  // The list is a read model of counts; sharing and clearances are on the operation itself.
  const operations = await Promise.all(list.map((o) => api.get(`/operations/${encodeURIComponent(o.id)}`)));
  main.append(table(['Operation', 'Status', 'Departure', 'Seats', 'Manifest', 'Alerts'], operations.map(row),
    `Operations organised by ${claims.country}`));
  if (!operations.length) main.append(el('p', {}, 'This state organises no open operation.'));
}

const items = (data) => (Array.isArray(data) ? data : data?.items || []);
const shareable = (op) => ['BookingClosed', 'Confirmed', 'Departed'].includes(op.status);

function row(op) {
  const manifest = el('td', {}, manifestState(op));
  if (!op.manifestShared && shareable(op)) {
    const share = async () => {
      try {
        const shared = await api.post(`/operations/${encodeURIComponent(op.id)}/manifest/share`);
        manifest.replaceChildren(manifestState(shared));
        toast(`Manifest of ${op.id} shared with ${op.destinations.join(', ')}.`);
      } catch (e) {
        if (!(e instanceof Problem)) throw e;
        manifest.append(el('p', { class: 'problem' }, explain(e)));
      }
    };
    manifest.append(' ', el('button', { type: 'button', onclick: share, 'aria-label': `Share the manifest of ${op.id} with the destinations` },
      'Share with destinations'));
  }
  return el('tr', { 'data-organised': op.id },
    el('td', {}, op.id, el('br'), `${op.type} to ${op.destinations.join(', ')}`),
    el('td', {}, op.status),
    el('td', {}, when(op.legs?.[0]?.departure)),
    el('td', {}, `${op.seats.confirmed} of ${op.seats.capacity}`, op.seats.waitlisted ? ` (+${op.seats.waitlisted} waiting)` : ''),
    manifest,
    el('td', {}, op.warnings.length ? el('ul', { class: 'alert' }, op.warnings.map((w) => el('li', {}, w))) : '—'));
}

function manifestState(op) {
  if (!op.manifestShared) return shareable(op) ? 'Not shared' : 'Not yet (booking open)';
  const cleared = op.clearances.filter((c) => c.cleared && c.current).map((c) => c.destination);
  const waiting = op.destinations.filter((d) => !cleared.includes(d));
  return waiting.length ? `Shared; waiting for clearance by ${waiting.join(', ')}` : 'Shared and cleared';
}
