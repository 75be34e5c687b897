// personas.js — find a person by document or surnames; their timeline.
import { h, notice, field, table, fmtDate, fmtDay, money, localDay, fieldError, docNumber, moreButton } from '../dom.js';
import { get, post, qs } from '../api.js';
import { paymentForm } from '../fines.js';
import { docKind, MOTIVE, resolutionLabel, decisionLabel, portNames, portName, docShown, NO_DOCUMENTS, whole } from '../labels.js';

// the posts by name (read when the page opens)
let posts = new Map();
const postName = (code) => portName(posts, code);

const DIR = { entry: 'Entrada', exit: 'Salida' };
// a movement entered after an outage says so, with its paper form
const contingency = (m) => {
  const c = (m.reasons || []).find((x) => x.code === 'contingency_record');
  return c ? ` · registro de contingencia, formulario ${c.record}, registrado el ${fmtDate(m.recorded_at)}` : '';
};

const detail = (...parts) => parts.filter(Boolean).join(' · ');
// a compensating entry says what it voids, why and who approved it
// an entry says the stay it was given: the one that stands, whatever the
// booth said before a supervisor decided
const movement = (m) => detail(postName(m.port), m.transport, m.corrects_movement_id ? `anula el movimiento n.º ${m.corrects_movement_id}: ${m.correction_reason || ''} (aprobó ${m.approved_by_name || m.approved_by || '—'})` : null,
  !m.corrects_movement_id && m.direction === 'entry' && m.permitted_stay_days ? `permanencia autorizada: ${m.permitted_stay_days} días` : null) + contingency(m);
// the reasons as the booth said them, in Spanish
// the supervisor's resolution as it was given: the legal ground, the
// inadmission with the return, the justification
// an exit refused and still open waits for the supervisor, not for an inadmission
const resolved = (i) => (i.status === 'pending' ? detail(i.decision === 'refuse' && i.direction !== 'exit' ? 'acta de inadmisión pendiente' : 'pendiente de resolución', i.resolution_notes)
  : !i.resolution ? null
    : detail(`resuelta: ${resolutionLabel(i)}${i.resolved_by ? ` (${i.resolved_by_name || i.resolved_by})` : ''}`,
      i.legal_ground && `fundamento: ${i.legal_ground}`,
      i.inadmission_id && `inadmisión n.º ${i.inadmission_id}${i.carrier ? `, transportista ${i.carrier}` : ''}${i.return_transport ? `, retorno en ${i.return_transport}` : ''}`,
      i.referral_id && `remisión n.º ${i.referral_id}: ${MOTIVE[i.referral_motive] || i.referral_motive} (${REFERRAL[i.referral_status] || i.referral_status}${i.referral_outcome ? `: ${i.referral_outcome}` : ''})`,
      i.resolution_notes && `observaciones: ${i.resolution_notes}`));
// An inspection's tag: what became of it.  A case the supervisor resolved
// says the resolution (an inadmission read «Inspección: segunda revisión»
// in amber, as if the case were still open); one still open, or decided
// at the booth, the booth's decision.
const TAG = { admit: 'ok', superseded: 'ok', refuse: 'mal', refer_atencion_migrante: 'alerta' };
const inspectionTag = (i) => (i.status === 'resolved' && i.resolution
  ? h('span', { class: `etiqueta ${TAG[i.resolution] || ''}` }, `Inspección: ${resolutionLabel(i)}`)
  : h('span', { class: `etiqueta ${i.decision === 'admit' ? 'ok' : i.decision === 'refuse' ? 'mal' : 'alerta'}` }, `Inspección: ${decisionLabel(i)}`));
const REFERRAL = { open: 'por recibir', received: 'en atención', closed: 'cerrada' };
// a case the booth did not admit granted no stay by itself: what it would
// have been is left out (the movement says what was granted)
// nor one whose crossing was voided since: that stay does not exist
const inspection = (i, voided) => detail(postName(i.port), DIR[i.direction], i.transport,
  (i.reasons || []).filter((x) => (i.decision === 'admit' && !voided) || x.code !== 'stay_granted').map((x) => x.message || x.code).join(' '), resolved(i),
  voided && `su movimiento n.º ${i.movement_id} fue anulado`);
