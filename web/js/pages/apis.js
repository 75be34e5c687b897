// apis.js — the APIS desk: the flights of a day with the stage of their
// manifest (recibido, cotejado, arribado, conciliado), the hits of a
// manifest's screening most severe first with their explanation and the
// review buttons (descartar / a segunda línea), and the reconciliation.
import { h, notice, field, table, fmtDate } from '../dom.js';
import { get, post, qs } from '../api.js';
import { category, HOW, BIRTH } from '../labels.js';

const STAGE = { received: ['Recibido', ''], screened: ['Cotejado', 'ok'], arrived: ['Arribado', 'ok'], reconciled: ['Conciliado', 'ok'] };
const SEV = { critical: ['Crítica', 'mal'], high: ['Alta', 'mal'], medium: ['Media', 'alerta'], low: ['Baja', ''] };
const flightName = (m) => `${m.carrier} ${m.flight.startsWith(m.carrier) ? m.flight.slice(m.carrier.length) : m.flight}`;
const today = () => new Date(Date.now() - 6 * 3600e3).toISOString().slice(0, 10);

// One line in Spanish out of the explanation the server stored.
function explain(x) {
  const e = x.explanation || {};
  if (e.match === 'exact') return `Documento ${e.issuing_state} ${e.document_number} reportado (${e.reason}); coincidencia exacta.`;
  if (e.note) return `Nacionalidad ${e.nationality}: ${e.note}.`;
  const toks = (e.tokens || []).map((t) => (t.query === t.entry ? t.entry : `${t.query}→${t.entry} (${HOW[t.how] || t.how})`)).join(', ');
  const parts = e.parts ? `nombres ${e.parts.names}, nacimiento ${e.parts.birth_date}, documento ${e.parts.document}` : '';
  return `Nombres: ${toks || '—'}${e.birth_date_match ? `; nacimiento: ${BIRTH[e.birth_date_match] || e.birth_date_match}` : ''}${parts ? ` (${parts})` : ''}.`;
}

