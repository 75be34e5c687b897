// apis.js — the APIS desk: the flights of a day with the stage of their
// manifest (esperado when the airport's schedule has it and nothing came
// yet; recibido, cotejado, arribado, conciliado; sin manifiesto when its
// arrival time passed or travelers arrived on a flight that sent none), the buses and ships of the
// post's prechequeo lists, the hits of a manifest's or list's screening most
// severe first with their explanation and the review buttons (descartar / a
// segunda línea), its travelers, the reconciliation, and the carriers'
// monthly compliance.
import { h, append, notice, field, table, fmtDate, count, localDay, fmtDay, fmtLocal, latestRead, tableRoles } from '../dom.js';
import { get, post, qs } from '../api.js';
import { category, HOW, BIRTH, SUB, recordLabel, portNames, portName, docShown, whole } from '../labels.js';
import { schedulePanel } from './programacion.js';

const STAGE = { received: ['Recibido', ''], screened: ['Cotejado', 'ok'], arrived: ['Arribado', 'ok'], reconciled: ['Conciliado', 'ok'], missing: ['Sin manifiesto', 'mal'] };
const SEV = { critical: ['Crítica', 'mal'], high: ['Alta', 'mal'], medium: ['Media', 'alerta'], low: ['Baja', ''] };
const DIR = { entry: 'Entrada', exit: 'Salida' };
const DECISION = { admit: 'Admitido', secondary: 'A segunda revisión', refuse: 'Inadmitido' };
const flightName = (m) => `${m.carrier} ${m.flight.startsWith(m.carrier) ? m.flight.slice(m.carrier.length) : m.flight}`;
const isList = (m) => m.mode && m.mode !== 'air';
const nameOf = (m) => (isList(m) ? `${m.mode === 'sea' ? 'Buque' : 'Autobús'} ${m.vehicle}` : `vuelo ${flightName(m)}`);
const hour = (t) => (t ? t.slice(11, 16) : '');
// A carrier's code in mono (TA, TICABUS); a name (the company a list
// gives, a carrier typed in full at an inadmission) in the text's type,
// narrower, with its column's share of the room at 1024 px (app.css,
// td.cu-nombre).  name: whether text is one; without it, one with a space.
const carrierCell = (text, title, name = /\s/.test(text || '')) => h('td', { class: name ? 'cu-nombre' : 'mono', title }, text);
const hitsCell = (m) => (m.screen_hits === null ? '—' : m.open_hits ? h('span', { class: 'etiqueta alerta' }, `${m.screen_hits} (${m.open_hits} sin revisar)`) : `${m.screen_hits}`);
const money = (c) => (Number(c) / 100).toLocaleString('es-SV', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
// a list's travelers: its passengers, and its crew when it has any (a
// ship's crew ashore, a bus's driver), said apart as a flight's crew list is
const people = (m) => (m.crew ? `${m.passengers} + ${count(m.crew, 'tripulante', 'tripulantes')}` : String(m.passengers));
// travelers inspected for a bus or ship without being on its list, each
// once (arrivals counts inspections: a listed traveler inspected twice is
// not one more «sin figurar en ella»)
const unlisted = (m) => m.arrivals_unlisted || 0;
// a crew member among a list's travelers, as the hits say it
const crewMark = (p) => (p.role === 'crew' ? [' ', h('small', { class: 'etiqueta tripulante' }, 'tripulante')] : []);
// the travelers of a list or manifest never inspected, in its order
const absentees = (rows) => table(['#', 'Persona', 'Nacimiento', 'Documento'], rows.map((p) => h('tr', {}, h('td', {}, String(p.seq)),
  h('td', {}, `${p.given_names || ''} ${p.surnames || ''}`, ...crewMark(p)), h('td', {}, fmtDay(p.birth_date)), h('td', { class: 'mono' }, p.doc_number || ''))));

// One line in Spanish out of the explanation the server stored.
function explain(x) {
  const e = x.explanation || {};
  // a visa or a second passport the carrier listed besides the travel
  // document is screened too: the line says which one was found
  const other = e.document?.listed_as === 'other_document'
    ? ` Es otro documento del viajero en la lista (${/^V/i.test(e.document.doc_type || '') ? 'visa' : `tipo ${e.document.doc_type || 'sin tipo'}`}), no el de viaje.` : '';
  if (e.match === 'exact') return `Documento ${e.issuing_state} ${e.document_number} reportado por ${SUB[e.reason] || e.reason}; coincidencia exacta.${other}`;
  if (e.note) return `Nacionalidad ${e.nationality}: ${e.note}.`;
  const toks = (e.tokens || []).map((t) => (t.query === t.entry ? t.entry : `${t.query}→${t.entry} (${HOW[t.how] || t.how})`)).join(', ');
  // the parts of the score that were compared (a part not compared is null)
  const parts = e.parts ? [['nombres', e.parts.names], ['nacimiento', e.parts.birth_date], ['documento', e.parts.document]]
    .filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => `${k} ${v}`).join(', ') : '';
  return `Nombres: ${toks || '—'}${e.birth_date_match ? `; nacimiento: ${BIRTH[e.birth_date_match] || e.birth_date_match}` : ''}${parts ? ` (${parts})` : ''}.`;
}