const fine = (f) => detail(`Permanencia excedida ${f.days} día${f.days === 1 ? '' : 's'}`, money(f.amount_cents),
  // a fine whose exit was voided is not a debt: held for a refund or a
  // credit, or cancelled (both read «pendiente de cobro»)
  FINE_STATE[f.status] ? FINE_STATE[f.status](f) : f.status, `multa n.º ${f.id}`, f.legal_basis, f.status_note);
const FINE_STATE = { paid: (f) => `pagada, recibo ${f.receipt}`, pending: () => 'pendiente de cobro',
  refund_review: (f) => `pagada (recibo ${f.receipt}), salida anulada: se reembolsa o se abona a su próxima salida`, cancelled: () => 'anulada con su salida' };

// the records a supervisor confirmed to be this person, and those still to
// review; the history shows the linked records' events, each marked
function dupes(p) {
  const open = p.possible_duplicates.filter((d) => d.status === 'open');
  const same = p.possible_duplicates.filter((d) => d.status === 'same');
  const link = (d) => h('a', { href: `#/personas?id=${d.person_id}` }, `persona n.º ${d.person_id}`);
  return [open.length ? h('div', { class: 'aviso info', role: 'status' }, 'Posibles duplicados por revisar: ', open.map((d, i) => [i ? ', ' : '', link(d)]), ' · ', h('a', { href: '#/duplicados' }, 'revisar')) : null,
    same.length ? h('div', { class: 'aviso info vinculados', role: 'status' }, 'Misma persona que ', same.map((d, i) => [i ? ', ' : '', link(d),
      ` (confirmado por ${d.reviewed_by}${d.review_note ? `: ${d.review_note}` : ''})`]), '. El historial incluye sus registros.') : null];
}
// An extension's day as it stands: the extensions of one entry are
// chained, so annulling one moves the days of those granted after it.
function standing(events) {
  const plus = (d, n) => new Date(Date.parse(`${d}T12:00:00Z`) + n * 86400e3).toISOString().slice(0, 10);
  const run = {};
  events.filter((e) => e.type === 'stay_extension').map((e) => e.stay_extension).sort((a, b) => a.id - b.id).forEach((x) => {
    const k = x.entry_movement_id;
    run[k] ??= x.previous_until;
    if (!x.annulled_at) { run[k] = plus(run[k], x.days); x.standing_until = run[k]; }
  });
}
const extension = (x) => detail(`${x.days} día${x.days === 1 ? '' : 's'} más: permanencia autorizada hasta ${fmtDay(x.standing_until || x.permitted_until)}`
  + (x.standing_until && x.standing_until !== x.permitted_until ? ` (al concederla: hasta ${fmtDay(x.permitted_until)}; cambió al anularse una prórroga anterior)` : ` (antes ${fmtDay(x.previous_until)})`),
  `resolución ${x.resolution}`, x.requested_on && `solicitada el ${fmtDay(x.requested_on)}`, `concedida por ${x.granted_by}`, x.note,
  x.annulled_at && `ANULADA el ${fmtDate(x.annulled_at)} por ${x.annulled_by}: ${x.annul_reason}`);

// where the person is now, as the booth reads it (all linked records)
function stayLine(s) {
  if (!s) return h('p', { class: 'sub permanencia' }, 'Sin movimientos registrados.');
  if (!s.inside) return h('p', { class: 'sub permanencia' }, `Fuera del país: salió el ${fmtDate(s.since)} por ${postName(s.port) || '—'}.`);
  const over = s.permitted_until && s.permitted_until < localDay();
  return h('p', { class: 'sub permanencia' }, `En el país desde el ${fmtDate(s.since)} (ingresó por ${postName(s.port) || '—'}) · `,
    s.permitted_until ? [`permanencia autorizada hasta el ${fmtDay(s.permitted_until)}`, over ? [' ', h('span', { class: 'etiqueta mal' }, 'vencida')] : null] : 'sin plazo de permanencia registrado');
}

