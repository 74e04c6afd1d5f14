import { api } from './api.js';
import { el, table } from './dom.js';
import { statusWord, typeWord } from './words.js';
import { statisticsDownloads } from './statistics-downloads.js';

// Statistics as counts (the secretariat sees no personal data), drawn as inline SVG bar charts.
export async function renderStatistics(main) {
  const year = new Date().getUTCFullYear();
  const [stats, reintegration] = await Promise.all([api.get(`/statistics?year=${year}`), api.get(`/statistics/reintegration?year=${year}`)]);
  const sum = (rows, key, word) => rows.reduce((acc, row) => ({ ...acc, [word(row[key])]: (acc[word(row[key])] || 0) + row.count }), {});
  const pairs = (rows) => Object.fromEntries((rows || []).map((r) => [r.key, r.count]));
  const charts = el('div', { class: 'charts' },
    chart('Operations by type', sum(stats.operations || [], 'type', typeWord)),
    chart('Operations by status', sum(stats.operations || [], 'status', statusWord)),
    chart('Returnees by destination', pairs(stats.returneesByDestination)),
    chart('Returnees by participant', pairs(stats.returneesByParticipant)),
    chart('Monitoring coverage of forced operations', {
      Monitored: stats.monitoredForcedOperations || 0,
      'Not monitored': (stats.forcedOperations || 0) - (stats.monitoredForcedOperations || 0),
    }),
    chart('No-shows by reason', pairs(stats.noShowsByReason)),
    chart('No-shows by participant', pairs(stats.noShowsByParticipant)));
  const figures = el('dl', { class: 'card figures' },
    el('dt', {}, 'Escort staff per forced returnee'), el('dd', {}, String(stats.escortsPerForcedReturnee ?? '—')),
    el('dt', {}, 'Monitoring coverage'), el('dd', {}, `${Math.round(100 * (stats.monitoringCoverage || 0))}%`),
    el('dt', {}, 'Seats suspended (early warnings)'), el('dd', {}, String(stats.suspensions ?? 0)),
    el('dt', {}, 'No-shows (did not board)'), el('dd', {}, String(stats.noShows ?? 0)),
    el('dt', {}, 'Serious incidents and complaints'), el('dd', {}, String(stats.incidents ?? 0)));
  main.append(el('p', {}, `Year ${year}. Counts only; no personal data.`), figures, charts, reintegrationFigures(reintegration),
    statisticsDownloads('Every state'));
}

// Rule 18: referrals, assistance and follow-ups reached, by state and destination.
function reintegrationFigures(r) {
  const euro = (n) => `€${Number(n || 0).toFixed(2)}`;
  const rows = (r.byStateAndDestination || []).map((x) => el('tr', {},
    el('td', {}, x.state), el('td', {}, x.destination), el('td', {}, String(x.referrals)), el('td', {}, String(x.accepted)),
    el('td', {}, String(x.stopped)), el('td', {}, `${x.assistanceDeliveries} (${euro(x.assistanceEur)})`),
    el('td', {}, String(x.followUps6Reached)), el('td', {}, String(x.followUps12Reached))));
  return el('section', { class: 'card', 'aria-labelledby': 'reintegration-heading' },
    el('h3', { id: 'reintegration-heading' }, 'Reintegration referrals'),
    el('p', {}, `${r.referrals} referrals, ${r.accepted} accepted, ${r.assistanceDeliveries} assistance deliveries (${euro(r.assistanceEur)}), `
      + `follow-ups reached: ${r.followUps6Reached} at 6 months, ${r.followUps12Reached} at 12 months.`),
    table(['State', 'Destination', 'Referrals', 'Accepted', 'Stopped (consent withdrawn)', 'Assistance', 'Follow-up 6 months', 'Follow-up 12 months'],
      rows, 'Reintegration referrals by state and destination'));
}

// Each bar under its label, so that long labels ("Scheduled-flight return") fit and the text stays at 16 units: at the
// narrowest column (320 px for a 360-unit drawing) that is still 14 px on screen.
function chart(title, data) {
  const entries = Object.entries(data);
  const max = Math.max(1, ...entries.map(([, v]) => v));
  const rowHeight = 44;
  const width = 360;
  const svgNs = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(svgNs, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${entries.length * rowHeight + 8}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `${title}: ` + entries.map(([k, v]) => `${k} ${v}`).join(', '));
  entries.forEach(([name, value], i) => {
    const y = i * rowHeight + 4;
    const barWidth = Math.max(1, (value / max) * (width - 60));
    const text = document.createElementNS(svgNs, 'text');
    text.setAttribute('x', 0); text.setAttribute('y', y + 16); text.textContent = name;
    const bar = document.createElementNS(svgNs, 'rect');
    bar.setAttribute('x', 0); bar.setAttribute('y', y + 22);
    bar.setAttribute('width', barWidth); bar.setAttribute('height', 14);
    bar.setAttribute('fill', '#0b57d0');
    const count = document.createElementNS(svgNs, 'text');
    count.setAttribute('x', barWidth + 6); count.setAttribute('y', y + 35); count.textContent = String(value);
    svg.append(text, bar, count);
  });
  return el('figure', { class: 'card chart' }, el('figcaption', {}, el('strong', {}, title)), svg);
}
