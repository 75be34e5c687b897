// secundaria.js — the secondary-inspection queue of a post and the
// supervisor's resolution.
import { h, notice, field, table, fmtDate, money, dollars, fieldError, fmtDay, moreButton, latestRead, missingFields, tableRoles } from '../dom.js';
import { get, post, qs } from '../api.js';
import { recordLabel, portOption, MOTIVE, resolutionLabel, portNames, portName, reasonDetail, docShown, whole } from '../labels.js';

// The grounds on which admitting needs a justification (border_api.c
// reasons_grave), as the supervisor reads them in the case's reasons.
const GRAVE = {
  watchlist_match: 'una coincidencia en listas', reentry_ban: 'una prohibición de reingreso', exit_ban: 'un impedimento de salida judicial',
  court_restriction: 'una restricción judicial', exit_permit_destination_mismatch: 'un permiso de salida para otro destino',
  document_lost_stolen: 'un documento reportado extraviado o robado', minor_without_authorization: 'un menor sin autorización de salida',
  minor_id_card_not_passport: 'un menor sin pasaporte', apis_secondary: 'un aviso del prechequeo (APIS)', check_failed: 'una verificación que no pudo hacerse',
  residence_unverified: 'una residencia sin verificar', inadmission_recent: 'una inadmisión reciente',
  secondary_pending: 'un caso pendiente de segunda revisión en otra delegación',
  document_missing: 'una persona sin documento de viaje (indique cómo se la identificó)',
};
// a fine as it stands now: its exit voided since, it is no debt
// (a cancelled one read «pendiente de cobro»)
const FINE_STATE = { paid: 'pagada', pending: 'pendiente de cobro', refund_review: 'pagada, salida anulada: se reembolsa o se abona a su próxima salida', cancelled: 'anulada con su salida' };
// a case back in the queue (its crossing voided): what had been decided
// on it, for the supervisor who decides again (the note was lost)
function decidedBefore(i) {
  const p = i.previous_resolution;
  if (!p) return null;
  const by = p.resolved_by_name || p.resolved_by;
  return `Decidido antes: ${resolutionLabel({ direction: i.direction, resolution: p.resolution })}${by ? ` por ${by}` : ''}`
    + `${p.resolved_at ? ` (${fmtDate(p.resolved_at)})` : ''}${p.notes ? `, nota: ${p.notes}` : ''}`;
}
function graveGrounds(reasons) {
  const said = [...new Set((reasons || []).map((x) => GRAVE[x.code] || (x.severity === 'refuse' ? 'un motivo de rechazo' : null)).filter(Boolean))];
  if (!said.length) return 'motivos que la exigen';
  return said.length === 1 ? said[0] : `${said.slice(0, -1).join(', ')} y ${said[said.length - 1]}`;
}