// Extranjería grants an extension of stay (prórroga) while the stay runs,
// or later when it was requested in time
function extensionForm(p, s, onGranted) {
  const days = h('input', { id: 'pe-pr-dias', type: 'number', min: '1', max: '365', step: '1' });
  const res = h('input', { id: 'pe-pr-resolucion', placeholder: 'DEX-PR-2026-…' });
  const asked = h('input', { id: 'pe-pr-solicitud', type: 'date', value: localDay(), max: localDay() });
  const note = h('input', { id: 'pe-pr-nota', placeholder: 'Motivo (opcional)' });
  const said = h('div');
  const form = h('form', { class: 'panel prorroga' }, h('h3', {}, 'Prórroga de permanencia'),
    h('p', { class: 'sub' }, s.permitted_until ? `Permanencia autorizada hasta el ${fmtDay(s.permitted_until)}. La prórroga se suma a ese día.`
      : 'La entrada no registra plazo: la prórroga se suma a la permanencia que las tablas dan a su nacionalidad.'),
    h('div', { class: 'fila' }, h('div', {}, field('Días', days)), h('div', {}, field('Resolución n.º', res)), h('div', {}, field('Solicitada el', asked)), h('div', {}, field('Observaciones', note))),
    h('div', { class: 'acciones' }, h('button', { type: 'submit', id: 'pe-pr-conceder' }, 'Conceder prórroga')), said);
  // an error is about what was sent: changing a field takes it away (a
  // new value the browser then refuses to send left the old one standing)
  form.addEventListener('input', () => said.replaceChildren());
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    said.replaceChildren();
    try {
      const r = await post(`/api/v1/persons/${p.id}/stay-extensions`, { days: days.value ? Number(days.value) : undefined, resolution: res.value.trim() || undefined,
        requested_on: asked.value || undefined, note: note.value.trim() || undefined });
      await onGranted(r);
    } catch (e) { said.append(fieldError(e, { days: [days, 'Días'], resolution: [res, 'Resolución n.º'], requested_on: [asked, 'Solicitada el'], note: [note, 'Observaciones'] })); }
  });
  return form;
}

const otherRecord = (e, p) => {
  const o = e[e.type] && e[e.type].person_id;
  // this person's document shown by somebody else (kept apart, flagged
  // as a possible duplicate): who it was, a click away
  if (e.type === 'inspection' && e.inspection.presented_by_other) {
    return [h('span', { class: 'etiqueta mal frase' }, 'Documento presentado por otra persona'), ' ',
      h('a', { href: `#/personas?id=${o}`, class: 'presentado-por' }, `persona n.º ${o}`), ' · '];
  }
  return o && o !== p.id ? [h('span', { class: 'etiqueta' }, `registro n.º ${o}`), ' '] : null;
};

