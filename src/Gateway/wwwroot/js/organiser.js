import { api, Problem } from './api.js';
import { explain } from './rules.js';
import { el, table, when } from './dom.js';
import { toast } from './app.js';
import { createOperationForm } from './organiser-create.js';
import { lifecycleSteps } from './organiser-steps.js';
import { count, statusWord, typeWord, warningText } from './words.js';
import { costsLink } from './costs-link.js';
import { paxlstDownload } from './organiser-paxlst.js';

// The organising state runs its operations here: plans one, takes each lifecycle step with what it checks, assigns
// a monitor, and shares the manifest with the destinations, the one disclosure only it may make (rule 16).
export async function renderOrganiser(main, claims) {
  const open = el('div', { id: 'organised' });
  const ended = el('div', { id: 'organised-ended' });
  const refresh = async () => {
    const list = items(await api.get(`/operations?organiser=${encodeURIComponent(claims.country)}&pageSize=100`));
    // The list is a read model of counts; sharing, clearances and monitors are on the operation itself.
    const operations = await Promise.all(list.map((o) => api.get(`/operations/${encodeURIComponent(o.id)}`)));
    const running = operations.filter((o) => !isEnded(o));
    open.replaceChildren(...(running.length ? running.map((op) => card(op, refresh, claims.country)) : [el('p', {}, 'This state organises no open operation.')]));
    ended.replaceChildren(endedTable(operations.filter(isEnded), claims.country));
  };
  const create = el('details', { class: 'card' }, el('summary', {}, 'Plan a new operation'),
    await createOperationForm(async (created) => { toast(`Draft ${created.id} created.`); await refresh(); }));
  main.append(create, el('h3', {}, 'Open operations'), open, el('h3', {}, 'Ended operations'), ended);
  await refresh();
}

const items = (data) => (Array.isArray(data) ? data : data?.items || []);
const isEnded = (op) => ['Completed', 'Cancelled'].includes(op.status);
const shareable = (op) => ['BookingClosed', 'Confirmed', 'Departed'].includes(op.status);

// One operation; it redraws itself from the answer of each step, and the lists are read again once it has ended.
function card(op, refresh, organiser) {
  const node = el('section', { class: 'card', 'data-organised': op.id, 'data-status': op.status, 'aria-labelledby': `${op.id}-title` });
  const draw = (current) => {
    node.dataset.status = current.status;
    node.replaceChildren(
      el('h4', { id: `${current.id}-title` }, `${current.id}: ${typeWord(current.type)} to ${current.destinations.join(', ')}`),
      el('dl', { class: 'figures' },
        el('dt', {}, 'Status'), el('dd', { 'data-field': 'status' }, statusWord(current.status)),
        el('dt', {}, 'Departure'), el('dd', {}, when(current.legs?.[0]?.departure), ' ', current.legs.map((l) => `${l.from}→${l.to}`).join(', ')),
        el('dt', {}, 'Booking deadline'), el('dd', {}, when(current.bookingDeadline)),
        el('dt', {}, 'Seats'), el('dd', {}, `${current.seats.confirmed} of ${count(current.seats.capacity, 'seat')} confirmed`,
          current.seats.waitlisted ? `, ${current.seats.waitlisted} waitlisted` : ''),
        el('dt', {}, 'Monitors'), el('dd', {}, monitors(current, draw)),
        el('dt', {}, 'Manifest'), el('dd', {}, manifest(current, draw)),
        el('dt', {}, 'Costs'), el('dd', {}, costsLink(current.id, 'Enter costs and see the statement')),
        ...(['Confirmed', 'Departed'].includes(current.status)
          ? [el('dt', {}, 'Passenger list'), el('dd', { 'data-field': 'paxlst' }, paxlstDownload(current))] : [])),
      current.warnings.length ? el('ul', { class: 'alert' }, current.warnings.map((w) => el('li', {}, warningText(w)))) : null,
      rejections(current, draw, organiser),
      lifecycleSteps(current, (changed) => {
        toast(`${changed.id}: ${statusWord(changed.status)}.`);
        if (isEnded(changed)) refresh();
        else draw(changed);
      }));
  };
  draw(op);
  return node;
}

