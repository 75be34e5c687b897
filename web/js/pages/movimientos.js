// movimientos.js — movements by post and day; for supervisors, the
// contingency records of a post that worked on paper without SIGM.
import { h, notice, field, table, fmtDate, fmtDay, fmtTime, localDay, localToUtc, docNumber, num, fieldError, moreButton, money, sendOnce, latestRead, keepTyped, tableRoles } from '../dom.js';
import { get, post, qs } from '../api.js';
import { category, recordLabel, portOption, portName, portNames, whole } from '../labels.js';

// The cases of secondary that closed on a movement just voided are back
// in their post's queue (border_api.c reopen_cases): said to the
// supervisor who voided it, who may not be at that post.
function reopenedSaid(answer) {
  const ids = answer.reopened_cases || [];
  if (!ids.length) return '';
  return ids.length === 1
    ? ` El caso de segunda revisión que se cerró sobre él (inspección n.º ${ids[0]}) vuelve a la cola para resolverse de nuevo.`
    : ` Los casos de segunda revisión que se cerraron sobre él (inspecciones n.º ${ids.join(', ')}) vuelven a la cola para resolverse de nuevo.`;
}

function contingencyPanel(ports, onSaved) {
  const inp = (id, attrs = {}) => h('input', { id, ...attrs });
  const sel = (id, opts) => h('select', { id }, opts.map(([v, t]) => h('option', { value: v }, t)));
  const f = {
    port: h('select', { id: 'co-puesto' }, ports.filter((p) => p.active).map(portOption)),
    direction: sel('co-sentido', [['entry', 'Entrada'], ['exit', 'Salida']]),
    day: inp('co-dia', { type: 'date', value: localDay(), max: localDay() }),
    time: inp('co-hora', { type: 'time', required: true }),
    transport: inp('co-transporte', { placeholder: 'Vuelo, placa o buque' }),
    kind: sel('co-doc-tipo', [['passport', 'Pasaporte'], ['id_card', 'Documento de identidad'], ['residence_carnet', 'Carné de residente'], ['other', 'Otro']]),
    number: inp('co-doc-numero', { class: 'mono', required: true }),
    state: inp('co-doc-emisor', { class: 'mono', maxlength: 3, placeholder: 'p. ej. NIC', required: true }),
    expiry: inp('co-doc-vence', { type: 'date' }),
    given: inp('co-nombres'),
    sur: inp('co-apellidos', { required: true }),
    birth: inp('co-nacimiento', { type: 'date', min: '1900-01-01', max: localDay(), required: true }),
    sex: sel('co-sexo', [['', '—'], ['F', 'F'], ['M', 'M'], ['X', 'X']]),
    nat: inp('co-nacionalidad', { class: 'mono', maxlength: 3 }),
    stay: inp('co-dias', { type: 'number', min: 1, max: 180, placeholder: 'vacío: los de las tablas' }),
    reference: inp('co-formulario', { required: true, placeholder: 'N.º del formulario en papel' }),
    // an overstayer's exit: the fine collected at the post on paper
    receipt: inp('co-recibo', { placeholder: 'solo si se cobró en la delegación' }),
    amount: inp('co-monto', { type: 'number', min: '0.01', step: '0.01', placeholder: 'US$' }),
    reason: h('textarea', { id: 'co-motivo', rows: 2, required: true, placeholder: 'Caída del enlace, corte de energía…' }),
  };
  const out = h('div', { id: 'co-resultado' });
  const form = h('form', { id: 'co-form' },
    h('p', { class: 'sub' }, 'Cruces decididos en papel mientras la delegación no tuvo SIGM. Anote la hora local del formulario; el movimiento entra al registro con esa hora y con la fecha de hoy como fecha de registro. La persona se coteja al guardar.'),
    h('div', { class: 'fila' }, h('div', {}, field('Delegación', f.port)), h('div', {}, field('Sentido', f.direction)), h('div', {}, field('Día del cruce', f.day)), h('div', {}, field('Hora local', f.time)), h('div', {}, field('Transporte', f.transport))),
    h('div', { class: 'fila' }, h('div', {}, field('Documento', f.kind)), h('div', {}, field('Número', f.number)), h('div', {}, field('Estado emisor', f.state)), h('div', {}, field('Vence', f.expiry))),
    h('div', { class: 'fila' }, h('div', {}, field('Nombres', f.given)), h('div', {}, field('Apellidos', f.sur)), h('div', {}, field('Nacimiento', f.birth)), h('div', {}, field('Sexo', f.sex)), h('div', {}, field('Nacionalidad', f.nat))),
    h('div', { class: 'fila' }, h('div', {}, field('Días de permanencia concedidos (entradas)', f.stay)), h('div', {}, field('Formulario', f.reference)),
      h('div', {}, field('Recibo de la multa (salidas)', f.receipt)), h('div', {}, field('Monto cobrado (US$)', f.amount))),
    field('Motivo de la contingencia', f.reason),
    h('div', { class: 'acciones' }, h('button', { type: 'submit' }, 'Registrar movimiento')),
    out);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    out.replaceChildren();
    const state = f.state.value.trim().toUpperCase();
    const body = {
      port: f.port.value, direction: f.direction.value, at: localToUtc(f.day.value, f.time.value) /* the paper form's local time */,
      transport: f.transport.value.trim() || undefined,
      reference: f.reference.value.trim(), reason: f.reason.value.trim(),
      document: { kind: f.kind.value, number: docNumber(f.number.value), issuing_state: state, nationality: state, expiry_date: f.expiry.value || undefined },
      person: { given_names: f.given.value.trim() || undefined, surnames: f.sur.value.trim(), birth_date: f.birth.value.trim(), sex: f.sex.value || undefined, nationality: (f.nat.value.trim() || state).toUpperCase() },
    };
    if (f.stay.value && f.direction.value === 'entry') body.permitted_stay_days = Number(f.stay.value);
    // sent as typed, on an entry too: the server says a fine goes only
    // with an overstayer's exit, rather than the page dropping it
    if (f.receipt.value.trim()) body.fine_receipt = f.receipt.value.trim();
    if (f.amount.value) body.fine_amount = Number(f.amount.value);
    try {
      const r = await post('/api/v1/movements/contingency', body);
      const hits = (r.screening && r.screening.hits) || [];
      const stay = r.permitted_stay_days
        ? ` Permanencia: ${r.permitted_stay_days} días${r.stay_source === 'tables' ? ', los que dan las tablas para la nacionalidad (el formulario no los indicaba)' : ''}.`
        : '';
      out.append(notice('ok', `Movimiento n.º ${r.movement_id} registrado (${fmtDate(r.at)}, ${portName(await portNames(), r.port)}).${stay}`));
      // an overstayer's exit owes its fine as at the booth
      if (r.fine) {
        const fn = r.fine;
        const credit = fn.credited_fine ? ` Se acreditó lo pagado por una salida anulada (multa n.º ${fn.credited_fine}).` : '';
        out.append(notice(fn.status === 'paid' ? 'info' : 'error',
          `Permanencia excedida en ${fn.days} día${fn.days === 1 ? '' : 's'}: multa n.º ${fn.id}, ${money(fn.amount_cents)}, ${fn.status === 'paid' ? 'pagada' : 'pendiente de cobro (se cobra en la próxima entrada o en una oficina)'}.${credit}`));
      }
      if (hits.length) out.append(notice('error', `Coincidencias al cotejar: ${hits.map((x) => `${category(x.category).filter(Boolean).join(', ')}: ${recordLabel(x.record)} (puntaje ${x.score})`).join('; ')}. Dé aviso según el procedimiento.`));
      else if (r.screening && r.screening.error) out.append(notice('error', `No se pudo cotejar: ${r.screening.error}`));
      for (const k of ['number', 'given', 'sur', 'birth', 'expiry', 'time', 'receipt', 'amount']) f[k].value = '';
      f.sex.value = '';
      onSaved(f.port.value, f.day.value);
    } catch (e) {
      // said with the form's name for the field, marked, the cursor in it
      out.append(fieldError(e, { port: [f.port, 'Delegación'], direction: [f.direction, 'Sentido'], at: [f.time, 'Hora local'], transport: [f.transport, 'Transporte'],
        'document.kind': [f.kind, 'Documento'], 'document.number': [f.number, 'Número'], 'document.issuing_state': [f.state, 'Estado emisor'], 'document.expiry_date': [f.expiry, 'Vence'],
        'person.given_names': [f.given, 'Nombres'], 'person.surnames': [f.sur, 'Apellidos'], 'person.birth_date': [f.birth, 'Nacimiento'], 'person.sex': [f.sex, 'Sexo'],
        'person.nationality': [f.nat, 'Nacionalidad'], permitted_stay_days: [f.stay, 'Días de permanencia'], reference: [f.reference, 'Formulario'], reason: [f.reason, 'Motivo'],
        fine_receipt: [f.receipt, 'Recibo de la multa'], fine_amount: [f.amount, 'Monto cobrado'] }));
    }
  });
  return h('details', { class: 'panel', id: 'co-panel' }, h('summary', {}, 'Registrar un movimiento de contingencia'), form);
}

