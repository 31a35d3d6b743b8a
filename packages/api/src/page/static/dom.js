/* global document */
// DOM helpers of the operator page. API data only ever becomes textContent, never HTML.
export const $ = (id) => document.getElementById(id);

export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}

/** An instant as `YYYY-MM-DD HH:MM UTC` (the operators work across time zones). */
export function when(iso) {
  if (!iso) return '—';
  return `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

let clearing = null;
/**
 * Says something in the polite live region (a fresh text so screen readers announce repeats); the
 * toast it shows clears itself after a few seconds so it never sits on the content.
 */
export function announce(text) {
  $('live').textContent = '';
  clearTimeout(clearing);
  setTimeout(() => {
    $('live').textContent = text;
    clearing = setTimeout(() => {
      $('live').textContent = '';
    }, 8000);
  }, 30);
}

/** The machine-readable code of an error answer (`{ error: { code } }`), else `HTTP <status>`. */
export function errorCode(r) {
  return r.data && r.data.error && r.data.error.code ? r.data.error.code : `HTTP ${r.status}`;
}

/** A lead id as a link to its own address (`#/leads/<id>`). */
export function leadLink(leadId) {
  return el('a', { href: `#/leads/${encodeURIComponent(leadId)}`, class: 'lead-link', text: leadId });
}

/** Replaces a table body's rows and toggles its "nothing here" note. */
export function fillTable(tableId, emptyId, rows) {
  $(tableId).tBodies[0].replaceChildren(...rows);
  $(tableId).closest('.table-scroll').hidden = rows.length === 0;
  $(emptyId).hidden = rows.length > 0;
}