// Issue 24: a destination's rejection still standing holds the departure back. It names the people it rejected: this state's by
// its case reference, another state's by seat (their cases are that state's), each with a way to take the person off.
function rejections(op, draw, organiser) {
  const outstanding = (op.clearances || []).filter((c) => c.outstanding);
  if (!outstanding.length) return null;
  const people = el('ul', {}, el('li', {}, 'Reading the manifest…'));
  const problem = el('div', { 'aria-live': 'assertive' });
  const node = el('div', { class: 'problem', role: 'alert', 'data-rejections': op.id },
    el('strong', {}, `Manifest rejected by ${outstanding.map((c) => c.destination).join(', ')}. `),
    'Departure is blocked until the destination clears the manifest again, the rejected people are removed, or you override with a reason.',
    people, problem);
  const remove = async (button, entry, label) => {
    problem.replaceChildren();
    button.disabled = true;
    try {
      await api.del(`/operations/${encodeURIComponent(op.id)}/bookings/${encodeURIComponent(entry.bookingId)}/returnees/${encodeURIComponent(entry.returneeId)}`);
      toast(`${label} removed from the booking of ${entry.country}.`);
      draw(await api.get(`/operations/${encodeURIComponent(op.id)}`));
    } catch (e) {
      if (!(e instanceof Problem)) throw e;
      problem.replaceChildren(el('p', { class: 'problem' }, `Not removed. ${explain(e)}`));
      button.disabled = false;
    }
  };
  (async () => {
    try {
      const manifest = await api.get(`/operations/${encodeURIComponent(op.id)}/manifest`);
      const items = [];
      for (const c of outstanding) {
        if (!c.rejectedReturnees.length) {
          items.push(el('li', {}, `${c.destination} rejected the whole manifest: ${c.reason || 'no reason given'}`));
          continue;
        }
        for (const id of c.rejectedReturnees) {
          const seat = manifest.entries.findIndex((e) => e.returneeId === id);
          if (seat < 0) continue; // taken off already
          const entry = manifest.entries[seat];
          const label = entry.country === organiser ? `Case ${(await api.get(`/returnees/${encodeURIComponent(id)}`)).reference}`
            : `Seat ${seat + 1} (${entry.country})`;
          const button = el('button', { type: 'button', class: 'secondary', 'aria-label': `Remove from booking: ${label}` }, 'Remove from booking');
          button.addEventListener('click', () => remove(button, entry, label));
          items.push(el('li', { 'data-rejected': id }, `${label}, rejected by ${c.destination}: ${c.reason || 'no reason given'} `, button));
        }
      }
      people.replaceChildren(...items);
    } catch (e) {
      if (!(e instanceof Problem)) throw e;
      people.replaceChildren(el('li', {}, `The rejected people could not be listed. ${explain(e)}`));
    }
  })();
  return node;
}

function manifest(op, draw) {
  const holder = el('span', {}, manifestState(op));
  if (!op.manifestShared && shareable(op)) {
    const share = async () => {
      try {
        const shared = await api.post(`/operations/${encodeURIComponent(op.id)}/manifest/share`);
        toast(`Manifest of ${op.id} shared with ${op.destinations.join(', ')}.`);
        draw(shared);
      } catch (e) {
        if (!(e instanceof Problem)) throw e;
        holder.append(el('p', { class: 'problem' }, explain(e)));
      }
    };
    holder.append(' ', el('button', { type: 'button', onclick: share, 'aria-label': `Share the manifest of ${op.id} with the destinations` },
      'Share with destinations'));
  }
  return holder;
}

function manifestState(op) {
  if (!op.manifestShared) return shareable(op) ? 'Not shared' : 'Not yet (booking open)';
  const current = op.clearances.filter((c) => c.current);
  const cleared = current.filter((c) => c.cleared).map((c) => c.destination);
  const rejected = current.filter((c) => !c.cleared);
  const waiting = op.destinations.filter((d) => !cleared.includes(d) && !rejected.some((c) => c.destination === d));
  const parts = [];
  for (const c of rejected) {
    // The rejected people are named on the manifest the organiser reads; here the count and the reason.
    parts.push(`rejected by ${c.destination}${c.rejectedReturnees.length ? ` (${count(c.rejectedReturnees.length, 'person', 'people')})` : ' (whole manifest)'}: ${c.reason || 'no reason given'}`);
  }
  if (waiting.length) parts.push(`waiting for clearance by ${waiting.join(', ')}`);
  return parts.length ? `Shared; ${parts.join('; ')}` : 'Shared and cleared';
}

// Rule 7: the organiser (or the secretariat) assigns the forced-return monitor by user name.
function monitors(op, draw) {
  const names = op.assignedMonitors || [];
  const holder = el('span', {}, names.length ? names.join(', ') : 'None assigned');
  if (isEnded(op)) return holder;
  const input = el('input', { id: `${op.id}-monitor`, maxlength: 100, required: true, autocomplete: 'off' });
  const result = el('span', { 'aria-live': 'polite' });
  const form = el('form', { class: 'inline', onsubmit: async (e) => {
    e.preventDefault();
    try {
      draw(await api.post(`/operations/${encodeURIComponent(op.id)}/monitors`, { monitor: input.value.trim() }));
      toast('Monitor assigned.');
    } catch (err) {
      if (!(err instanceof Problem)) throw err;
      result.replaceChildren(el('span', { class: 'problem' }, explain(err)));
    }
  } }, el('label', { for: input.id }, 'Monitor\'s user name'), input, ' ', el('button', { type: 'submit', class: 'secondary' }, 'Assign monitor'), result);
  return el('div', {}, holder, form);
}

function endedTable(operations, country) {
  return table(['Operation', 'Status', 'Departure', 'Seats'], operations.map((op) => el('tr', { 'data-organised': op.id },
    el('td', {}, op.id, el('br'), `${typeWord(op.type)} to ${op.destinations.join(', ')}`),
    el('td', {}, statusWord(op.status)), el('td', {}, when(op.legs?.[0]?.departure)),
    el('td', {}, `${op.seats.confirmed} of ${count(op.seats.capacity, 'seat')}`, el('br'), costsLink(op.id, 'Cost statement')))),
  `Ended operations organised by ${country}`);
}