export async function render(main, ctx) {
  const canReview = ctx && ctx.has('apis.review');
  const day = h('input', { id: 'apis-dia', type: 'date', value: today() });
  const flights = h('div', { id: 'apis-vuelos' });
  const detail = h('div', { id: 'apis-detalle' });
  const msg = h('div');

  async function loadFlights() {
    msg.replaceChildren();
    try {
      const r = await get(`/api/v1/apis/manifests${qs({ date: day.value })}`);
      if (!r.items.length) { flights.replaceChildren(h('p', { class: 'sub' }, 'No hay manifiestos para este día.')); return; }
      flights.replaceChildren(table(['Vuelo', 'Lista', 'Ruta', 'Llegada', 'Personas', 'Estado', 'Coincidencias', ''],
        r.items.map((m) => {
          const [label, cls] = STAGE[m.stage] || [m.stage, ''];
          return h('tr', { dataset: { manifiesto: m.id } },
            h('td', { class: 'mono' }, flightName(m)),
            h('td', {}, m.list_type === 'crew' ? 'Tripulación' : 'Pasajeros'),
            h('td', {}, `${m.dep_port || '?'} → ${m.arr_port || '?'}`),
            h('td', {}, m.arr_time ? m.arr_time.replace('T', ' ') : ''),
            h('td', {}, String(m.passengers + m.crew)),
            h('td', {}, h('span', { class: `etiqueta ${cls}` }, label)),
            h('td', {}, m.screen_hits === null ? '—' : `${m.screen_hits} (${m.open_hits} sin revisar)`),
            h('td', {}, h('button', { type: 'button', class: 'sec ver-manifiesto', onclick: () => show(m) }, 'Ver')));
        })));
    } catch (e) { msg.append(notice('error', e.message)); }
  }

  async function show(m) {
    msg.replaceChildren();
    try {
      const [hits, rec] = await Promise.all([get(`/api/v1/apis/manifests/${m.id}/hits`), get(`/api/v1/apis/manifests/${m.id}/reconciliation`)]);
      const rescreen = canReview ? h('button', { type: 'button', class: 'sec', id: 'apis-recotejar', onclick: async () => {
        try { await post(`/api/v1/apis/manifests/${m.id}/screen`); await loadFlights(); await show(m); msg.append(notice('ok', 'Manifiesto cotejado de nuevo.')); } catch (e) { msg.append(notice('error', e.message)); }
      } }, 'Cotejar de nuevo') : null;
      detail.replaceChildren(
        h('div', { class: 'panel' }, h('h2', {}, `Coincidencias — ${flightName(m)} del ${m.flight_date}`),
          h('p', { class: 'sub' }, hits.screened_at ? `Cotejado: ${fmtDate(hits.screened_at)}` : 'Aún no cotejado.'), rescreen,
          hits.hits.length ? table(['Gravedad', 'Persona', 'Documento', 'Categoría', 'Puntaje', 'Explicación', 'Revisión'],
            hits.hits.map((x) => h('tr', { class: 'coincidencia', dataset: { hit: x.id } },
              h('td', {}, h('span', { class: `etiqueta ${SEV[x.severity][1]}` }, SEV[x.severity][0])),
              h('td', {}, `${x.given_names || ''} ${x.surnames || ''}`, h('br'), `${x.birth_date || ''} · ${x.nationality || ''} · ${x.role === 'crew' ? 'tripulante' : 'pasajero'}`),
              h('td', { class: 'mono' }, `${x.doc_issuing_state || ''} ${x.doc_number || ''}`),
              h('td', {}, category(x.category).filter(Boolean).join(': '), h('br'), h('span', { class: 'mono' }, x.record_ref)),
              h('td', {}, String(x.score)),
              h('td', { class: 'explicacion' }, explain(x)),
              h('td', {}, review(m, x))))) : h('p', {}, 'Sin coincidencias.')),
        h('div', { class: 'panel', id: 'apis-conciliacion' }, h('h2', {}, 'Conciliación'),
          h('p', { class: 'sub' }, `${rec.arrived} del manifiesto inspeccionados; ${rec.no_shows.length} no presentados; ${rec.not_on_manifest.length} fuera del manifiesto.`),
          h('h3', {}, m.stage === 'reconciled' ? 'No presentados' : 'No presentados (hasta ahora: la conciliación es definitiva cuando termina el día del vuelo)'),
          rec.no_shows.length ? table(['#', 'Persona', 'Nacimiento', 'Documento'], rec.no_shows.map((p) => h('tr', {}, h('td', {}, String(p.seq)), h('td', {}, `${p.given_names || ''} ${p.surnames || ''}`), h('td', {}, p.birth_date || ''), h('td', { class: 'mono' }, p.doc_number || '')))) : h('p', {}, 'Ninguno.'),
          h('h3', {}, 'Inspeccionados sin figurar en el manifiesto'),
          rec.not_on_manifest.length ? table(['Hora', 'Persona', 'Documento', 'Decisión'], rec.not_on_manifest.map((p) => h('tr', {}, h('td', {}, fmtDate(p.at)), h('td', {}, `${p.given_names || ''} ${p.surnames || ''}`), h('td', { class: 'mono' }, `${p.issuing_state || ''} ${p.doc_number || ''}`), h('td', {}, p.decision)))) : h('p', {}, 'Ninguno.')));
    } catch (e) { msg.append(notice('error', e.message)); }
  }

  function review(m, x) {
    const done = x.review ? h('div', {}, h('span', { class: `etiqueta ${x.review === 'cleared' ? 'ok' : 'mal'}` }, x.review === 'cleared' ? 'Descartada' : 'A segunda línea'),
      h('br'), h('small', {}, `${x.review_note || ''} — ${x.reviewed_by}`)) : null;
    if (!canReview) return done || 'Pendiente';
    const note = h('input', { placeholder: 'Nota para la cabina', class: 'nota-revision' });
    const send = (decision) => async () => {
      try { await post(`/api/v1/apis/hits/${x.id}/review`, { decision, ...(note.value.trim() ? { note: note.value.trim() } : {}) }); await show(m); await loadFlights(); } catch (e) { msg.append(notice('error', e.message)); }
    };
    return h('div', {}, done, note,
      h('button', { type: 'button', class: 'sec descartar', onclick: send('cleared') }, 'Descartar'),
      h('button', { type: 'button', class: 'segunda', onclick: send('secondary') }, 'A segunda línea'));
  }

  day.addEventListener('change', () => { detail.replaceChildren(); loadFlights(); });
  main.append(h('h1', {}, 'APIS — vuelos del día'),
    h('p', { class: 'sub' }, 'Manifiestos de pasajeros y tripulación recibidos de los transportistas, cotejados contra alertas, restricciones, documentos extraviados o robados y reglas de nacionalidad.'),
    h('div', { class: 'panel' }, field('Día del vuelo', day)), msg, flights, detail);
  await loadFlights();
}