export async function render(main, ctx) {
  const ports = await get('/api/v1/ports');
  // where nobody is brought by a carrier that takes them back
  const landPorts = new Set(ports.filter((p) => p.kind === 'land').map((p) => p.code));
  const names = await portNames();
  const port = h('select', { id: 'sec-puesto' }, h('option', { value: '' }, 'Todas'), ports.map(portOption));
  // the post the supervisor chose here, kept for the next visit (it went
  // back to «Todas» after every look at a person's history or the fines,
  // the other posts' cases mixed in again); else the booth's post
  const chosen = localStorage.getItem('sigm.sec.port');
  port.value = chosen ?? (localStorage.getItem('sigm.port') || '');
  if (port.selectedIndex < 0) port.value = '';
  const out = h('div');
  const msg = h('div');
  const canResolve = ctx.has('inspections.resolve');
  // A case's row, once drawn, is the same element for as long as the page
  // is open: what a supervisor has typed in one case survives the
  // resolution of another, the queue's refresh and a change of post
  // (every row used to be drawn again, empty).
  const rows = new Map();
  const heads = ['Hora', 'Delegación', 'Persona', 'Documento', 'Motivos', ...(canResolve ? ['Resolución'] : [])];
  const empty = h('tr', { role: 'row' }, h('td', { colspan: heads.length, class: 'sin-dato', role: 'cell' }, 'No hay casos pendientes.'));
  const t = table(heads, []);
  t.id = 'sec-cola';
  // laid out as a grid (the resolution under its case, app.css): the
  // roles keep it a table for a screen reader, which the display drops
  tableRoles(t);
  const tbody = t.querySelector('tbody');
  // empty until the first read answers (table() would say «Sin resultados»)
  tbody.replaceChildren();
  out.append(t);
  // the latest read wins (a change of post while the refresh is on its
  // way), and the queue is marked aria-busy meanwhile; a case resolved
  // here never comes back from an older read
  const read = latestRead(t);
  const resolved = new Set();
  // the post, the traveler and the document, as both tables show them
  // and the transport the booth recorded: the bus, flight or ship the
  // carrier of an inadmission is named from (the queue did not show it,
  // and a supervisor refusing a bus passenger had to ask which line)
  const who = (i) => [h('td', { title: i.port }, portName(names, i.port), h('br'), i.direction === 'entry' ? 'Entrada' : 'Salida',
    i.transport ? [h('br'), h('small', { class: 'sec-transporte' }, whole(i.transport))] : null),
    h('td', {}, h('a', { href: `#/personas?id=${i.person_id}` }, `${i.given_names || ''} ${i.surnames || ''}`), h('br'), `${fmtDay(i.birth_date)} · ${i.nationality || ''}`),
    // the number whole (app.css): the issuer may go over it, the number never breaks
    h('td', { class: 'mono' }, `${i.issuing_state || ''} `, whole(docShown(i.document_number, i.issuing_state)))];
  const rowOf = (i) => h('tr', { 'data-id': i.id },
    h('td', {}, fmtDate(i.at), h('br'), h('small', {}, `Inspección n.º ${i.id}`),
      // refused at the booth: what is left is the inadmission record
      i.decision === 'refuse' ? [h('br'), h('span', { class: 'etiqueta mal' }, i.direction === 'exit' ? 'Salida no autorizada en ventanilla' : 'Rechazo: acta de inadmisión')] : null,
      // back in the queue: why (the admission that closed it was voided)
      i.resolution_notes ? [h('br'), h('span', { class: 'etiqueta sec-reabierta' }, i.resolution_notes)] : null,
      decidedBefore(i) ? [h('br'), h('small', { class: 'sec-antes' }, decidedBefore(i))] : null),
    who(i),
    // as the booth showed them: the record matched and what it says to do
    h('td', {}, h('ul', {}, (i.reasons || []).filter((x) => x.severity !== 'info').map((x) => h('li', {}, x.message,
      x.record ? h('small', { class: 'registro' }, h('br'), recordLabel(x.record, x.code)) : null, reasonDetail(x) ? h('small', { class: 'detalle' }, h('br'), reasonDetail(x)) : null)))),
    canResolve ? h('td', {}, resolver(i)) : null);
  // an error is the caller's to say (the change of post says it; the
  // refresh keeps the queue as it was), for the latest read only
  async function load() {
    await read(() => get(`/api/v1/inspections${qs({ port: port.value, status: 'pending' })}`), draw);
  }
  function draw(r) {
    r.items = r.items.filter((i) => !resolved.has(i.id));
    const pending = new Set(r.items.map((i) => i.id));
    for (const tr of [...tbody.children]) if (!pending.has(Number(tr.dataset.id))) tr.remove();
    // a row already shown is never moved (that would take the cursor out
    // of the field being typed in); the others go in their place
    let prev = null;
    for (const i of r.items) {
      let tr = rows.get(i.id);
      if (!tr) { tr = tableRoles(rowOf(i)); rows.set(i.id, tr); }
      if (!tr.isConnected) { if (prev) prev.after(tr); else tbody.prepend(tr); }
      prev = tr;
    }
    if (!r.items.length) tbody.replaceChildren(empty);
  }

  // The fields each resolution takes: an inadmission its legal ground, the
  // carrier and the return; an admission may set the stay; both a note.
  function resolver(i) {
    // an exit refused is a departure not authorized, not an inadmission
    const entry = i.direction === 'entry';
    // no resolution is chosen for the supervisor: letting a flagged
    // traveler through must be a choice, not a stray click on «Resolver»
    // an exit the booth refused (a court order, a stolen passport) stays refused
    const sel = h('select', { class: 'res-tipo' }, h('option', { value: '' }, '— Resolución —'), entry || i.decision !== 'refuse' ? h('option', { value: 'admit' }, entry ? 'Admitir' : 'Autorizar la salida') : null,
      h('option', { value: 'refuse' }, entry ? 'No admitir (inadmisión)' : 'No autorizar la salida'), h('option', { value: 'refer_atencion_migrante' }, 'Remitir a Atención al Migrante'));
    // placeholders short enough to read whole in the column at 1024 px,
    // the whole hint on hover
    const ground = h('input', { class: 'res-fundamento', placeholder: 'Obligatorio: art. y motivo', title: 'Obligatorio: artículo de la ley y motivo' });
    // the carrier as the manifests and the compliance report name it, one
    // row per carrier: the code of the list or manifest the booth linked
    // the crossing to (a cruise line's «RCCL», a bus company's; typed by
    // hand, a company's name split the month's summary), else a flight's
    // airline designator ("CM 390" → CM); the supervisor may change it
    const flight = /^([A-Z0-9]{2})\s?\d{1,4}[A-Z]?$/.exec((i.transport || '').trim().toUpperCase());
    const carrier = h('input', { class: 'res-transportista', placeholder: i.transport ? `Llegó en ${i.transport}` : 'p. ej. AV o Tica Bus',
      value: i.list_carrier || (flight ? flight[1] : null) });
    const ret = h('input', { class: 'res-retorno', placeholder: 'Obligatorio: vuelo y hora', title: 'Obligatorio: vuelo o viaje de retorno, día y hora' });
    // left empty, the admission keeps the stay the booth worked out
    const granted = ((i.reasons || []).find((x) => x.code === 'stay_granted') || {}).days;
    const days = h('input', { class: 'res-dias', type: 'number', min: 1, max: 365, 'aria-label': 'Días de permanencia',
      placeholder: granted ? `vacío: ${granted}` : 'opcional' });
    const notes = h('input', { class: 'res-notas', placeholder: 'Opcional' });
    // each field in a box of its own: the form lies across the case's
    // width under it, its fields side by side (see app.css #sec-cola)
    const box = (label, control) => h('div', { class: 'res-campo' }, field(label, control));
    const refuseOnly = h('div', { hidden: true }, box('Fundamento legal', ground), entry ? [box('Transportista', carrier), box('Transporte de retorno', ret)] : null);
    // why the person goes to Atención al Migrante: its work list says it
    const motive = h('select', { class: 'res-motivo' }, h('option', { value: '' }, '— Motivo de la remisión —'), Object.entries(MOTIVE).map(([v, t]) => h('option', { value: v }, t)));
    const referOnly = h('div', { hidden: true }, box('Motivo de la remisión', motive));
    // leaving after the permitted stay: the fine, paid with its receipt, or
    // left pending (the debt stays on the person's record)
    const fine = (i.reasons || []).map((x) => x.fine).find(Boolean);
    // a visitor past the stay who showed a carnet: the fine is charged
    // only if the residence does not stand (its amount or receipt typed)
    const unverified = (i.reasons || []).some((x) => x.code === 'residence_unverified');
    const receipt = h('input', { class: 'res-recibo', placeholder: 'p. ej. DGME-2026-000123' });
    const amount = h('input', { class: 'res-monto', type: 'number', min: '0.01', step: '0.01', placeholder: '0.00',
      value: fine && !unverified ? dollars(fine.amount_cents) : null });
    const fineBox = fine ? h('div', { class: 'res-multa' }, h('p', {}, h('b', {}, unverified ? 'Si la residencia no se verifica, multa por permanencia excedida: ' : 'Multa por permanencia excedida: '),
      `${fine.days} día${fine.days === 1 ? '' : 's'}, ${money(fine.amount_cents)}.`, h('br'), h('small', {}, unverified
        ? `Base legal: ${fine.basis}. Para cobrarla, indique el monto o el recibo; verificada la residencia con Extranjería, déjelos vacíos y anote la verificación en las observaciones.`
        : `Base legal: ${fine.basis}. Sin recibo, la multa queda registrada como pendiente de cobro.`)),
    field('Recibo de pago n.º', receipt), field('Monto cobrado (US$)', amount)) : null;
    const admitOnly = h('div', { hidden: true }, entry && i.nationality !== 'SLV' ? box('Días de permanencia', days) : null, fineBox);
    // admitting over an alert, a court order or a minor's missing
    // authorization says why, in the record (the server says which cases)
    // a referral on entry lets the person in too
    const notesNeeded = () => i.justification_required && (sel.value === 'admit' || (entry && sel.value === 'refer_atencion_migrante'));
    // what makes it so, named as the case's reasons say it (a traveler
    // gone from secondary at another post was told «una alerta, una
    // restricción o un menor sin autorización»: none of them)
    const why = graveGrounds(i.reasons);
    sel.addEventListener('change', () => {
      rowMsg.replaceChildren();
      refuseOnly.hidden = sel.value !== 'refuse'; admitOnly.hidden = sel.value !== 'admit'; referOnly.hidden = sel.value !== 'refer_atencion_migrante';
      notes.placeholder = notesNeeded() ? 'Justificación obligatoria' : 'Opcional';
      notes.title = notesNeeded() ? `Justificación obligatoria: ${why}` : '';
    });
    const rowMsg = h('div', { class: 'res-msg' });
    const btn = h('button', { type: 'button' }, 'Resolver');
    btn.addEventListener('click', async () => {
      // one resolution at a time: «Resolver» (or Intro) again while the
      // first is on its way sent it twice, and the second, refused as
      // already resolved, said «ya estaba resuelta» over the first's
      // acta or movement (a disabled button takes no click, Intro's
      // included)
      if (btn.disabled) return;
      msg.replaceChildren();
      rowMsg.replaceChildren();
      const v = (el) => el.value.trim() || undefined;
      if (!sel.value) { rowMsg.append(notice('error', 'Elija la resolución.')); sel.focus(); return; }
      if (sel.value === 'refer_atencion_migrante' && !motive.value) { rowMsg.append(notice('error', 'Motivo de la remisión: elija uno.')); motive.focus(); return; }
      if (notesNeeded() && !v(notes)) { rowMsg.append(notice('error', `Justifique la admisión en las observaciones: el caso tiene ${why}.`)); notes.focus(); return; }
      // an inadmission's blanks said at once (the server named one, with
      // a message about the ground and the return whichever was missing);
      // the carrier is asked at an airport or a seaport, as the server does
      if (sel.value === 'refuse') {
        const gaps = missingFields([[ground, 'Fundamento legal'], ...(entry ? [...(landPorts.has(i.port) ? [] : [[carrier, 'Transportista']]), [ret, 'Transporte de retorno']] : [])]);
        if (gaps) { rowMsg.append(gaps); return; }
      }
      const body = { resolution: sel.value, notes: v(notes) };
      if (sel.value === 'refuse') Object.assign(body, { legal_ground: v(ground) }, entry ? { carrier: v(carrier), return_transport: v(ret) } : {});
      // the traveler came on the transport the booth recorded
      if (sel.value === 'refuse' && entry) body.arrival_transport = i.transport || undefined;
      if (sel.value === 'admit' && days.value) body.permitted_stay_days = Number(days.value);
      if (sel.value === 'refer_atencion_migrante') body.referral_motive = motive.value || undefined;
      // the amount of the resolution is kept even when the fine stays pending
      if (sel.value === 'admit' && fine) Object.assign(body, { fine_receipt: v(receipt), fine_amount: amount.value ? Number(amount.value) : undefined });
      btn.disabled = true;
      try {
        const r = await post(`/api/v1/inspections/${i.id}/resolve`, body);
        const said = [r.inadmission_id ? `acta de inadmisión n.º ${r.inadmission_id}` : null, r.referral_id ? `remisión n.º ${r.referral_id} a Atención al Migrante` : null, r.movement_id ? (r.already_recorded ? `el cruce ya estaba registrado (movimiento n.º ${r.movement_id}): no se registra dos veces` : `movimiento n.º ${r.movement_id}`) : null,
          r.fine ? `multa n.º ${r.fine.id} ${r.fine.status === 'paid' ? 'pagada' : 'pendiente de cobro'}` : null].filter(Boolean);
        msg.append(notice('ok', `Inspección n.º ${i.id} (${`${i.given_names || ''} ${i.surnames || ''}`.trim()}) resuelta${said.length ? `: ${said.join(', ')}` : ''}.`));
        // off the queue at once; the cursor goes to the next case
        const tr = rows.get(i.id);
        const next = tr?.nextElementSibling || tr?.previousElementSibling;
        tr?.remove();
        rows.delete(i.id);
        resolved.add(i.id);
        if (!tbody.children.length) tbody.replaceChildren(empty);
        (next?.querySelector('.res-tipo') || port).focus();
        msg.scrollIntoView({ block: 'nearest' });
        await Promise.all([load(), loadDone()]);
      } catch (e) {
        // closed meanwhile (the booth admitted the person on a new
        // inspection, another supervisor resolved it): off the queue
        if (e.code === 'already_resolved') {
          msg.replaceChildren(notice('info', `La inspección n.º ${i.id} (${`${i.given_names || ''} ${i.surnames || ''}`.trim()}) ya estaba resuelta: véala en «Casos resueltos».`));
          rows.get(i.id)?.remove();
          rows.delete(i.id);
          resolved.add(i.id);
          if (!tbody.children.length) tbody.replaceChildren(empty);
          await Promise.all([load(), loadDone()]);
          return;
        }
        rowMsg.append(fieldError(e, { legal_ground: [ground, 'Fundamento legal'], return_transport: [ret, 'Transporte de retorno'], carrier: [carrier, 'Transportista'], notes: [notes, 'Observaciones'],
          fine_receipt: [receipt, 'Recibo de pago'], fine_amount: [amount, 'Monto cobrado'], referral_motive: [motive, 'Motivo de la remisión'],
          permitted_stay_days: [days, 'Días de permanencia'] }));
      } finally { btn.disabled = false; }
    });
    // Intro in any of the case's fields resolves it, as in a form (it did
    // nothing: the supervisor had to reach «Resolver»)
    for (const el of [ground, carrier, ret, days, notes, receipt, amount])
      el.addEventListener('keydown', (ev) => { if (ev.key === 'Enter' && !ev.isComposing) { ev.preventDefault(); btn.click(); } });
    return h('div', { class: 'resolucion' }, box('Resolución', sel), refuseOnly, admitOnly, referOnly, box('Observaciones', notes), h('div', { class: 'res-boton' }, btn), rowMsg);
  }
  // What has been resolved, latest case first: the supervisor of the next
  // shift reads what was decided, on what ground and by whom, and the
  // inadmission or referral it made.
  const doneT = table(['Hora', 'Delegación', 'Persona', 'Documento', 'Resolución'], []);
  doneT.id = 'sec-resueltos';
  const doneBody = doneT.querySelector('tbody');
  doneBody.replaceChildren();
  const doneEmpty = () => h('tr', {}, h('td', { colspan: 5, class: 'sin-dato' }, 'No hay casos resueltos.'));
  const doneRow = (i) => h('tr', { 'data-id': i.id },
    h('td', {}, fmtDate(i.at), h('br'), h('small', {}, `Inspección n.º ${i.id}`)), who(i),
    h('td', {}, h('b', {}, resolutionLabel(i)), h('br'), h('small', {}, `${fmtDate(i.resolved_at)} · ${i.resolved_by_name || i.resolved_by || ''}`),
      [i.legal_ground && `Fundamento: ${i.legal_ground}`, i.inadmission_id && `Acta de inadmisión n.º ${i.inadmission_id}`,
        // who takes the refused traveler back, and on what
        i.inadmission_id && (i.inadmission_carrier || i.inadmission_return) && `Retorno: ${[i.inadmission_carrier, i.inadmission_return].filter(Boolean).join(', ')}`,
        i.referral_id && `Remisión n.º ${i.referral_id}`, i.movement_id && `Movimiento n.º ${i.movement_id}`,
        i.fine_id && `Multa n.º ${i.fine_id} ${FINE_STATE[i.fine_status] || i.fine_status || ''}`,
        i.resolution_notes && `Observaciones: ${i.resolution_notes}`, decidedBefore(i)].filter(Boolean).map((x) => [h('br'), h('small', {}, x)])));
  let doneMore = h('span');
  // the latest read wins here too, aria-busy meanwhile
  const readDone = latestRead(doneT);
  let paged = false;
  async function loadDone() {
    const want = port.value;
    const page = (cursor) => get(`/api/v1/inspections${qs({ port: want, status: 'resolved', limit: 20, cursor })}`);
    await readDone(page, (r) => {
      paged = false;
      doneBody.replaceChildren(...(r.items.length ? r.items.map(doneRow) : [doneEmpty()]));
      const more = moreButton('sec-resueltos-mas', r.next_cursor, page, (p) => { paged = true; doneBody.append(...p.items.map(doneRow)); },
        (e) => msg.append(notice('error', e.message)));
      doneMore.replaceWith(more);
      doneMore = more;
    });
  }
  port.addEventListener('change', () => localStorage.setItem('sigm.sec.port', port.value));
  port.addEventListener('change', () => Promise.all([load(), loadDone()]).catch((e) => msg.append(notice('error', e.message))));
  // new referrals show up without a reload, and nothing typed is lost;
  // the resolved list too, unless the supervisor is reading further down
  const timer = setInterval(() => {
    if (!document.body.contains(main)) clearInterval(timer);
    else { load().catch(() => {}); if (!paged) loadDone().catch(() => {}); }
  }, 20000);
  main.append(h('h1', {}, 'Segunda revisión'), h('p', { class: 'sub' }, 'Casos remitidos desde las ventanillas, pendientes de resolución del supervisor.'),
    h('div', { class: 'panel' }, field('Delegación', port)), msg, out,
    h('h2', {}, 'Casos resueltos'), doneT, doneMore);
  await Promise.all([load(), loadDone()]);
  // the queue is opened to resolve it: the cursor on the first case's
  // resolution (it stayed at the page's top, the whole menu to Tab
  // through), or on the post when there is none; not taken from where
  // the supervisor already is
  const at = document.activeElement;
  if (!at || at === document.body || at === main) (tbody.querySelector('.res-tipo') || port).focus();
}
