// alertas.js — migration alerts: issue (supervisors), search, cancel.
import { h, notice, field, table, fmtDay, fieldError } from '../dom.js';
import { get, post, qs } from '../api.js';
import { subjectFields } from './subject.js';
import { csvPanel } from './csv.js';

const CAT = { interpol_notice: 'Notificación de INTERPOL', arrest_warrant: 'Orden de captura', missing_person: 'Persona desaparecida', missing_child: 'Niña, niño o adolescente desaparecido', trafficking_victim: 'Posible víctima de trata', reentry_ban: 'Prohibición de reingreso', other: 'Otra' };

export async function render(main, ctx) {
  const canWrite = ctx.has('alerts.write');
  const msg = h('div');
  const out = h('div');
  const name = h('input', { id: 'al-nombre' });
  const cat = h('select', { id: 'al-cat' }, h('option', { value: '' }, 'Todas'), Object.entries(CAT).map(([k, t]) => h('option', { value: k }, t)));
  // one alert opened from a match («Cotejo con las listas»): shown first,
  // under the page's title (the link led to the emission form, the alert
  // somewhere among the hundred below)
  const detail = h('div', { id: 'al-detalle' });
  const alertTable = (items) => table(['Persona', 'Categoría', 'Vigencia', 'Instrucciones', 'Estado', ''], items.map((a) => h('tr', { dataset: { alerta: a.id } },
    h('td', {}, `${a.given_names || ''} ${a.surnames || ''}`, h('br'), h('span', { class: 'mono' }, a.document_number || '')), h('td', {}, CAT[a.category] || a.category),
    h('td', {}, `${fmtDay(a.valid_from)} a ${a.valid_until ? fmtDay(a.valid_until) : 'indefinida'}`, a.reentry_ban_until ? h('div', {}, `Reingreso prohibido hasta ${fmtDay(a.reentry_ban_until)}`) : null), h('td', {}, a.instructions),
    h('td', {}, h('span', { class: `etiqueta ${a.status === 'active' ? 'mal' : ''}` }, a.status === 'active' ? 'Activa' : 'Cancelada')),
    h('td', {}, canWrite && a.status === 'active' ? h('button', { type: 'button', class: 'sec', onclick: async () => { const why = window.prompt('Motivo de la cancelación:'); if (!why) return; try { await post(`/api/v1/alerts/${a.id}/cancel`, { reason: why }); search(); if (detail.firstChild) await show(a.id); } catch (e) { msg.append(notice('error', e.message)); } } }, 'Cancelar') : ''))));
  async function search() {
    msg.replaceChildren();
    try {
      const r = await get(`/api/v1/alerts${qs({ name: name.value.trim(), category: cat.value, limit: 100 })}`);
      out.replaceChildren(alertTable(r.items));
    } catch (e) { msg.append(notice('error', e.message)); }
  }
  async function show(id) {
    try {
      const a = await get(`/api/v1/alerts/${encodeURIComponent(id)}`);
      detail.replaceChildren(h('div', { class: 'panel' }, h('h2', {}, `Alerta n.º ${a.id}`), alertTable([a])));
    } catch (e) { msg.append(notice('error', e.message)); }
  }
  main.append(h('h1', {}, 'Alertas migratorias'), h('p', { class: 'sub' }, 'Las alertas vigentes se consultan en cada inspección; las vencidas dejan de coincidir por sí solas.'), msg, detail);
  if (canWrite) {
    const subj = subjectFields('an');
    const f = { category: h('select', { id: 'an-cat' }, Object.entries(CAT).map(([k, t]) => h('option', { value: k }, t))), valid_until: h('input', { id: 'an-hasta', type: 'date' }), reentry_ban_until: h('input', { id: 'an-reingreso', type: 'date' }),
      instructions: h('textarea', { id: 'an-instrucciones', rows: 2 }), reference: h('input', { id: 'an-ref' }) };
    const fmsg = h('div');
    const form = h('form', { class: 'panel' }, h('h2', {}, 'Emitir alerta'),
      h('div', { class: 'fila' }, h('div', {}, field('Categoría', f.category)), h('div', {}, field('Vigente hasta', f.valid_until)), h('div', {}, field('Reingreso prohibido hasta', f.reentry_ban_until)), h('div', {}, field('Referencia', f.reference))),
      field('Instrucciones para el oficial', f.instructions), h('h3', {}, 'Persona'), subj.el, fmsg, h('div', { class: 'acciones' }, h('button', { type: 'submit' }, 'Emitir')));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      fmsg.replaceChildren();
      const body = { category: f.category.value, subject: subj.read(), instructions: f.instructions.value.trim() };
      for (const k of ['valid_until', 'reentry_ban_until', 'reference']) if (f[k].value.trim()) body[k] = f[k].value.trim();
      try { const a = await post('/api/v1/alerts', body); form.reset(); fmsg.append(notice('ok', `Alerta n.º ${a.id} emitida.`)); search(); } catch (e) {
        fmsg.append(fieldError(e, { category: [f.category, 'Categoría'], valid_until: [f.valid_until, 'Vigente hasta'], reentry_ban_until: [f.reentry_ban_until, 'Reingreso prohibido hasta'],
          instructions: [f.instructions, 'Instrucciones para el oficial'], reference: [f.reference, 'Referencia'], ...subj.errorFields('subject') }));
      }
    });
    main.append(form);
  }
  const sform = h('form', { class: 'panel' }, h('div', { class: 'fila' }, h('div', {}, field('Nombre', name)), h('div', {}, field('Categoría', cat))), h('div', { class: 'acciones' }, h('button', { type: 'submit' }, 'Buscar')));
  sform.addEventListener('submit', (e) => { e.preventDefault(); search(); });
  main.append(h('h2', {}, 'Buscar'), sform, out,
    csvPanel({ id: 'csv-alertas', title: 'Importar y exportar (CSV)', importPath: '/api/v1/alerts/import', exportPath: '/api/v1/alerts/export', canWrite, onImported: search,
      columns: ['category', 'issuing_unit', 'given_names', 'surnames', 'birth_date', 'sex', 'nationality', 'document_number', 'valid_from', 'valid_until', 'reentry_ban_until', 'instructions', 'reference'],
      required: ['category', 'instructions'] }));
  const id = new URLSearchParams(location.hash.split('?')[1] || '').get('id');
  await Promise.all([search(), id ? show(id) : null]);
}