export async function render(main, ctx) {
  posts = await portNames();
  const doc = h('input', { id: 'pe-doc', class: 'mono', placeholder: 'Número de documento' });
  const sur = h('input', { id: 'pe-apellidos', placeholder: 'Apellidos (basta el primero)' });
  const out = h('div');
  // the last search's list, kept while a person's history is read
  let results = null;
  const msg = h('div');
  // a notice is about what was just done: typing the next thing clears it
  // (a stale «Prórroga concedida» under a form the browser refused to send
  // read as if the new one had gone through)
  out.addEventListener('input', () => msg.replaceChildren());
  // The history comes a page at a time, the latest first (a daily
  // trucker has thousands of crossings): «Ver anteriores» adds the page
  // before it above, and what stands is read over everything loaded.
  async function timeline(id) {
    msg.replaceChildren();
    try {
      const t = await get(`/api/v1/persons/${id}/timeline`);
      render(id, t, t.events, t.next_cursor);
    } catch (e) { msg.append(notice('error', e.message)); }
  }
  async function earlier(id, t, events, cursor) {
    try {
      const more = await get(`/api/v1/persons/${id}/timeline?cursor=${encodeURIComponent(cursor)}`);
      render(id, t, [...more.events, ...events], more.next_cursor);
    } catch (e) { msg.append(notice('error', e.message)); }
  }
  function render(id, t, events, next) {
    const p = t.person;
    // the movements a compensating entry voided: shown, never as crossings that stand
    const voided = new Set(events.filter((e) => e.type === 'movement' && e.movement.corrects_movement_id).map((e) => e.movement.corrects_movement_id));
    standing(events);
    // the button that asked for it is gone with the list: the cursor goes
    // to the person (it fell to the page's top, a walk through the menu
    // away from the history)
    const name = h('h2', { id: 'pe-persona', tabindex: '-1' }, `${p.given_names || ''} ${p.surnames || ''}`);
    // back to the search that led here (the list was gone: a clerk
    // going through ten namesakes searched again for each)
    const back = results ? h('p', {}, h('button', { type: 'button', class: 'sec', id: 'pe-volver', onclick: () => {
      msg.replaceChildren();
      out.replaceChildren(...results.nodes);
      const b = results.nodes[0].querySelector(`button[data-persona="${id}"]`);
      if (b) b.focus();
    } }, '← Volver a los resultados')) : null;
    out.replaceChildren(...(back ? [back] : []), h('div', { class: 'panel' },
      name,
      // a traveler recorded without a document says what they say: the
      // sex or the nationality not said read «·  ·»
      h('p', { class: 'sub', id: 'pe-datos' }, `Nacimiento ${fmtDay(p.birth_date) || '—'} · ${p.sex || 'sexo no consta'} · ${p.nationality || 'nacionalidad no declarada'} · persona n.º ${p.id}`),
      stayLine(t.stay),
      ctx && ctx.has('certificates.write') ? h('div', { class: 'acciones' }, h('a', { class: 'boton sec', id: 'pe-certificar', href: `#/certificados?persona=${p.id}` }, 'Emitir certificación')) : null,
      dupes(p),
      ctx && ctx.has('stay_extensions.write') && t.stay && t.stay.inside && (t.stay.permitted_until || (p.nationality && p.nationality !== 'SLV'))
        ? extensionForm(p, t.stay, async (r) => { await timeline(id); msg.append(notice('ok', `Prórroga concedida: permanencia autorizada hasta el ${fmtDay(r.permitted_until)} (resolución ${r.resolution}).`)); }) : null,
      h('h3', {}, 'Documentos'),
      // a person recorded without any document (a stowaway, a returnee
      // without papers) is said to be so, not «Sin resultados»
      // linked to their records by a supervisor, the documents are theirs:
      // the history shows them (the page said only «ningún documento»)
      !p.documents.length ? h('p', { class: 'sin-dato', id: 'pe-sin-documento' }, NO_DOCUMENTS,
        p.possible_duplicates.some((d) => d.status === 'same') ? ' Los documentos de los registros vinculados como la misma persona figuran en el historial.' : '') :
      table(['Tipo', 'Número', 'Emisor', 'Vence', 'Visto por primera vez'], p.documents.map((d) => h('tr', {}, h('td', {}, docKind(d.kind)), h('td', { class: 'mono' }, docShown(d.number, d.issuing_state)), h('td', {}, d.issuing_state), h('td', {}, fmtDay(d.expiry_date) || '—'), h('td', {}, fmtDate(d.first_seen_at))))),
      h('h3', {}, 'Historial'),
      next ? h('p', {}, h('button', { type: 'button', class: 'sec', id: 'pe-anteriores', onclick: () => earlier(id, t, events, next) }, 'Ver anteriores'),
        h('span', { class: 'sub' }, ` Se muestran los ${events.length} eventos más recientes.`)) : null,
      // a row a line where the detail allows (app.css #pe-historial)
      Object.assign(table(['Fecha', 'Evento', 'Detalle'], events.map((e) => h('tr', {}, h('td', { class: 'pe-fecha' }, fmtDate(e.at)),
        h('td', { class: 'pe-evento' }, e.type === 'movement' ? (e.movement.corrects_movement_id ? h('span', { class: 'etiqueta mal' }, 'Anulación')
            : voided.has(e.movement.id) ? h('span', { class: 'etiqueta' }, `${DIR[e.movement.direction]} (anulada)`) : h('span', { class: 'etiqueta ok' }, DIR[e.movement.direction]))
          : e.type === 'fine' ? h('span', { class: `etiqueta ${{ paid: 'ok', pending: 'alerta' }[e.fine.status] || ''}` }, e.fine.status === 'cancelled' ? 'Multa anulada' : 'Multa')
          : e.type === 'stay_extension' ? (e.stay_extension.annulled_at ? h('span', { class: 'etiqueta' }, 'Prórroga anulada') : h('span', { class: 'etiqueta ok' }, 'Prórroga'))
          : e.type === 'inspection' ? (voided.has(e.inspection.movement_id) ? h('span', { class: 'etiqueta' }, `Inspección: ${decisionLabel(e.inspection)} (movimiento anulado)`)
            : inspectionTag(e.inspection)) : h('span', { class: 'etiqueta' }, 'Documento')),
        h('td', {}, otherRecord(e, p), e.type === 'movement' ? whole(movement(e.movement)) : e.type === 'fine' ? [fine(e.fine), payment(e.fine, id)] : e.type === 'stay_extension' ? [extension(e.stay_extension), annul(e.stay_extension, id)] : e.type === 'inspection' ? whole(inspection(e.inspection, voided.has(e.inspection.movement_id))) : whole(`${docKind(e.document.kind)} ${docShown(e.document.number, e.document.issuing_state)}`))))), { id: 'pe-historial' })));
    // only when the cursor was lost with what was redrawn (not out of a
    // field the user is typing in: a prórroga's form, a payment)
    if (!document.activeElement || document.activeElement === document.body || !document.activeElement.isConnected) name.focus({ preventScroll: true });
  }
  // a grant made in error is annulled with its reason (never deleted)
  const annul = (x, id) => {
    if (x.annulled_at || !ctx || !ctx.has('stay_extensions.write')) return null;
    const why = h('input', { class: 'pr-anular-motivo', placeholder: 'Motivo de la anulación', 'aria-label': 'Motivo de la anulación' });
    const said = h('span');
    const f = h('form', { class: 'pr-anular' }, why, h('button', { type: 'submit', class: 'sec' }, 'Anular prórroga'), said);
    f.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      said.replaceChildren();
      try {
        const r = await post(`/api/v1/stay-extensions/${x.id}/annul`, { reason: why.value.trim() || undefined });
        await timeline(id);
        msg.append(notice('ok', `Prórroga n.º ${x.id} anulada: ${r.permitted_until ? `permanencia autorizada hasta el ${fmtDay(r.permitted_until)}` : 'sin plazo registrado'}.`));
      } catch (e) { said.append(fieldError(e, { reason: [why, 'Motivo de la anulación'] })); }
    });
    return f;
  };
  // a fine left pending is paid later, at an office or at the next
  // crossing: the supervisor records the receipt here
  const payment = (f, id) => (f.status !== 'pending' || !ctx || !ctx.has('inspections.resolve') ? null
    : paymentForm(f, async (receipt) => { await timeline(id); msg.append(notice('ok', `Multa n.º ${f.id}: pago registrado (recibo ${receipt}).`)); }));
  const form = h('form', { class: 'panel' }, h('div', { class: 'fila' }, h('div', {}, field('Documento', doc)), h('div', {}, field('Apellidos', sur))),
    h('div', { class: 'acciones' }, h('button', { type: 'submit' }, 'Buscar')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    msg.replaceChildren();
    // nothing to search by: said on the field, and the last results go
    // (they would read as this search's)
    if (!docNumber(doc.value) && !sur.value.trim()) {
      results = null;
      out.replaceChildren();
      msg.append(fieldError({ field: 'document_number', message: 'indique el número de documento o los apellidos de la persona' }, { document_number: [doc, 'Documento'] }));
      return;
    }
    try {
      // a common surname matches more than a page: the rest a page at a
      // time («Ver más»), never cut off unsaid
      const want = { document_number: docNumber(doc.value), surnames: sur.value.trim() };
      const r = await get(`/api/v1/persons${qs(want)}`);
      const row = (p) => h('tr', {}, h('td', {}, `${p.given_names || ''} ${p.surnames || ''}`), h('td', {}, fmtDay(p.birth_date)), h('td', {}, p.nationality || ''),
        h('td', {}, h('button', { type: 'button', class: 'sec', dataset: { persona: p.id }, onclick: () => timeline(p.id) }, 'Ver historial')));
      const body = table(['Persona', 'Nacimiento', 'Nacionalidad', ''], r.items.map(row));
      const more = moreButton('pe-mas', r.next_cursor, (cursor) => { msg.replaceChildren(); return get(`/api/v1/persons${qs({ ...want, cursor })}`); },
        (p) => body.querySelector('tbody').append(...p.items.map(row)), (e) => msg.append(notice('error', e.message)));
      results = { nodes: [body, h('div', { class: 'acciones' }, more)] };
      out.replaceChildren(...results.nodes);
    } catch (e) { msg.append(notice('error', e.message)); }
  });
  main.append(h('h1', {}, 'Personas'), h('p', { class: 'sub' }, 'Cada consulta queda registrada en la auditoría.'), form, msg, out);
  const id = new URLSearchParams(location.hash.split('?')[1] || '').get('id');
  if (id) await timeline(id);
  // a search is what the page is opened for: the cursor waits in it
  else doc.focus();
}
