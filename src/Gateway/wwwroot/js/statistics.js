import { api } from './api.js';
import { el } from './dom.js';

// Statistics as counts (the secretariat sees no personal data), drawn as inline SVG bar charts.
export async function renderStatistics(main) {
  const year = new Date().getUTCFullYear();
  const stats = await api.get(`/statistics?year=${year}`);
  const charts = el('div', { class: 'charts' });
  for (const [title, data] of Object.entries(groups(stats))) {
    charts.append(chart(title, data));
  }
  main.append(el('p', {}, `Year ${year}. Counts only; no personal data.`), charts);
}

// Accepts the statistics object's maps (name -> number, or name -> {name -> number}) whatever their nesting.
function groups(stats) {
  const out = {};
  for (const [key, value] of Object.entries(stats || {})) {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const flat = {};
      for (const [k, v] of Object.entries(value)) {
        flat[k] = typeof v === 'number' ? v : Object.values(v || {}).reduce((a, b) => a + (typeof b === 'number' ? b : 0), 0);
      }
      out[label(key)] = flat;
    } else if (typeof value === 'number') {
      (out['Totals'] ||= {})[label(key)] = value;
    }
  }
  return out;
}

function label(key) {
  return key.replace(/([A-Z])/g, ' $1').replace(/^./, (c) => c.toUpperCase());
}

function chart(title, data) {
  const entries = Object.entries(data);
  const max = Math.max(1, ...entries.map(([, v]) => v));
  const rowHeight = 22;
  const width = 360;
  const svgNs = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(svgNs, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${entries.length * rowHeight + 8}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `${title}: ` + entries.map(([k, v]) => `${k} ${v}`).join(', '));
  entries.forEach(([name, value], i) => {
    const y = i * rowHeight + 4;
    const text = document.createElementNS(svgNs, 'text');
    text.setAttribute('x', 0); text.setAttribute('y', y + 14); text.textContent = name;
    const bar = document.createElementNS(svgNs, 'rect');
    bar.setAttribute('x', 130); bar.setAttribute('y', y + 3);
    bar.setAttribute('width', Math.max(1, (value / max) * (width - 180))); bar.setAttribute('height', 14);
    bar.setAttribute('fill', '#0b57d0');
    const count = document.createElementNS(svgNs, 'text');
    count.setAttribute('x', 136 + (value / max) * (width - 180)); count.setAttribute('y', y + 14); count.textContent = String(value);
    svg.append(text, bar, count);
  });
  return el('figure', { class: 'card chart' }, el('figcaption', {}, el('strong', {}, title)), svg);
}
