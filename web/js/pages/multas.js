// multas.js — fines imposed on carriers and their collection; the ones
// carrier compliance proposed wait here for a supervisor to confirm them
// (with the resolution's amount when the law tables fix none) or cancel them.
import { h, notice, field, table, localDay, fmtDay, money, count, fieldError, sendOnce, latestRead } from '../dom.js';
import { get, post, qs } from '../api.js';
import { portNames, portName, whole } from '../labels.js';

const ST = { proposed: 'Propuesta', pending: 'Pendiente', notified: 'Notificada', paid: 'Pagada', appealed: 'Recurrida', cancelled: 'Anulada' };
const CAUSE = { inadmissible_passenger: 'Pasajero inadmisible', late_manifest: 'Manifiesto tardío', missing_manifest: 'Sin manifiesto', inaccurate_manifest: 'Manifiesto inexacto' };
const amount = (f) => (f.amount_cents === null ? 'Según resolución' : money(f.amount_cents, f.currency));
// One carrier, one row of the summary.  Compliance proposes a fine to the
// carrier's code (TICABUS, RCCL: its account's, its lists'), with the
// company's name from its list in the evidence; a fine typed by hand under
// that name or under the code (any case, any accents) is that carrier's
// too.  The summary split one company in two, «RCCL» and «Royal Caribbean
// International».  A name no list gave is the supervisor's to tie: the
// form offers the carriers by code.
const fold = (s) => (s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toUpperCase().replace(/[^A-Z0-9]+/g, ' ').trim();
function carriers(items) {
  const code = new Map(); // a folded name → the code (null: two carriers share it)
  const name = new Map(); // a code → its company's name, from its latest list
  for (const f of items) {
    // a proposal for a list: its carrier is a code, with its company's name
    // (one typed by hand, or an inadmission's off any list, is a name)
    const company = f.evidence?.company;
    if (!company) continue;
    for (const n of [f.carrier, company]) {
      const k = fold(n);
      code.set(k, code.has(k) && code.get(k) !== f.carrier ? null : f.carrier);
    }
    if (!name.has(f.carrier)) name.set(f.carrier, company);
  }
  return { of: (f) => code.get(fold(f.carrier)) || f.carrier, name: (c) => name.get(c) || null };
}
const carrierLabel = (c, name) => (name ? `${c} · ${name}` : c);

// where the evidence is: the manifest or list, the inspection
function evidence(f) {
  const e = f.evidence || {};
  const bits = [];
  if (e.manifest_id || f.manifest_id) bits.push(`manifiesto ${e.manifest_id || f.manifest_id}`);
  if (e.inspection_ids) bits.push(`inspecciones ${e.inspection_ids.join(', ')}`);
  else if (e.inspection_id || f.inspection_id) bits.push(`inspección ${e.inspection_id || f.inspection_id}`);
  if (e.inadmission_id) bits.push(`inadmisión ${e.inadmission_id}`);
  // a bus or ship without a list: whose it is, by the list that named it
  if (e.known_from_list) bits.push(`empresa según su lista ${e.known_from_list.manifest_id} (${fmtDay(e.known_from_list.flight_date)})`);
  // the carrier as the supervisor named it in the inadmission, when the
  // list's company was said another way
  if (e.carrier_named) bits.push(`en la inadmisión: «${e.carrier_named}»`);
  return bits.join(' · ');
}

// What became of a fine, said in its row once the list is drawn again
// (at the top of the page it was out of sight, above the rows being
// worked); at the top when the fine left the list (it is filtered by a
// state the fine is no longer in)
// The cursor stays with the fine (the list drawn again took it to the
// page's top, a walk through the menu away from the rows): on the row's
// next step (the new state, with a receipt to type), or on the notice when
// the fine has none left or left the list.
function saidInRow(main, id, text, msg) {
  // one notice: the last
  for (const n of main.querySelectorAll('.aviso.ok')) n.remove();
  const row = main.querySelector(`tr[data-multa="${id}"]`);
  const said = notice('ok', text);
  said.tabIndex = -1;
  if (row) row.querySelector('td:last-child').append(h('div', { class: 'mu-hecho' }, said));
  else msg.append(said);
  (row?.querySelector('td:last-child select, td:last-child input:not([hidden])') || said).focus();
}

// confirm (with the resolution's amount, optional) or cancel a proposal;
// what goes wrong is said under its fields, the field named as the row
// shows it (not the API's «amount»)
function proposalActions(f, done, main, msg, cancelNote) {
  const amt = h('input', { type: 'number', min: '0.01', step: '0.01', placeholder: 'Importe USD', class: 'importe-resolucion', 'aria-label': 'Importe de la resolución (USD)' });
  const note = h('input', { placeholder: 'Resolución o motivo', class: 'nota-multa', 'aria-label': 'Resolución o motivo' });
  const said = h('div', { class: 'mu-msg' });
  const confirm = h('button', { type: 'button', class: 'confirmar' }, 'Confirmar');
  const cancel = h('button', { type: 'button', class: 'sec anular' }, 'Anular');
  const send = (status) => sendOnce([confirm, cancel], async () => {
    said.replaceChildren();
    try {
      const why = note.value.trim() || (status === 'cancelled' ? cancelNote(f) : '');
      await post(`/api/v1/carrier-fines/${f.id}/status`, { status, ...(why ? { note: why } : {}), ...(status === 'pending' && amt.value ? { amount: Number(amt.value) } : {}) });
      await done();
      saidInRow(main, f.id, `Multa n.º ${f.id} a ${f.carrier}: ${status === 'pending' ? 'confirmada, pendiente de cobro' : 'anulada'}.`, msg);
    } catch (e) { said.append(fieldError(e, { amount: [amt, 'Importe de la resolución'], note: [note, 'Resolución o motivo'] })); }
  });
  // Intro in the amount or the resolution confirms, as in a form (it did
  // nothing: the supervisor had to reach «Confirmar»); «Anular» is never
  // the key's
  for (const el of [amt, note]) el.addEventListener('keydown', (ev) => { if (ev.key === 'Enter' && !ev.isComposing) { ev.preventDefault(); send('pending')(); } });
  confirm.addEventListener('click', send('pending'));
  cancel.addEventListener('click', send('cancelled'));
  return h('div', { class: 'mu-acciones' }, amt, note, confirm, cancel, said);
}

// Where and on what the carrier brought the traveler or the list: the
// post by its name and the ship, bus or flight, under the carrier's name.
// A ship's or a bus's fine without a list (an inadmission at Acajutla,
// one registered by hand) said neither: only a flight's did, in the
// evidence, as a key folded to letters and digits.
function where(f, names) {
  const said = [f.port ? portName(names, f.port) : null, f.transport || f.flight].filter(Boolean).join(' · ');
  return said ? [h('br'), h('small', { class: 'mu-donde', title: f.port || '' }, whole(said))] : null;
}

// The register opened on a carrier's repeated fines of a month, from the
// APIS desk's compliance report (#/multas?mes=AAAA-MM&repetidas=TA): fines
// for an inaccurate manifest that charge the carrier a second time for a
// traveler and flight another fine already charges (proposed twice before
// the evaluation counted the traveler once, or typed by hand).  The report
// says which fine each repeats; both are shown, the first above its
// repeats, for the supervisor to say which stands and cancel the other.
// The report is asked again at every drawing: a fine cancelled is no
// longer a repeat, nor the one it repeated once it stands alone.
// The month's repeats (of one carrier, or of all): which fine each
// repeats, the fines repeated, and how many each carrier has.
async function repeatedOf(mes, carrier) {
  const r = await get(`/api/v1/carrier-compliance/report${qs({ month: mes, carrier })}`);
  // the row of the carrier asked for (by its code; a name is read as one)
  const rows = carrier ? [r.items.find((x) => x.carrier === carrier) || r.items[0]].filter(Boolean) : r.items;
  const list = rows.flatMap((x) => x.inaccurate_repeated_fines || []);
  return { of: new Map(list.map((x) => [x.id, x.repeats])), firsts: new Set(list.map((x) => x.repeats)),
    carriers: rows.filter((x) => x.inaccurate_repeated).map((x) => [x.carrier, x.inaccurate_repeated]) };
}

// the fines named, wherever they are in the register (the one a repeat
// repeats may be of an earlier month): read newest first until all found
async function finesById(ids) {
  const found = [];
  let cursor;
  do {
    const r = await get(`/api/v1/carrier-fines${qs({ limit: 1000, cursor })}`);
    found.push(...r.items.filter((f) => ids.has(f.id)));
    cursor = r.next_cursor;
  } while (cursor && found.length < ids.size);
  return found;
}

const monthName = (m) => new Date(`${m}-15T12:00:00Z`).toLocaleDateString('es-SV', { month: 'long', year: 'numeric', timeZone: 'UTC' });

export async function render(main, ctx) {
  const names = await portNames();
  // El Salvador's month (from 18:00 on the last day the UTC month is the next)
  const month = h('input', { id: 'mu-mes', type: 'month', value: localDay().slice(0, 7) });
  const carrier = h('input', { id: 'mu-transportista', placeholder: 'Parte del nombre' });
  // what is still to collect, whatever the month it was imposed in
  const status = h('select', { id: 'mu-estado' }, h('option', { value: '' }, 'Todos'), Object.entries(ST).map(([v, t]) => h('option', { value: v }, t)));
  const out = h('div', { id: 'mu-resultado' });
  const msg = h('div');
  const canWrite = ctx.has('carrier_fines.write');
  // the carriers the register knows by code, offered as «Transportista» is typed
  const known = h('datalist', { id: 'mu-transportistas' });
  // the latest read wins (a state chosen while the last list is on its
  // way, a fine confirmed meanwhile)
  const read = latestRead(out);
  const asked = new URLSearchParams(location.hash.split('?')[1] || '');
  // the repeated fines of a carrier (the link of the APIS desk), or null
  let repeats = asked.get('repetidas') && /^\d{4}-\d{2}$/.test(asked.get('mes') || '')
    ? { carrier: asked.get('repetidas'), month: asked.get('mes'), shown: new Set(), under: new Map() } : null;
  if (repeats) month.value = repeats.month;
  // the repeats of the list drawn (the month's, or the carrier's the
  // page was opened on); null for all months
  let marks = null;
  // the note a repeat is cancelled with when none is typed (a confirmed
  // fine needs one): what the register will say of it
  const cancelNote = (f) => (marks?.of.has(f.id) ? `Duplicada: repite la multa n.º ${marks.of.get(f.id)}, mismo viajero y vuelo` : '');
  async function readRepeats() {
    Object.assign(repeats, await repeatedOf(repeats.month, repeats.carrier));
    // a fine shown stays shown once it is no longer a repeat (cancelled, or
    // the one left standing), its new state in its row
    for (const [id, first] of repeats.of) { repeats.shown.add(id).add(first); repeats.under.set(id, first); }
    const items = await finesById(repeats.shown);
    // each under the fine it repeated, there too once cancelled
    const key = (f) => repeats.under.get(f.id) ?? f.id;
    items.sort((a, b) => key(a) - key(b) || a.id - b.id);
    return { items, marks: repeats };
  }
  // The register as the filters ask, and the month's repeats: a supervisor
  // confirming the month's proposals here is told which repeat another
  // fine (it was said only on the APIS desk).  Without them if the report
  // cannot be read: the register is what was asked for.
  async function readRegister() {
    const [r, rep] = await Promise.all([
      get(`/api/v1/carrier-fines${qs({ month: month.value, carrier: carrier.value.trim(), status: status.value, limit: 500 })}`),
      month.value ? repeatedOf(month.value).catch(() => null) : null]);
    return { ...r, marks: rep };
  }
  // the carriers with repeats in the month, each a link to them
  const repeatsSaid = () => (marks?.carriers.length ? h('div', { class: 'repetidas-mes' }, marks.carriers.map(([c, n]) => h('p', {},
    h('a', { class: 'etiqueta mal multas-repetidas frase', dataset: { transportista: c }, href: `#/multas?${new URLSearchParams({ mes: month.value, repetidas: c })}` },
      `${c}: ${count(n, 'multa repetida', 'multas repetidas')} por el mismo viajero y vuelo: revisar y anular`)))) : null);
  // a fine's place among the repeats, said in its row
  const repeatMark = (f) => {
    if (!marks) return null;
    if (marks.of.has(f.id)) return [h('br'), h('span', { class: 'etiqueta mal repetida frase' }, `Repite la multa n.º ${marks.of.get(f.id)}: mismo viajero y vuelo`)];
    if (marks.firsts.has(f.id)) return [h('br'), h('span', { class: 'etiqueta alerta repetida-primera frase' }, 'Primera multa por este viajero y vuelo')];
    return null;
  };
  function repeatsHeader() {
    const n = repeats.of.size;
    // «info» either way: a row's «ok» notice replaces the page's others
    const said = notice('info', n
        ? `${count(n, 'multa', 'multas')} por manifiesto inexacto ${n === 1 ? 'cobra' : 'cobran'} de nuevo al transportista por un viajero y vuelo que ya cobra otra multa. Cada una se muestra bajo la multa que repite: decida cuál se mantiene y anule la otra (sin motivo escrito, queda «Duplicada»). Si ya estaba pagada, el reembolso se registra como el de cualquier multa cobrada por error.`
        : `Ninguna multa de ${repeats.carrier} repite ya a otra por el mismo viajero y vuelo en ${monthName(repeats.month)}.`);
    said.classList.add('repetidas-aviso');
    return [h('h2', {}, `Multas repetidas de ${repeats.carrier} en ${monthName(repeats.month)}`), said,
      h('p', {}, h('a', { href: '#/multas', class: 'ver-todas' }, 'Ver todas las multas'))];
  }
  async function load() {
    msg.replaceChildren();
    await read(() => (repeats ? readRepeats() : readRegister()), (r) => {
      marks = r.marks;
      const byCarrier = {};
      const who = carriers(r.items);
      for (const f of r.items) if (!['proposed', 'cancelled'].includes(f.status)) byCarrier[who.of(f)] = (byCarrier[who.of(f)] || 0) + (f.amount_cents || 0);
      known.replaceChildren(...[...new Set(r.items.filter((f) => f.evidence?.company).map((f) => f.carrier))].map((c) => h('option', { value: c, label: carrierLabel(c, who.name(c)) })));
      out.replaceChildren(
        ...(repeats ? repeatsHeader() : [
          h('h2', {}, `Resumen ${month.value ? 'del mes' : 'de todos los meses'} por transportista (multas confirmadas)`),
          table(['Transportista', { text: 'Total (USD)', class: 'num' }], Object.entries(byCarrier).map(([c, v]) => h('tr', { dataset: { transportista: c } }, h('td', {}, carrierLabel(c, who.name(c))), h('td', { class: 'num' }, money(v))))),
          repeatsSaid(),
          h('h2', {}, 'Multas')].filter(Boolean)),
        table(['Fecha', 'Transportista', { text: 'Importe', class: 'num' }, 'Motivo', 'Estado', ...(canWrite ? [''] : [])], r.items.map((f) => {
          // the states it can go to from the one it is in, the next one first
          const sel = h('select', { class: 'estado-nuevo', 'aria-label': 'Nuevo estado' }, ['notified', 'paid', 'appealed', 'cancelled'].filter((s) => s !== f.status).map((s) => h('option', { value: s }, ST[s])));
          // a repeat is there to be cancelled
          if (cancelNote(f)) sel.value = 'cancelled';
          const note = h('input', { class: 'nota-multa', placeholder: 'Recibo, oficio o resolución', 'aria-label': 'Recibo, oficio o resolución' });
          const btn = h('button', { type: 'button', class: 'sec' }, 'Actualizar');
          const said = h('div', { class: 'mu-msg' });
          // a fine «según resolución» is paid with the amount paid (the
          // server needs it, and the row had no field for it: it could
          // not be marked paid); asked only when «Pagada» is chosen
          const open = f.amount_cents === null;
          const paidAmt = open ? h('input', { type: 'number', min: '0.01', step: '0.01', placeholder: 'Monto pagado (USD)', class: 'importe-pago', 'aria-label': 'Monto pagado (USD)' }) : null;
          const showAmt = () => { if (paidAmt) paidAmt.hidden = sel.value !== 'paid'; };
          sel.addEventListener('change', showAmt);
          showAmt();
          btn.addEventListener('click', sendOnce([btn], async () => {
            said.replaceChildren();
            try {
              const why = note.value.trim() || (sel.value === 'cancelled' ? cancelNote(f) : '');
              await post(`/api/v1/carrier-fines/${f.id}/status`, { status: sel.value, ...(why ? { note: why } : {}),
                ...(paidAmt && sel.value === 'paid' && paidAmt.value ? { amount: Number(paidAmt.value) } : {}) });
              await load();
              saidInRow(main, f.id, `Multa n.º ${f.id} a ${f.carrier}: ${ST[sel.value].toLowerCase()}${why ? ` (${why})` : ''}.`, msg);
            } catch (e) { said.append(fieldError(e, { status: [sel, 'Nuevo estado'], note: [note, 'Recibo, oficio o resolución'], ...(paidAmt ? { amount: [paidAmt, 'Monto pagado'] } : {}) })); }
          }));
          // Intro in the receipt or resolution records the change, as «Actualizar»
          for (const el of [note, paidAmt].filter(Boolean)) el.addEventListener('keydown', (ev) => { if (ev.key === 'Enter' && !ev.isComposing) { ev.preventDefault(); btn.click(); } });
          return h('tr', { class: `multa ${f.status}`, dataset: { multa: f.id } }, h('td', { class: 'fecha' }, fmtDay(f.imposed_on)), h('td', {}, f.evidence?.company ? carrierLabel(f.carrier, f.evidence.company) : f.carrier, where(f, names)), h('td', { class: 'num' }, amount(f)),
            h('td', {}, whole(f.reason), h('br'), h('small', {}, whole(f.legal_basis)), f.cause ? h('br') : null, f.cause ? h('small', { class: 'causa' }, CAUSE[f.cause] || f.cause, evidence(f) ? ` · ${evidence(f)}` : '') : null, repeatMark(f)),
            // the resolution or reason the supervisor gave with the status
            h('td', {}, h('span', { class: `etiqueta ${f.status === 'paid' ? 'ok' : f.status === 'cancelled' ? '' : 'alerta'}` }, ST[f.status] || f.status),
              f.status_note ? h('small', { class: 'nota-estado' }, h('br'), whole(f.status_note)) : null),
            canWrite ? h('td', {}, ['paid', 'cancelled'].includes(f.status) ? '' : f.status === 'proposed' ? proposalActions(f, load, main, msg, cancelNote) : h('div', {}, sel, paidAmt, note, btn, said)) : null);
        })));
    }, (e) => msg.append(notice('error', e.message)));
  }
  main.append(h('h1', {}, 'Multas a transportistas'), h('p', { class: 'sub' }, 'Seguimiento del cobro de multas impuestas en las delegaciones (Dirección de Control Migratorio).'), msg);
  if (canWrite) {
    const f = { carrier: h('input', { id: 'mu-n-empresa', list: 'mu-transportistas', autocomplete: 'off' }), amount: h('input', { id: 'mu-n-importe', type: 'number', min: '0.01', step: '0.01' }), basis: h('input', { id: 'mu-n-base' }), reason: h('input', { id: 'mu-n-motivo' }), transport: h('input', { id: 'mu-n-transporte' }),
      // the inspection a fine is for, and which fact of it (the server
      // says a fine for an inadmissible passenger needs one, and refuses
      // charging it twice: the form had no place for either)
      inspection: h('input', { id: 'mu-n-inspeccion', type: 'number', min: 1, step: 1, placeholder: 'Opcional' }),
      cause: h('select', { id: 'mu-n-causa' }, h('option', { value: '' }, '— Sin especificar —'), Object.entries(CAUSE).map(([v, t]) => h('option', { value: v }, t))) };
    const fmsg = h('div');
    const form = h('form', { class: 'panel' }, h('h2', {}, 'Registrar multa'),
      h('div', { class: 'fila' }, h('div', {}, field('Transportista', f.carrier), known), h('div', {}, field('Importe (USD)', f.amount)), h('div', {}, field('Transporte', f.transport))),
      h('div', { class: 'fila' }, h('div', {}, field('Inspección n.º', f.inspection)), h('div', {}, field('Causa', f.cause))),
      h('div', { class: 'fila' }, h('div', {}, field('Base legal', f.basis)), h('div', {}, field('Motivo', f.reason))), fmsg,
      h('div', { class: 'acciones' }, h('button', { type: 'submit' }, 'Registrar')));
    form.addEventListener('input', () => { if (fmsg.querySelector('.aviso.ok')) fmsg.replaceChildren(); });
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      fmsg.replaceChildren();
      try {
        const r = await post('/api/v1/carrier-fines', { carrier: f.carrier.value.trim(), amount: f.amount.value ? Number(f.amount.value) : undefined, legal_basis: f.basis.value.trim(), reason: f.reason.value.trim(), transport: f.transport.value.trim() || undefined,
          inspection_id: f.inspection.value ? Number(f.inspection.value) : undefined, cause: f.cause.value || undefined,
          // the inspection's post is the fine's (a fine for another post's inspection is refused)
          port: f.inspection.value ? undefined : localStorage.getItem('sigm.port') || undefined });
        form.reset();
        fmsg.append(notice('ok', `Multa n.º ${r.id} registrada: ${r.carrier}, ${money(r.amount_cents)}.`));
        load();
      } catch (e) {
        fmsg.append(fieldError(e, { carrier: [f.carrier, 'Transportista'], amount: [f.amount, 'Importe'], legal_basis: [f.basis, 'Base legal'], reason: [f.reason, 'Motivo'], transport: [f.transport, 'Transporte'],
          inspection_id: [f.inspection, 'Inspección n.º'], cause: [f.cause, 'Causa'] }));
      }
    });
    main.append(form);
  }
  const filt = h('form', { class: 'panel' }, h('div', { class: 'fila' }, h('div', {}, field('Mes (vacío: todos)', month)), h('div', {}, field('Transportista', carrier)), h('div', {}, field('Estado', status))), h('div', { class: 'acciones' }, h('button', { type: 'submit' }, 'Consultar')));
  // the filters used, the register as they ask (no longer the repeats,
  // nor the address that opened them: reloaded, the page is the query)
  const query = () => {
    if (repeats) { repeats = null; history.replaceState(null, '', '#/multas'); }
    return load();
  };
  filt.addEventListener('submit', (e) => { e.preventDefault(); query(); });
  // a state or a month chosen is the list asked for (the fines of the
  // last query stayed under «Pendiente» until «Consultar» was clicked:
  // paid ones read as still to collect); the carrier's name when typed
  for (const el of [status, month]) el.addEventListener('change', query);
  main.append(filt, out);
  await load();
  // opened on the repeats: they are what the supervisor came for, below
  // the form to register a fine
  if (repeats) out.querySelector('h2')?.scrollIntoView({ block: 'start' });
}
