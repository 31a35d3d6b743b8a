/* global uPlot, ResizeObserver */
// Two charts from GET …/stats/daily (uPlot, served by recon): leads by verified state per day (lines)
// and mismatches opened vs closed per day (bars). Each has a legend, a text summary and a data table.
import { api } from './api.js';
import { failed } from './bus.js';
import { $, el } from './dom.js';
import { STATES } from './labels.js';

const charts = { leads: null, mismatches: null };
const HEIGHT = 260;
const toSeconds = (day) => Date.parse(`${day}T00:00:00.000Z`) / 1000;
const utcDay = (s) => new Date(s * 1000).toISOString().slice(0, 10);

function plotWidth(figure) {
  return Math.max(260, figure.querySelector('.plot').clientWidth);
}

function baseOptions(figure, series) {
  return {
    width: plotWidth(figure),
    height: HEIGHT,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, Math.ceil(max * 1.1))] } },
    axes: [{}, { label: 'Count', size: 50, values: (_u, ticks) => ticks.map((t) => (Number.isInteger(t) ? t : '')) }],
    series: [{ label: 'Day (UTC)', value: (_u, v) => (v === null ? '—' : utcDay(v)) }, ...series],
    legend: { live: false },
  };
}

/** Draws (or redraws) one chart into its figure's plot box; the figure says how many points it has. */
function draw(name, figure, options, data) {
  charts[name]?.destroy();
  const box = figure.querySelector('.plot');
  box.replaceChildren();
  charts[name] = new uPlot(options, data, box);
  figure.dataset.points = String(data[0].length);
  figure.dataset.total = String(data.slice(1).reduce((a, s) => a + s.reduce((x, y) => x + (y ?? 0), 0), 0));
}

function dataTable(figure, head, rows) {
  figure
    .querySelector('table.data')
    .replaceChildren(
      el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { scope: 'col', text: h })))),
      el(
        'tbody',
        {},
        ...rows.map((r) =>
          el('tr', {}, el('th', { scope: 'row', text: r[0] }), ...r.slice(1).map((c) => el('td', { text: String(c) }))),
        ),
      ),
    );
}

function leadsChart(days) {
  const figure = $('chart-leads');
  const present = STATES.filter((s) => s.key !== 'unknown' || days.some((d) => (d.leadsByState.unknown ?? 0) > 0));
  const data = [days.map((d) => toSeconds(d.day)), ...present.map((s) => days.map((d) => d.leadsByState[s.key] ?? 0))];
  const series = present.map((s) => ({
    label: s.label,
    stroke: s.stroke,
    width: 2,
    dash: s.dash,
    points: { show: days.length <= 14 },
  }));
  draw('leads', figure, baseOptions(figure, series), data);
  const last = days[days.length - 1];
  $('chart-leads-summary').textContent = last
    ? `On ${last.day}: ${present.map((s) => `${last.leadsByState[s.key] ?? 0} ${s.label.toLowerCase()}`).join(', ')}.`
    : 'No days to show.';
  dataTable(
    figure,
    ['Day', ...present.map((s) => s.label)],
    days.map((d) => [d.day, ...present.map((s) => d.leadsByState[s.key] ?? 0)]),
  );
}

function mismatchesChart(days) {
  const figure = $('chart-mismatches');
  const bars = (align) => uPlot.paths.bars({ size: [0.4, 24], align, gap: 1 });
  const data = [
    days.map((d) => toSeconds(d.day)),
    days.map((d) => d.mismatchesOpened),
    days.map((d) => d.mismatchesClosed),
  ];
  const series = [
    {
      label: 'Opened',
      stroke: '#a50e0e',
      fill: 'rgba(165, 14, 14, 0.75)',
      width: 1,
      paths: bars(-1),
      points: { show: false },
    },
    {
      label: 'Closed',
      stroke: '#1a7f37',
      fill: 'rgba(26, 127, 55, 0.35)',
      width: 2,
      paths: bars(1),
      points: { show: false },
    },
  ];
  const options = baseOptions(figure, series);
  // Bars need half a day of room at both ends.
  options.scales.x.range = (_u, min, max) => [min - 43200, max + 43200];
  draw('mismatches', figure, options, data);
  const opened = days.reduce((a, d) => a + d.mismatchesOpened, 0);
  const closed = days.reduce((a, d) => a + d.mismatchesClosed, 0);
  $('chart-mismatches-summary').textContent =
    days.length > 0
      ? `From ${days[0].day} to ${days[days.length - 1].day}: ${opened} mismatches opened, ${closed} closed.`
      : 'No days to show.';
  dataTable(
    figure,
    ['Day', 'Opened', 'Closed'],
    days.map((d) => [d.day, d.mismatchesOpened, d.mismatchesClosed]),
  );
}

function unavailable(text) {
  for (const id of ['chart-leads', 'chart-mismatches']) $(id).querySelector('.plot').replaceChildren();
  $('chart-leads-summary').textContent = text;
  $('chart-mismatches-summary').textContent = text;
}

/** Loads the last 30 days and draws both charts (the overview must be visible: they size to it). */
export async function loadCharts() {
  const r = await api('GET', '/stats/daily?days=30');
  if (r.status === 404 || r.status === 405) return unavailable('Daily figures are not available on this server.');
  if (r.status !== 200) return failed(r, 'daily figures');
  if (typeof uPlot === 'undefined')
    return unavailable('The chart library did not load; the data tables below still work.');
  leadsChart(r.data.days);
  mismatchesChart(r.data.days);
  return true;
}

/** Charts follow their box's width (1,280 px desktop to a phone). */
export function wireCharts() {
  const resize = new ResizeObserver(() => {
    for (const [name, id] of [
      ['leads', 'chart-leads'],
      ['mismatches', 'chart-mismatches'],
    ]) {
      const figure = $(id);
      const width = figure.querySelector('.plot').clientWidth;
      if (charts[name] && width > 0 && Math.abs(charts[name].width - width) > 2)
        charts[name].setSize({ width: Math.max(260, width), height: HEIGHT });
    }
  });
  for (const id of ['chart-leads', 'chart-mismatches']) resize.observe($(id));
}
