import { el } from './dom.js';

// Rule 19: every view of an operation leads to its cost statement (costs.html), where the organiser also enters costs.
export function costsLink(operationId, text) {
  return el('a', { href: `/costs.html?operation=${encodeURIComponent(operationId)}`, 'data-costs-link': operationId, 'aria-label': `${text} of ${operationId}` }, text);
}

// A coordinator's way to the final statements: the bookings list leaves an operation once it ends, its costs do not.
export function endedCostsSection(operations) {
  const ended = operations.filter((o) => ['Completed', 'Cancelled'].includes(o.status));
  return el('section', { id: 'ended-costs', 'aria-labelledby': 'ended-costs-heading' },
    el('h3', { id: 'ended-costs-heading' }, 'Cost statements of ended operations'),
    el('p', { class: 'muted' }, 'A statement shows our state\'s share where we held seats; the operation\'s own page says so where we did not.'),
    ended.length
      ? el('ul', {}, ended.map((o) => el('li', { 'data-operation': o.id }, `${o.id} to ${o.destinations.join(', ')} (${o.status}): `, costsLink(o.id, 'Cost statement'))))
      : el('p', {}, 'None.'));
}
