/* global document, location, history, window */
// recon operator page: plain ES modules, no framework. Each view has its own address (hash routes),
// so back/forward and reload restore it; API data is only ever set as textContent.
import { forgetSession, loadSession, session, signIn } from './api.js';
import { bus } from './bus.js';
import { loadPrecisionChart, wirePrecisionChart } from './analytics-chart.js';
import { loadCharts, wireCharts } from './charts.js';
import { loadDeliveries } from './deliveries.js';
import { $, announce } from './dom.js';
import { lead, loadLead, wireLead } from './lead-view.js';
import { loadMismatches, wireMismatches } from './mismatches-view.js';
import { parseRoute, VIEWS } from './router.js';
import { search, wireSearch } from './search.js';
import { loadStats } from './stats.js';
import { loadTasks, resetTaskPages, showTaskFilters, wireTasks } from './tasks-view.js';
import { loadUnmatched, wireUnmatched } from './unmatched-view.js';

let shown = null; // the view on screen: { view, leadId }
let inAppNavigations = 0; // > 0: "Back" can go back in history without leaving the page

const LOADERS = {
  overview: () => Promise.all([loadCharts(), loadDeliveries(), loadPrecisionChart()]),
  tasks: () => loadTasks(),
  mismatches: () => loadMismatches(),
  unmatched: () => loadUnmatched(),
  lead: () => loadLead(lead.id),
};

function showSearchResults() {
  $('search-results').hidden = !search.open || (shown !== null && shown.view === 'lead');
}

/** Shows the view the address names; focus moves to its heading when the view (or lead) changed. */
async function route() {
  if (!session.current) return;
  const r = parseRoute(location.hash);
  const changed = shown === null || shown.view !== r.view || shown.leadId !== r.leadId;
  shown = { view: r.view, leadId: r.leadId };
  for (const v of VIEWS) $(`view-${v}`).hidden = v !== r.view;
  for (const tab of document.querySelectorAll('.tabs a')) {
    if (tab.dataset.view === r.view) tab.setAttribute('aria-current', 'page');
    else tab.removeAttribute('aria-current');
  }
  showSearchResults();
  if (r.view === 'tasks') {
    showTaskFilters(r.params);
    resetTaskPages();
  }
  if (r.view === 'lead') lead.id = r.leadId;
  if (changed) {
    window.scrollTo(0, 0);
    $(r.view === 'lead' ? 'lead-title' : `${r.view === 'mismatches' ? 'mm' : r.view}-title`).focus({
      preventScroll: true,
    });
  }
  await LOADERS[r.view]();
}

/** After a write: counts first (they wait for the write's position), then the view on screen. */
async function refresh(detail) {
  if ((await loadStats()) === false) return;
  if (shown && !(detail && detail.view === false)) await LOADERS[shown.view]();
}

function show(signedIn) {
  $('sign-in').hidden = signedIn;
  $('app').hidden = !signedIn;
  $('sign-out').hidden = !signedIn;
  $('search-form').hidden = !signedIn;
  $('who').hidden = !signedIn;
  const s = session.current;
  $('who').textContent = signedIn ? `Workspace ${s.ws}${s.label ? ` · key ${s.label}` : ''}` : '';
}

function signOut() {
  forgetSession();
  shown = null;
  search.open = false;
  show(false);
  $('key-input').focus();
}

async function start() {
  show(true);
  if (!location.hash || location.hash === '#' || location.hash === '#main')
    history.replaceState(null, '', '#/overview');
  if ((await loadStats()) === false) return;
  await route();
  announce('Workspace loaded.');
}

function back() {
  if (inAppNavigations > 0) history.back();
  else location.hash = '#/tasks';
}

$('key-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const key = $('key-input').value.trim();
  $('sign-in-error').textContent = '';
  const refused = await signIn(key);
  if (refused !== null) {
    $('sign-in-error').textContent = refused;
    return;
  }
  $('key-input').value = '';
  void start();
});
$('sign-out').addEventListener('click', signOut);
// The skip link moves focus without touching the address (the hash is the router's).
document.querySelector('.skip').addEventListener('click', (e) => {
  e.preventDefault();
  $('main').focus();
});
$('refresh').addEventListener('click', () => void refresh().then(() => announce('Refreshed.')));
window.addEventListener('hashchange', () => {
  inAppNavigations += 1;
  void route();
});
bus.addEventListener('changed', (e) => void refresh(e.detail));
bus.addEventListener('unauthorized', () => {
  signOut();
  $('sign-in-error').textContent = 'The key was refused. Enter a valid operator key.';
});
wireTasks();
wireMismatches();
wireUnmatched();
wireLead(back);
wireSearch(showSearchResults);
wireCharts();
wirePrecisionChart();

if (loadSession()) void start();
else show(false);
