// extraviados.js — lost and stolen travel documents.
import { h, notice, field, table, docNumber, fieldError } from '../dom.js';
import { get, post, qs } from '../api.js';
import { csvPanel } from './csv.js';
import { DOC_KIND, docKind } from '../labels.js';

// the kinds the register takes (its API says residence_card)
const TYPE = Object.fromEntries(['passport', 'id_card', 'residence_card', 'visa', 'other'].map((k) => [k, DOC_KIND[k]]));
const REASON = { lost: 'Extravío', stolen: 'Robo', invalidated: 'Anulado' };

export async function render(main, ctx) {
  const canWrite = ctx.has('lost_stolen.write');
  const msg = h('div');
  const out = h('div');
  const num = h('input', { id: 'ex-numero', class: 'mono' });
  const reports = (items) => table(['Documento', 'Emisor', 'Motivo', 'Reportado', 'Fuente', 'Estado'], items.map((d) => h('tr', { dataset: { reporte: d.id } },
    h('td', { class: 'mono' }, `${docKind(d.document_type)} ${d.document_number}`), h('td', {}, d.issuing_state), h('td', {}, REASON[d.reason] || d.reason), h('td', {}, d.reported_on), h('td', {}, d.source),
    h('td', {}, h('span', { class: `etiqueta ${d.status === 'active' ? 'mal' : 'ok'}` }, d.status === 'active' ? 'Vigente' : 'Recuperado')))));
  async function search() {
    msg.replaceChildren();
    try {
      const r = await get(`/api/v1/documents/lost-stolen${qs({ document_number: docNumber(num.value), limit: 100 })}`);
      out.replaceChildren(reports(r.items));
    } catch (e) { msg.append(notice('error', e.message)); }
  }
  // one report opened from a match («Cotejo con las listas», the booth's
  // reason): shown first (the link led to the register's top, the report
  // somewhere among the hundred below)
  const detail = h('div', { id: 'ex-detalle' });
  async function show(id) {
    try {
      const d = await get(`/api/v1/documents/lost-stolen/${encodeURIComponent(id)}`);
      detail.replaceChildren(h('div', { class: 'panel' }, h('h2', {}, `Reporte n.º ${d.id}`), reports([d])));
    } catch (e) { msg.append(notice('error', e.message)); }
  }
  main.append(h('h1', {}, 'Documentos extraviados o robados'), h('p', { class: 'sub' }, 'Un documento de esta lista convierte la inspección en no admisión.'), msg, detail);
  if (canWrite) {
    const f = { document_number: h('input', { id: 'exn-numero', class: 'mono' }), document_type: h('select', { id: 'exn-tipo' }, Object.entries(TYPE).map(([k, t]) => h('option', { value: k }, t))), issuing_state: h('input', { id: 'exn-emisor', class: 'mono', maxlength: 3, value: 'SLV' }), reason: h('select', { id: 'exn-motivo' }, Object.entries(REASON).map(([k, t]) => h('option', { value: k }, t))) };
    const fmsg = h('div');
    const form = h('form', { class: 'panel' }, h('h2', {}, 'Reportar documento'),
      h('div', { class: 'fila' }, h('div', {}, field('Número', f.document_number)), h('div', {}, field('Tipo', f.document_type)), h('div', {}, field('Estado emisor', f.issuing_state)), h('div', {}, field('Motivo', f.reason))), fmsg,
      h('div', { class: 'acciones' }, h('button', { type: 'submit' }, 'Reportar')));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      fmsg.replaceChildren();
      try { await post('/api/v1/documents/lost-stolen', { document_number: docNumber(f.document_number.value), document_type: f.document_type.value, issuing_state: f.issuing_state.value.trim().toUpperCase(), reason: f.reason.value }); form.reset(); fmsg.append(notice('ok', 'Documento reportado.')); search(); } catch (e) {
        fmsg.append(fieldError(e, { document_number: [f.document_number, 'Número'], document_type: [f.document_type, 'Tipo'], issuing_state: [f.issuing_state, 'Estado emisor'], reason: [f.reason, 'Motivo'] }));
      }
    });
    main.append(form);
  }
  const sform = h('form', { class: 'panel' }, field('Número de documento', num), h('div', { class: 'acciones' }, h('button', { type: 'submit' }, 'Buscar')));
  sform.addEventListener('submit', (e) => { e.preventDefault(); search(); });
  main.append(h('h2', {}, 'Buscar'), sform, out,
    csvPanel({ id: 'csv-extraviados', title: 'Importar listas extranjeras y exportar (CSV)', importPath: '/api/v1/documents/lost-stolen/import', exportPath: '/api/v1/documents/lost-stolen/export', canWrite, onImported: search,
      columns: ['document_number', 'document_type', 'issuing_state', 'reason', 'reported_on', 'holder_given_names', 'holder_surnames', 'holder_birth_date', 'source'],
      required: ['document_number', 'document_type', 'issuing_state', 'reason'] }));
  const id = new URLSearchParams(location.hash.split('?')[1] || '').get('id');
  await Promise.all([search(), id ? show(id) : null]);
}