export async function render(main, ctx) {
  const canReview = ctx && ctx.has('apis.review');
  const day = h('input', { id: 'apis-dia', type: 'date', value: localDay() });
  const flights = h('div', { id: 'apis-vuelos' });
  const port = h('select', { id: 'apis-puesto' });
  const lists = h('div', { id: 'apis-listas' });
  const detail = h('div', { id: 'apis-detalle' });
  const msg = h('div');

  // A list the airline split in parts (UNH 0070/0073) that has not all
  // arrived: which parts are missing ("faltan partes 2, 4"; the last one
  // while no part marked final came), under its stage, so the desk asks
  // the carrier for them; and "parte 1, 3 de 4" under the count.
  function missingText(p) {
    const nums = p.missing || [];
    const last = p.final === null;
    if (!nums.length) return last ? 'falta la última parte' : '';
    return `${nums.length > 1 ? 'faltan partes' : 'falta la parte'} ${nums.join(', ')}${last ? ' y la última' : ''}`;
  }
  function partsNote(m) {
    const p = m.parts;
    if (!p || p.complete) return [];
    const got = p.received.split(',');
    return [h('br'), h('span', { class: 'sub partes' }, `${got.length > 1 ? 'partes' : 'parte'} ${got.join(', ')} de ${p.final || '?'}`)];
  }
  function partsMissing(m) {
    const p = m.parts;
    if (!p || p.complete) return [];
    return [h('br'), h('span', { class: 'etiqueta mal incompleto frase', title: 'Lista en partes: pida al transportista las que faltan' }, `incompleto: ${missingText(p)}`)];
  }

  async function loadFlights() {
    msg.replaceChildren();
    try {
      const r = await get(`/api/v1/apis/manifests${qs({ date: day.value })}`);
      const expected = r.expected || [];
      if (!r.items.length && !r.missing.length && !expected.length) { flights.replaceChildren(h('p', { class: 'sub' }, 'No hay manifiestos ni vuelos programados para este día.')); return; }
      // scheduled flights that have sent nothing: expected, or overdue once
      // their arrival time has passed
      const waiting = expected.map((x) => h('tr', { class: x.stage === 'overdue' ? 'sin-manifiesto programado' : 'esperado' },
        h('td', { class: 'mono entero' }, `${x.carrier} ${x.flight}`), h('td', {}, '—'), h('td', {}, `${x.origin || '?'} → ${x.port}`),
        h('td', {}, x.arrival), h('td', {}, '—'),
        h('td', {}, x.stage === 'overdue' ? h('span', { class: 'etiqueta mal' }, 'Sin manifiesto') : h('span', { class: 'etiqueta' }, 'Esperado')),
        h('td', {}, x.stage === 'overdue' ? 'Hora de llegada pasada' : 'Manifiesto aún no recibido'), h('td', {})));
      const missing = r.missing.map((x) => h('tr', { class: 'sin-manifiesto' },
        h('td', { class: 'mono' }, whole(x.transport || x.flight)), h('td', {}, '—'), h('td', {}, `→ ${x.port || '?'}`), h('td', {}, ''),
        h('td', {}, count(x.inspections, 'inspeccionado', 'inspeccionados')), h('td', {}, h('span', { class: 'etiqueta mal' }, 'Sin manifiesto')),
        h('td', {}, 'Multa propuesta'), h('td', {})));
      flights.replaceChildren(table(['Vuelo', 'Lista', 'Ruta', 'Llegada', 'Personas', 'Estado', 'Coincidencias', ''],
        [...r.items.map((m) => {
          const [label, cls] = STAGE[m.stage] || [m.stage, ''];
          return h('tr', { dataset: { manifiesto: m.id } },
            h('td', { class: 'mono entero' }, flightName(m)),
            h('td', {}, m.list_type === 'crew' ? 'Tripulación' : 'Pasajeros'),
            h('td', {}, `${m.dep_port || '?'} → ${m.arr_port || '?'}`),
            // the airport's local time, as the manifest gives it
            h('td', {}, fmtLocal(m.arr_time)),
            h('td', {}, String(m.passengers + m.crew), ...partsNote(m)),
            h('td', {}, h('span', { class: `etiqueta ${cls}` }, label), ...partsMissing(m)),
            h('td', {}, hitsCell(m)),
            h('td', {}, h('button', { type: 'button', class: 'sec ver-manifiesto', onclick: () => show(m) }, 'Ver')));
        }), ...missing, ...waiting]));
    } catch (e) { msg.append(notice('error', e.message)); }
  }

  // the latest read wins: the post chosen while the first post's lists
  // were on their way (the page opens on La Hachadura, the officer
  // chooses Acajutla) is the one shown; the late answer for La Hachadura
  // put «Ningún autobús ni buque…» under «Puerto de Acajutla».  aria-busy
  // while a read is on its way.
  const readLists = latestRead(lists);
  async function loadLists() {
    if (!port.value) return;
    await readLists(() => get(`/api/v1/prechequeo/lists${qs({ port: port.value, date: day.value })}`), (r) => {
      const missing = r.missing || [];
      if (!r.items.length && !missing.length) { lists.replaceChildren(h('p', { class: 'sub' }, 'Ningún autobús ni buque con lista de prechequeo para este día en la delegación.')); return; }
      // buses and ships that came without a list (carrier compliance found them)
      const without = missing.map((x) => h('tr', { class: 'sin-lista' },
        h('td', {}, '—'),
        h('td', {}, h('strong', { class: 'mono entero' }, x.vehicle || x.vehicle_key), h('br'), h('small', {}, x.mode === 'sea' ? 'Buque' : 'Autobús')),
        carrierCell(x.carrier),
        h('td', {}, DIR[x.direction] || x.direction || ''),
        h('td', {}, count(x.inspections, 'inspeccionado', 'inspeccionados')),
        h('td', {}, h('span', { class: 'etiqueta mal' }, 'Sin lista')),
        h('td', {}, x.status === 'proposed' ? 'Multa propuesta' : 'Multa'),
        h('td', {})));
      lists.replaceChildren(table(['Llegada', 'Transporte', 'Empresa', 'Sentido', 'Viajeros', 'Estado', 'Coincidencias', ''],
        [...r.items.map((m) => {
          const [label, cls] = STAGE[m.stage] || [m.stage, ''];
          return h('tr', { dataset: { lista: m.id } },
            h('td', {}, hour(m.arrival)),
            // a trip's code whole («GUA-SSA-0600», not broken at a hyphen)
            h('td', {}, h('strong', { class: 'mono entero' }, m.vehicle), h('br'), h('small', {}, `${m.mode === 'sea' ? 'Buque' : 'Autobús'}${m.trip ? ' · viaje ' : ''}`, m.trip ? h('span', { class: 'entero' }, m.trip) : null)),
            carrierCell(m.company || m.carrier, null, !!m.company),
            h('td', {}, DIR[m.direction] || m.direction || ''),
            // of the list's passengers, how many were inspected; those
            // inspected without being on it said apart
            h('td', {}, m.arrivals ? `${people(m)} (${count(m.arrivals_listed ?? m.arrivals, 'inspeccionado', 'inspeccionados')}${unlisted(m) ? `; ${unlisted(m)} más sin figurar en ella` : ''})` : people(m)),
            h('td', {}, h('span', { class: `etiqueta ${cls}` }, label)),
            h('td', {}, hitsCell(m)),
            h('td', {}, h('button', { type: 'button', class: 'sec ver-lista', onclick: () => show(m) }, 'Ver lista')));
        }), ...without]));
    }, (e) => msg.append(notice('error', e.message)));
  }

  async function show(m) {
    msg.replaceChildren();
    try {
      // the post by its name («Entrada por Puerto de Acajutla», not «por ACA»)
      const [hits, rec, full, names] = await Promise.all([get(`/api/v1/apis/manifests/${m.id}/hits`), get(`/api/v1/apis/manifests/${m.id}/reconciliation`),
        isList(m) ? get(`/api/v1/apis/manifests/${m.id}`) : null, portNames()]);
      const rescreen = canReview ? h('button', { type: 'button', class: 'sec', id: 'apis-recotejar', onclick: async () => {
        try { await post(`/api/v1/apis/manifests/${m.id}/screen`); await reload(); await show(m); msg.append(notice('ok', isList(m) ? 'Lista cotejada de nuevo.' : 'Manifiesto cotejado de nuevo.')); } catch (e) { msg.append(notice('error', e.message)); }
      } }, 'Cotejar de nuevo') : null;
      detail.replaceChildren(
        h('div', { class: 'panel' }, h('h2', {}, `Coincidencias — ${nameOf(m)} del ${fmtDay(m.flight_date)}`),
          h('p', { class: 'sub' }, hits.screened_at ? `Cotejado: ${fmtDate(hits.screened_at)}` : 'Aún no cotejado.'), rescreen,
          hits.hits.length ? table(['Gravedad', 'Persona', 'Documento', 'Categoría', 'Puntaje', 'Explicación', 'Revisión'],
            hits.hits.map((x) => h('tr', { class: 'coincidencia', dataset: { hit: x.id } },
              h('td', {}, h('span', { class: `etiqueta ${SEV[x.severity][1]}` }, SEV[x.severity][0])),
              h('td', {}, `${x.given_names || ''} ${x.surnames || ''}`, h('br'), `${fmtDay(x.birth_date)} · ${x.nationality || ''} · ${x.role === 'crew' ? 'tripulante' : 'pasajero'}`),
              h('td', { class: 'mono' }, `${x.doc_issuing_state || ''} ${x.doc_number || ''}`),
              h('td', {}, category(x.category).filter(Boolean).join(': '), h('br'), h('small', {}, recordLabel(x.record_ref))),
              h('td', {}, String(x.score)),
              h('td', { class: 'explicacion' }, explain(x)),
              h('td', {}, review(m, x))))) : h('p', {}, 'Sin coincidencias.')),
        h('div', { class: 'panel', id: 'apis-conciliacion' }, h('h2', {}, 'Conciliación'),
          // the passengers who did not present themselves; the crew who
          // stayed aboard (hundreds on a cruise ship) said apart, folded.
          // Of those inspected, the crew ashore said apart from the
          // passengers when the list carries crew at all
          h('p', { class: 'sub' }, `${isList(m) ? 'De la lista' : 'Del manifiesto'}: ${count(rec.arrived, 'inspeccionado', 'inspeccionados')}${rec.crew_ashore || rec.crew_aboard.length ? ` (${count(rec.passengers_arrived, 'pasajero', 'pasajeros')}, ${count(rec.crew_ashore, 'tripulante', 'tripulantes')})` : ''}, ${count(rec.passenger_no_shows.length, 'no presentado', 'no presentados')}${rec.crew_aboard.length ? `, ${count(rec.crew_aboard.length, 'tripulante', 'tripulantes')} a bordo` : ''}; ${count(rec.not_on_manifest.length, 'inspeccionado', 'inspeccionados')} sin figurar en ${isList(m) ? 'ella' : 'él'}.`),
          h('h3', {}, m.stage === 'reconciled' ? 'No presentados' : `No presentados (hasta ahora: la conciliación es definitiva cuando termina el día ${isList(m) ? 'de llegada' : 'del vuelo'})`),
          h('div', { id: 'apis-no-presentados' }, rec.passenger_no_shows.length ? absentees(rec.passenger_no_shows) : h('p', {}, 'Ninguno.')),
          rec.crew_aboard.length ? h('details', { id: 'apis-a-bordo' }, h('summary', {}, `${count(rec.crew_aboard.length, 'tripulante', 'tripulantes')} a bordo (no pasaron por la cabina)`),
            absentees(rec.crew_aboard)) : null,
          // a ship's or a bus's list is a list, as the line above says
          h('h3', {}, `Inspeccionados sin figurar en ${isList(m) ? 'la lista' : 'el manifiesto'}`),
          rec.not_on_manifest.length ? table(['Hora', 'Persona', 'Documento', 'Decisión'], rec.not_on_manifest.map((p) => h('tr', {}, h('td', {}, fmtDate(p.at)), h('td', {}, `${p.given_names || ''} ${p.surnames || ''}`), h('td', { class: 'mono' }, `${p.issuing_state || ''} ${docShown(p.doc_number, p.issuing_state)}`), h('td', {}, DECISION[p.decision] || p.decision)))) : h('p', {}, 'Ninguno.')),
        full ? h('div', { class: 'panel', id: 'apis-viajeros' }, h('h2', {}, `Viajeros de la lista (${full.crew ? `${count(full.passengers, 'pasajero', 'pasajeros')} y ${count(full.crew, 'tripulante', 'tripulantes')}` : full.persons.length})`),
          h('p', { class: 'sub' }, `${full.company || full.carrier} · ${DIR[full.direction] || ''} por ${portName(names, full.arr_port)} · llegada prevista ${fmtLocal(full.arr_time)}`),
          table(['#', 'Apellidos y nombres', 'Nacimiento', 'Sexo', 'Nacionalidad', 'Documento', 'Vence'], full.persons.map((p) => h('tr', {},
            h('td', {}, String(p.seq)), h('td', {}, `${p.surnames || ''}, ${p.given_names || ''}`, ...crewMark(p)), h('td', {}, fmtDay(p.birth_date)), h('td', {}, p.sex || ''),
            h('td', {}, p.nationality || ''), h('td', { class: 'mono' }, `${p.doc_type || ''} ${p.doc_issuing_state || ''} ${p.doc_number || ''}`), h('td', {}, fmtDay(p.doc_expiry)))))) : '');  // replaceChildren would print a null
      detail.scrollIntoView({ block: 'start' });
    } catch (e) { msg.append(notice('error', e.message)); }
  }

  function review(m, x) {
    const done = x.review ? h('div', {}, h('span', { class: `etiqueta ${x.review === 'cleared' ? 'ok' : 'mal'}` }, x.review === 'cleared' ? 'Descartada' : 'A segunda línea'),
      h('br'), h('small', {}, `${x.review_note || ''} — ${x.reviewed_by}`)) : null;
    if (!canReview) return done || 'Pendiente';
    const note = h('input', { placeholder: 'Nota para la cabina', class: 'nota-revision' });
    const send = (decision) => async () => {
      try { await post(`/api/v1/apis/hits/${x.id}/review`, { decision, ...(note.value.trim() ? { note: note.value.trim() } : {}) }); await show(m); await reload(); } catch (e) { msg.append(notice('error', e.message)); }
    };
    return h('div', {}, done, note,
      h('button', { type: 'button', class: 'sec descartar', onclick: send('cleared') }, 'Descartar'),
      h('button', { type: 'button', class: 'segunda', onclick: send('secondary') }, 'A segunda línea'));
  }

  // the carriers' monthly compliance: what the machine proposed, what the
  // supervisors confirmed and what was collected
  const canFines = ctx && ctx.has('carrier_fines.read');
  const canEvaluate = ctx && ctx.has('carrier_fines.write');
  const month = h('input', { id: 'apis-mes', type: 'month', value: localDay().slice(0, 7) });
  const report = h('div', { id: 'apis-cumplimiento' });
  const csvLink = h('a', { id: 'apis-csv', class: 'boton sec', download: '' }, 'Descargar CSV');
  const cmsg = h('div');
  // Fines for an inaccurate manifest that charge the carrier twice for one
  // traveler and flight (proposed twice before the evaluation counted the
  // traveler once, or typed by hand): not in «Inexactos», still in the
  // register, for a supervisor to cancel.  The figures did not say so;
  // the link opens the register on them and the fines they repeat.  In
  // a cell of its own, the row's last: on the row's second line, from
  // «Inexactos» to its end (app.css); in «Multas» it broke over two
  // lines at 1366 and 1920 px.
  const repeated = (c, m) => (c.inaccurate_repeated ? h('td', { class: 'cu-repetidas' }, h('a', {
    class: 'etiqueta mal multas-repetidas',
    href: `#/multas?${new URLSearchParams({ mes: m, repetidas: c.carrier })}`,
    title: 'Abre en «Multas a transportistas» estas multas y las que repiten',
  }, `${count(c.inaccurate_repeated, 'multa repetida', 'multas repetidas')} por el mismo viajero y vuelo: revisar y anular`)) : null);
  async function loadReport() {
    cmsg.replaceChildren();
    csvLink.href = `/api/v1/carrier-compliance/report${qs({ month: month.value, format: 'csv' })}`;
    try {
      const r = await get(`/api/v1/carrier-compliance/report${qs({ month: month.value })}`);
      report.replaceChildren(table(['Transportista', { text: 'Manifiestos y listas', class: 'num' }, { text: 'Tardíos', class: 'num' }, { text: 'Faltantes', class: 'num' },
        { text: 'Inexactos', class: 'num' }, { text: 'Inadmitidos', class: 'num' }, 'Multas', 'Importes (USD)'],
      r.items.map((c) => h('tr', { dataset: { transportista: c.carrier } }, carrierCell(c.carrier, c.company),
        ...[c.manifests_received, c.late, c.missing, c.inaccurate, c.inadmissible].map((n) => h('td', { class: 'num' }, String(n))),
        h('td', {}, c.fines_proposed ? h('span', { class: 'etiqueta alerta' }, `${c.fines_proposed} por confirmar`) : null, c.fines_proposed ? h('br') : null,
          h('small', {}, `${count(c.fines_confirmed, 'confirmada', 'confirmadas')} · ${count(c.fines_collected, 'cobrada', 'cobradas')}${c.fines_cancelled ? ` · ${count(c.fines_cancelled, 'anulada', 'anuladas')}` : ''}`)),
        h('td', {}, `Confirmado ${money(c.confirmed_amount_cents)}${c.fines_amount_unknown ? ` + ${c.fines_amount_unknown} según resolución` : ''}`, h('br'),
          h('small', {}, `Cobrado ${money(c.collected_amount_cents)}`)),
        repeated(c, r.month)))));
      // laid out as a grid (app.css), still a table to a screen reader
      tableRoles(report);
    } catch (e) { cmsg.append(notice('error', e.message)); }
  }
  const compliance = canFines ? h('div', { class: 'panel', id: 'apis-panel-cumplimiento' }, h('h2', {}, 'Cumplimiento de transportistas'),
    h('p', { class: 'sub' }, 'Manifiestos y listas tardíos, vuelos arribados sin manifiesto, viajeros fuera del manifiesto o con datos que no coinciden y pasajeros inadmitidos: el sistema propone la multa; la confirma o anula un supervisor en «Multas a transportistas». Los montos que la ley no fija en las tablas quedan «según resolución».'),
    h('div', { class: 'fila' }, h('div', {}, field('Mes', month))),
    h('div', { class: 'acciones' },
      h('button', { type: 'button', class: 'sec', onclick: loadReport }, 'Consultar'),
      csvLink,
      canEvaluate ? h('button', { type: 'button', id: 'apis-evaluar', onclick: async () => {
        cmsg.replaceChildren();
        try {
          const r = await post('/api/v1/carrier-compliance/evaluate', { date: day.value });
          await loadReport(); await loadFlights();
          cmsg.append(notice('ok', r.proposed ? `${r.proposed} multa(s) propuesta(s) para el ${r.date}.` : `Sin hechos nuevos el ${r.date}.`));
        } catch (e) { cmsg.append(notice('error', e.message)); }
      } }, 'Evaluar cumplimiento del día') : null,
      h('a', { href: '#/multas' }, 'Revisar las multas propuestas')),
    cmsg, report) : null;
  month.addEventListener('change', loadReport);

  // the airport's schedule, loaded by the desk (apis.review)
  const prog = canReview ? schedulePanel({ day, onLoaded: async (date) => {
    if (date && date !== day.value) { day.value = date; detail.replaceChildren(); await reload(); } else await loadFlights();
  } }) : null;

  async function reload() { await Promise.all([loadFlights(), loadLists(), prog ? prog.refresh() : null]); }
  day.addEventListener('change', () => { detail.replaceChildren(); reload(); });
  port.addEventListener('change', () => { localStorage.setItem('sigm.apis.port', port.value); loadLists(); });
  // append() skips what a role does not see (no schedule, no fines):
  // Element.append would print it as "null"
  append(main, [h('h1', {}, 'APIS y prechequeo — llegadas del día'),
    h('p', { class: 'sub' }, 'Manifiestos de vuelos y listas de autobuses y cruceros recibidos de los transportistas, cotejados contra alertas, restricciones, documentos extraviados o robados y reglas de nacionalidad.'),
    h('div', { class: 'panel' }, field('Día de llegada', day)), msg,
    h('h2', {}, 'Vuelos'), prog ? prog.panel : null, flights,
    h('h2', {}, 'Autobuses y buques (prechequeo terrestre y marítimo)'),
    h('div', { class: 'panel' }, field('Delegación', port)), lists,
    detail, compliance]);
  try {
    const ports = (await get('/api/v1/ports')).filter((p) => p.active && p.kind !== 'air');
    const saved = localStorage.getItem('sigm.apis.port') || localStorage.getItem('sigm.port');
    port.replaceChildren(...ports.map((p) => h('option', { value: p.code }, `${p.name} (${p.kind === 'sea' ? 'marítimo' : 'terrestre'})`)));
    if (ports.some((p) => p.code === saved)) port.value = saved;
  } catch (e) { msg.append(notice('error', e.message)); }
  await Promise.all([reload(), canFines ? loadReport() : null]);
}