export async function render(main, ctx) {
  const ports = await get('/api/v1/ports');
  // the post named as officers say it («Frontera La Hachadura», not HAC)
  const names = await portNames();
  const port = h('select', { id: 'mv-puesto' }, h('option', { value: '' }, 'Todas'), ports.map(portOption));
  const day = h('input', { id: 'mv-dia', type: 'date', value: localDay() });
  const out = h('div', { id: 'mv-resultado' });
  const msg = h('div');
  const canCorrect = ctx && ctx.has('inspections.resolve');
  // an officer asks for the voiding; another supervisor decides it
  const canRequest = !canCorrect && ctx && ctx.has('inspections.create');
  const note = (m) => {
    if (m.decision === 'void') return `Anula el movimiento n.º ${m.corrects_movement_id}: ${m.correction_reason} (aprobó ${m.approved_by_name || m.approved_by})`;
    if (m.voided_by) return h('span', { class: 'etiqueta mal frase' }, `Anulado (movimiento n.º ${m.voided_by})`);
    if (m.correction_requested) return h('span', { class: 'etiqueta frase', title: 'La decide un supervisor' }, `Anulación solicitada (solicitud n.º ${m.correction_requested})`);
    const c = (m.reasons || []).find((x) => x.code === 'contingency_record');
    // and the fine an overstayer's exit owes (said by the server)
    const ov = c && (m.reasons || []).find((x) => x.code === 'overstay');
    if (c) return `Contingencia · formulario ${c.record}${ov ? ` · ${ov.message}` : ''}`;
    // what the booth warned of (an exit without an entry…), and how a
    // supervisor let the person through; refused travelers make no movement
    const w = (m.reasons || []).filter((x) => x.severity === 'warning').map((x) => x.message);
    const how = { admit_after_secondary: 'Admitida en segunda revisión.', admit_referred: 'Remitida a Atención al Migrante.' }[m.decision];
    return [how, ...w].filter(Boolean).join(' ') || '—';
  };
  // A movement recorded by mistake (a second entry typed for an exit, the
  // wrong traveler) is voided by a compensating entry with its reason,
  // approved by the supervisor who records it; the ledger keeps both.  An
  // officer asks for it (ask), and another supervisor decides.
  function correction(m, ask = false) {
    const open = h('button', { type: 'button', class: `sec ${ask ? 'mv-pedir' : 'mv-anular'}` }, ask ? 'Pedir anulación…' : 'Anular…');
    const reason = h('input', { class: 'mv-motivo', placeholder: 'p. ej. Salida registrada por error: era una entrada' });
    const go = h('button', { type: 'button', class: 'peligro' }, ask ? `Pedir la anulación del movimiento n.º ${m.id}` : `Anular el movimiento n.º ${m.id}`);
    const cancel = h('button', { type: 'button', class: 'sec' }, 'Cancelar');
    const said = h('div', { class: 'mv-anular-dicho' });
    // the reason's label over its field, the buttons beside it (app.css)
    const form = h('div', { class: 'pr-anular', hidden: true }, h('div', { class: 'mv-motivo-campo' }, field('Motivo de la anulación', reason)), go, cancel, said);
    open.addEventListener('click', () => { form.hidden = false; open.hidden = true; reason.focus(); });
    // Intro in the reason sends it, as in a form
    reason.addEventListener('keydown', (ev) => { if (ev.key === 'Enter' && !ev.isComposing) { ev.preventDefault(); go.click(); } });
    cancel.addEventListener('click', () => { form.hidden = true; open.hidden = false; said.replaceChildren(); });
    go.addEventListener('click', sendOnce([go], async () => {
      said.replaceChildren();
      if (!reason.value.trim()) { said.append(notice('error', 'Motivo de la anulación: indique por qué se anula.')); reason.focus(); return; }
      try {
        if (ask) {
          const q = await post(`/api/v1/movements/${m.id}/correction-requests`, { reason: reason.value.trim() });
          msg.replaceChildren(notice('ok', `Anulación del movimiento n.º ${m.id} solicitada (solicitud n.º ${q.id}): la decide un supervisor.`));
        } else {
          const c = await post(`/api/v1/movements/${m.id}/corrections`, { reason: reason.value.trim() });
          msg.replaceChildren(notice('ok', `Movimiento n.º ${m.id} anulado (anulación n.º ${c.id}).${reopenedSaid(c)}`));
        }
        await load(true);
        // said where the supervisor can see it, not above the list's top
        msg.scrollIntoView({ block: 'nearest' });
      } catch (e) { said.append(fieldError(e, { reason: [reason, 'Motivo de la anulación'] })); }
    }));
    return h('div', { class: 'correccion' }, open, form);
  }
  // the «Ver más» pages read since the list was drawn
  let paged = false;
  // the latest read wins: a post or day changed while the last read was
  // on its way (the whole country's list, slower, came after La
  // Hachadura's and stood under «La Hachadura»)
  const read = latestRead(out);
  async function load(keepMsg = false) {
    if (!keepMsg) msg.replaceChildren();
    // the day's figures come with the first page; the list, in the order
    // the crossings happened, a page at a time («Ver más»)
    const want = { port: port.value, day: day.value, limit: 200 };
    await read(() => get(`/api/v1/movements${qs(want)}`), (r) => {
      paged = false;
      // The note and the voiding's button in cells of their own: the
      // button on the row's first line, the note on its second across the
      // traveler's and the transport's columns (app.css #mv-lista).  In
      // the button's column, at 1024 px, the booth's long note («Nueva
      // entrada sin salida registrada desde la entrada del 7 dic 2026 por
      // Aeropuerto Internacional de El Salvador San Óscar Arnulfo Romero y
      // Galdámez (Comalapa).») took eight lines.  Nothing to note: the
      // cell is empty («—» took a line of every row)
      const noteCell = (m) => {
        const n = note(m);
        return h('td', { class: 'mv-nota' }, n === '—' ? null : n);
      };
      const fixCell = (m) => h('td', { class: 'mv-accion' },
        m.decision !== 'void' && !m.voided_by && (canCorrect || (canRequest && !m.correction_requested)) ? correction(m, !canCorrect) : null);
      // a note longer than the second line holds beside the officer
      // takes the officer's room from «Sentido» on (app.css)
      const long = (m) => { const n = note(m); return typeof n === 'string' && n.length > 64; };
      const row = (m) => h('tr', { 'data-id': m.id, class: [m.voided_by ? 'anulado' : null, long(m) ? 'nota-larga' : null].filter(Boolean).join(' ') || null }, h('td', { class: 'mv-hora' }, fmtTime(m.at)), h('td', { title: m.port }, portName(names, m.port)), h('td', {}, m.decision === 'void' ? 'Anulación' : m.direction === 'entry' ? 'Entrada' : 'Salida'),
        // the nationality held to the name's last word: alone, it took a
        // line of its own
        h('td', { class: 'mv-persona' }, h('a', { href: `#/personas?id=${m.person_id}` }, `${m.given_names || ''} ${m.surnames || ''}`), m.nationality ? `\u00a0·\u00a0${m.nationality}` : null),
        h('td', {}, whole(m.transport)), h('td', { class: 'mv-oficial', title: m.officer }, m.officer_name || m.officer),
        noteCell(m), fixCell(m));
      // a day without crossings says which day and where («Sin
      // resultados» read as if the list had failed or the filter were wrong)
      const body = table(['Hora', 'Delegación', 'Sentido', 'Persona', 'Transporte', { text: 'Oficial', class: 'mv-oficial' }, { text: 'Nota', class: 'mv-nota' },
        { text: 'Anulación', class: 'mv-accion' }], r.items.map(row),
        `Ningún movimiento registrado el ${fmtDay(want.day)}${want.port ? ` en ${portName(names, want.port)}` : ' en ninguna delegación'}.`);
      body.id = 'mv-lista';
      // two lines a row (app.css), still a table to a screen reader
      tableRoles(body);
      const more = moreButton('mv-mas', r.next_cursor, (cursor) => get(`/api/v1/movements${qs({ ...want, cursor })}`),
        (p) => { paged = true; body.querySelector('tbody').append(...p.items.map((m) => tableRoles(row(m)))); }, (e) => msg.replaceChildren(notice('error', e.message)));
      const t = r.totals || { entry: 0, exit: 0 };
      out.replaceChildren(h('div', { class: 'cifras' }, h('div', { class: 'cifra' }, h('b', {}, num(t.entry)), h('span', {}, 'Entradas')), h('div', { class: 'cifra' }, h('b', {}, num(t.exit)), h('span', {}, 'Salidas'))),
        body, h('div', { class: 'acciones' }, more));
    }, (e) => msg.append(notice('error', e.message)));
  }
  // The officers' requests, for a supervisor other than the one who asked
  // to approve (the compensating entry) or reject with the reason.
  // The latest read wins (the list read after an approval, answering late,
  // put back the request rejected since); a rejection's reason being typed,
  // and the cursor in it, stay through the redraw (the list is read again
  // after each decision, while the supervisor is already on the next row)
  const requests = h('div', { id: 'mv-solicitudes' });
  const readRequests = latestRead(requests);
  async function loadRequests() {
    if (!canCorrect) return;
    await readRequests(() => get('/api/v1/correction-requests?status=pending'), (r) => keepTyped(requests, () => drawRequests(r)));
  }
  function drawRequests(r) {
    // what was said in a row (a rejection without its reason) stays with it
    const saying = new Map();
    for (const s of requests.querySelectorAll('tbody tr[data-id] .sol-dicho')) if (s.firstChild) saying.set(s.closest('tr').dataset.id, [...s.childNodes]);
    if (!r.items.length) { requests.replaceChildren(); return; }
    const row = (q) => {
      const noteIn = h('input', { class: 'sol-nota', placeholder: 'Motivo del rechazo', 'aria-label': `Motivo del rechazo de la solicitud n.º ${q.id}`, dataset: { key: q.id } });
      const said = h('div', { class: 'sol-dicho' });
      if (saying.has(String(q.id))) said.append(...saying.get(String(q.id)));
      const approveBtn = h('button', { type: 'button', class: 'peligro sol-aprobar' }, 'Aprobar la anulación');
      const rejectBtn = h('button', { type: 'button', class: 'sec sol-rechazar' }, 'Rechazar');
      const act = (what) => sendOnce([approveBtn, rejectBtn], async () => {
        said.replaceChildren();
        try {
          const x = await post(`/api/v1/correction-requests/${q.id}/${what}`, what === 'reject' ? { note: noteIn.value.trim() || undefined } : {});
          msg.replaceChildren(notice('ok', what === 'approve'
            ? `Solicitud n.º ${q.id} aprobada: movimiento n.º ${q.movement_id} anulado (anulación n.º ${x.correction_movement_id}).${reopenedSaid(x)}`
            : `Solicitud n.º ${q.id} rechazada: el movimiento n.º ${q.movement_id} se mantiene.`));
          await Promise.all([load(true), loadRequests()]);
        } catch (e) {
          // said in the row as it is now (the list may have been drawn
          // again while the answer came)
          const now = requests.querySelector(`tbody tr[data-id="${q.id}"]`) || tr;
          now.querySelector('.sol-dicho').append(fieldError(e, { note: [now.querySelector('.sol-nota'), 'Motivo del rechazo'] }));
        }
      });
      approveBtn.addEventListener('click', act('approve'));
      rejectBtn.addEventListener('click', act('reject'));
      const tr = h('tr', { 'data-id': q.id }, h('td', {}, `n.º ${q.id}`, h('br'), h('small', {}, fmtDate(q.requested_at))),
        h('td', {}, `${fmtDate(q.at)} · ${portName(names, q.port)} · ${q.direction === 'entry' ? 'Entrada' : 'Salida'}`, h('br'), h('small', {}, `Movimiento n.º ${q.movement_id} · ${q.officer_name || q.officer}`)),
        h('td', {}, h('a', { href: `#/personas?id=${q.person_id}` }, `${q.given_names || ''} ${q.surnames || ''}`)),
        h('td', { title: q.requested_by }, q.requested_by_name || q.requested_by), h('td', {}, q.reason),
        // one's own request is decided by another supervisor
        h('td', {}, q.requested_by === ctx.user?.username
          ? h('span', { class: 'etiqueta sol-propia frase' }, 'Pedida por usted: la decide otro supervisor')
          : h('div', { class: 'acciones' }, approveBtn, noteIn, rejectBtn), said));
      return tr;
    };
    const list = table(['Solicitud', 'Movimiento', 'Persona', 'Pedida por', 'Motivo', 'Decisión'], r.items.map(row));
    // a page at a time (100): the count says when more wait
    const more = moreButton('mv-solicitudes-mas', r.next_cursor, (cursor) => get(`/api/v1/correction-requests${qs({ status: 'pending', cursor })}`),
      (p) => list.querySelector('tbody').append(...p.items.map(row)), (e) => msg.replaceChildren(notice('error', e.message)));
    requests.replaceChildren(h('div', { class: 'panel' }, h('h2', {}, `Solicitudes de anulación pendientes (${r.items.length}${r.next_cursor ? ' o más' : ''})`),
      h('p', { class: 'sub' }, 'Pedidas por los oficiales; las decide un supervisor distinto del que las pidió.'),
      list, h('div', { class: 'acciones' }, more)));
  }
  port.addEventListener('change', () => load());
  day.addEventListener('change', () => load());
  // Today's list left open through the shift takes in the crossings the
  // booths record (it stayed as it was when opened: the figures too).
  // Not while the supervisor is at work in it (a voiding's reason being
  // typed, the cursor on a row) nor once further pages were read.
  // At midnight today's list follows into the new day, said above it: the
  // night shift's crossings after midnight are the new day's, and a list
  // left on the day before stopped taking them in without a word (the
  // supervisor saw idle booths).  A day the supervisor chose stays.
  let today = localDay();
  const timer = setInterval(() => {
    if (!document.body.contains(main)) { clearInterval(timer); return; }
    if (paged || out.contains(document.activeElement)) return;
    if ([...out.querySelectorAll('.pr-anular')].some((f) => !f.hidden)) return;
    const now = localDay();
    if (now !== today && day.value === today) {
      day.value = now;
      msg.replaceChildren(notice('info', `Comenzó un nuevo día: se muestran los movimientos del ${fmtDay(now)}. Los del ${fmtDay(today)} se consultan eligiendo ese día.`));
    }
    today = now;
    if (day.value === now) load(true);
  }, 30000);
  main.append(h('h1', {}, 'Movimientos del día'), h('div', { class: 'panel' }, h('div', { class: 'fila' }, h('div', {}, field('Delegación', port)), h('div', {}, field('Día', day)))));
  if (ctx && ctx.has('inspections.resolve'))
    main.append(contingencyPanel(ports, (p, d) => { port.value = p; day.value = d; load(); }));
  main.append(requests, msg, out);
  await Promise.all([load(), loadRequests().catch((e) => msg.append(notice('error', e.message)))]);
}
