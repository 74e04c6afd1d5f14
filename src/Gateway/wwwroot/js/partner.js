import { api } from './api.js';
import { el } from './dom.js';
import { notificationsPanel } from './notifications.js';
import { readmissionRequests } from './partner-readmission.js';
import { identificationRequests } from './partner-identification.js';
import { manifestCard } from './partner-manifest.js';
import { calendarFeedSection } from './calendar-feed.js';

// A partner (destination) country: readmission and identification requests to answer by their due dates, and the manifests of operations
// to it to clear before departure, and its notifications. Every decision it took stays visible after a reload.
export async function renderPartner(main, claims, signal) {
  const [requests, identifications] = await Promise.all([readmissionRequests(), identificationRequests()]);
  const candidates = items(await api.get(`/operations?destination=${claims.country}&pageSize=100`))
    .filter((o) => ['BookingClosed', 'Confirmed'].includes(o.status));
  // Rule 16: a manifest reaches the destination only once the organiser has shared it.
  const operations = (await Promise.all(candidates.map((o) => api.get(`/operations/${encodeURIComponent(o.id)}`))))
    .filter((o) => o.manifestShared);
  main.append(notificationsPanel(signal).element, await calendarFeedSection(), el('h3', {}, 'Readmission requests'), requests,
    el('h3', {}, 'Identification and travel documents'), identifications,
    el('h3', {}, 'Manifests to clear'), ...(await Promise.all(operations.map((op) => manifestCard(op, claims.country)))));
  if (!operations.length) main.append(el('p', {}, 'No manifest has been shared with us for clearance.'));
}

const items = (data) => (Array.isArray(data) ? data : data?.items || []);
