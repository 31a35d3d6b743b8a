// A task's badge and its resolve control (note + button), shared by the task table and the lead view.
import { api, noteWrite } from './api.js';
import { emit, failed } from './bus.js';
import { announce, el } from './dom.js';
import { taskText } from './labels.js';

export function taskBadge(t) {
  const info = taskText(t);
  return el('span', { class: `badge ${info.tone}`, 'data-severity': t.severity, text: info.label });
}

export function resolveControls(t) {
  const info = taskText(t);
  const note = el('textarea', { rows: '1', 'aria-label': `Note for task on lead ${t.leadId}`, maxlength: '2000' });
  const button = el('button', {
    type: 'button',
    text: 'Resolve',
    'aria-label': `Resolve: ${info.what} (lead ${t.leadId})`,
  });
  button.addEventListener('click', () => void resolveTask(t, note, button));
  return { note, button };
}

async function resolveTask(t, note, button) {
  button.disabled = true;
  const text = note.value.trim();
  const r = await api('POST', `/tasks/${encodeURIComponent(t.id)}/resolve`, text ? { note: text } : {});
  if (r.status !== 200) {
    button.disabled = false;
    return failed(r, 'resolve');
  }
  noteWrite(r.data.position);
  announce(r.data.alreadyResolved ? 'Task was already resolved.' : `Task resolved for lead ${t.leadId}.`);
  emit('changed');
  return true;
}
