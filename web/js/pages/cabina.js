// cabina.js — the inspection booth.  Built for a keyboard-wedge MRZ reader:
// the cursor waits in the MRZ box; when the last line of the zone arrives
// the check runs by itself; the decision appears large and coloured with
// its reasons; Enter takes the next traveler, Esc clears.  Documents without
// an MRZ are entered by hand.
import { h, append, field, localDay, fieldError, fmtDay, docNumber, notice } from '../dom.js';
import { get, post } from '../api.js';
import { docKind, recordLabel, portOption, MRZ_FIELD, reasonDetail } from '../labels.js';

// What may change between the server's read and its write, said to the
// officer (nothing was recorded, and the booth asks once more), and what
// the number the server gives is of
const CHANGED = {
  ledger_changed: ['Otra cabina registró un cruce de esta persona mientras se inspeccionaba', 'movimiento'],
  inadmission_recorded: ['Un supervisor registró la inadmisión de esta persona mientras se inspeccionaba', 'inadmisión'],
  registry_changed: ['Se registró una restricción, alerta o denuncia de esta persona mientras se inspeccionaba', 'registro'],
  stay_changed: ['La permanencia autorizada de esta persona cambió mientras se inspeccionaba', null],
};

const LABEL = { admit: 'ADMITIR', secondary: 'SEGUNDA REVISIÓN', refuse: 'NO ADMITIR' };
// an exit is authorized or not; "admitir" is said of an entry
const LABEL_EXIT = { admit: 'AUTORIZAR LA SALIDA', secondary: 'SEGUNDA REVISIÓN', refuse: 'SALIDA NO AUTORIZADA' };
// the MRZ's document code (ICAO 9303: its first letter) in words
const MRZ_KIND = { P: 'Pasaporte', I: 'Documento de identidad', A: 'Documento de identidad', C: 'Documento de identidad', V: 'Visa' };
// The decision's word, in the booth's largest type.  A long one
// («SALIDA NO AUTORIZADA», «SEGUNDA REVISIÓN») takes a type that fits the
// column on one line (app.css .largo): at 1024 px it broke in two, and the
// reasons went a line further down; a short one keeps its size.
const headline = (word) => h('h2', { class: word.length > 17 ? 'largo mas-largo' : word.length > 13 ? 'largo' : null }, word);
const mrzKind = (code) => (code ? MRZ_KIND[code[0]] || `Documento ${code}` : null);
const SEV = { refuse: 'Impide', secondary: 'Segunda revisión', warning: 'Atención', info: 'Información' };
// what the traveler shows beside the document, asked for by the answer:
// the visa, the DGME's approval, the carnet, the DUI
// (a visa asked of a resident is answered by the carnet, and the other way)
const ASKS = { visa_required: ['visa', 'carnet'], visa_consultada_not_approved: ['visa', 'carnet'], residence_carnet_expired: ['carnet', 'visa'], nationality_not_shown: ['dui'] };
const store = window.localStorage;
// The trip the booth is working (a bus's plate or a ship, its route): kept
// in this tab while the officer looks at a traveler's history or the day's
// movements and comes back (the next passengers went out without the
// plate, unlinked from the bus's list), not for the next officer who signs
// in here.
const TRIP = 'sigm.viaje';
function tripOf(user) {
  try { const t = JSON.parse(sessionStorage.getItem(TRIP) || 'null'); return t && t.user === user ? t : null; } catch { return null; }
}

// The lines of a complete MRZ: 3×30 (TD1), 2×36 (TD2, MRV-B), 2×44 (TD3, MRV-A).
// 'full' when every line has its width; 'short' when a line lacks only its
// final filler (the server accepts that), which is only trusted once the
// reader has stopped typing, lest the zone's last letter be cut off.
function mrzState(text) {
  const lines = text.toUpperCase().split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const w = lines.length === 3 ? 30 : lines.length === 2 ? (lines.every((l) => l.length <= 36) ? 36 : 44) : 0;
  if (!w || !lines.every((l) => l.length === w || l.length === w - 1)) return false;
  return lines.every((l) => l.length === w) ? 'full' : 'short';
}

export async function render(main, ctx) {
  const ports = (await get('/api/v1/ports')).filter((p) => p.active);
  const port = h('select', { id: 'cab-puesto' }, ports.map(portOption));
  port.value = store.getItem('sigm.port') || ports[0].code;
  port.addEventListener('change', () => store.setItem('sigm.port', port.value));
  const direction = h('select', { id: 'cab-sentido' }, h('option', { value: 'entry' }, 'Entrada'), h('option', { value: 'exit' }, 'Salida'));
  direction.value = store.getItem('sigm.direction') || 'entry';
  direction.addEventListener('change', () => store.setItem('sigm.direction', direction.value));
  const transport = h('input', { id: 'cab-transporte', placeholder: 'Vuelo, placa o embarcación' });
  const route = h('input', { id: 'cab-ruta', placeholder: 'USA', title: 'Código del país, p. ej. USA o GTM', maxlength: 3, class: 'mono' });
  const user = ctx.user?.username;
  const trip = tripOf(user);
  if (trip) { transport.value = trip.transport || ''; route.value = trip.route || ''; }
  const keepTrip = () => sessionStorage.setItem(TRIP, JSON.stringify({ user, transport: transport.value, route: route.value }));
  transport.addEventListener('input', keepTrip);
  route.addEventListener('input', keepTrip);
  route.addEventListener('input', () => route.classList.remove('invalido'));
  // a Salvadoran traveling on a foreign passport shows the DUI beside it:
  // typed before the passport is read, it makes them a national
  const dui = h('input', { id: 'cab-dui', class: 'mono', maxlength: 10, placeholder: '00000000-0', autocomplete: 'off' });
  // A foreigner's visa, the DGME's approval of a visa consultada, a
  // resident's carnet: shown with the passport, typed before it is read
  // (or before «Inspeccionar») and sent with it, as the DUI is.  Without
  // them a visa or a carnet could only be seen in secondary.
  const x = {
    // the choices said short under «Visa»: the panel's three columns fit a
    // 1024-pixel screen (app.css .extranjero)
    visaType: h('select', { id: 'cab-visa-tipo' }, h('option', { value: '' }, 'Ninguna'), h('option', { value: 'consular' }, 'Consular'), h('option', { value: 'consultada' }, 'Consultada'), h('option', { value: 'otra' }, 'Otra')),
    visaNumber: h('input', { id: 'cab-visa-numero', class: 'mono', maxlength: 60, autocomplete: 'off' }),
    visaUntil: h('input', { id: 'cab-visa-vence', type: 'date' }),
    approved: h('input', { id: 'cab-vc-aprobada', type: 'checkbox' }),
    vcRef: h('input', { id: 'cab-vc-ref', class: 'mono', maxlength: 60, autocomplete: 'off', placeholder: 'Resolución de la DGME' }),
    vcUntil: h('input', { id: 'cab-vc-vence', type: 'date' }),
    carnet: h('input', { id: 'cab-carne', class: 'mono', maxlength: 30, autocomplete: 'off' }),
    carnetUntil: h('input', { id: 'cab-carne-vence', type: 'date' }),
  };
  // Opened for a foreigner, it sat between the MRZ box and the booth's
  // keys, which it pushed below a 1024×768 screen, and its own fields
  // wrapped (the approval's box in three lines, its placeholder cut).  One
  // row a document, each date in the same narrow column, said «Vigente
  // hasta» on screen and in full to a screen reader.
  const until = (el, name) => { el.setAttribute('aria-label', name); return h('div', {}, field('Vigente hasta', el)); };
  const extraBox = h('details', { class: 'dui-doble', id: 'cab-extranjero' }, h('summary', {}, 'Visa o residencia (extranjeros)'),
    h('div', { class: 'extranjero' },
      h('div', { class: 'fila ext-visa' }, h('div', {}, field('Visa', x.visaType)), h('div', {}, field('Número de visa', x.visaNumber)), until(x.visaUntil, 'Visa vigente hasta')),
      h('label', { class: 'ext-aprobada' }, x.approved, ' Visa consultada aprobada por la DGME'),
      h('div', { class: 'fila' }, h('div', {}, field('Referencia de la aprobación', x.vcRef)), until(x.vcUntil, 'Aprobación vigente hasta')),
      h('div', { class: 'fila' }, h('div', {}, field('Carné de residente n.º', x.carnet)), until(x.carnetUntil, 'Carné vigente hasta'))));
  const extraSnap = () => Object.fromEntries(Object.entries(x).map(([k, el]) => [k, el.type === 'checkbox' ? el.checked : el.value]));
  const extraPut = (v) => { for (const [k, el] of Object.entries(x)) { if (el.type === 'checkbox') el.checked = !!(v && v[k]); else el.value = (v && v[k]) || ''; } };
  const extraAny = () => Object.values(extraSnap()).some((v) => (typeof v === 'string' ? v.trim() : v));
  // what the API takes of them: only what was typed
  const extra = () => {
    const b = {};
    const t = (el) => el.value.trim() || undefined;
    if (x.visaType.value || t(x.visaNumber) || x.visaUntil.value) b.visa = { type: x.visaType.value || undefined, valid_until: x.visaUntil.value || undefined, reference: t(x.visaNumber) };
    if (x.approved.checked || t(x.vcRef) || x.vcUntil.value) b.visa_consultada = { approved: x.approved.checked, valid_until: x.vcUntil.value || undefined, reference: t(x.vcRef) };
    if (t(x.carnet) || x.carnetUntil.value) b.residence = { carnet_number: t(x.carnet), valid_until: x.carnetUntil.value || undefined };
    return b;
  };
  const mrz = h('textarea', { id: 'cab-mrz', class: 'mrz', rows: 3, wrap: 'off', spellcheck: 'false', autocomplete: 'off', placeholder: 'Pase el documento por el lector…' });

  const m = {
    kind: h('select', { id: 'm-tipo' }, h('option', { value: 'passport' }, 'Pasaporte'), h('option', { value: 'id_card', title: 'DUI, DPI, DNI, cédula' }, 'Documento de identidad'), h('option', { value: 'residence_carnet' }, 'Carné de residente'), h('option', { value: 'other' }, 'Otro'),
      h('option', { value: 'none', title: 'Polizón, persona retornada sin papeles: pasa a segunda revisión' }, 'Sin documento')),
    number: h('input', { id: 'm-numero', class: 'mono' }),
    issuing_state: h('input', { id: 'm-emisor', class: 'mono', maxlength: 3, placeholder: 'SLV' }),
    expiry_date: h('input', { id: 'm-vence', type: 'date' }),
    given_names: h('input', { id: 'm-nombres' }),
    surnames: h('input', { id: 'm-apellidos' }),
    birth_date: h('input', { id: 'm-nacimiento', type: 'date', min: '1900-01-01', max: localDay() }),
    sex: h('select', { id: 'm-sexo' }, h('option', { value: '' }, '—'), h('option', { value: 'F' }, 'F'), h('option', { value: 'M' }, 'M'), h('option', { value: 'X' }, 'X')),
    nationality: h('input', { id: 'm-nacionalidad', class: 'mono', maxlength: 3, placeholder: 'SLV' }),
  };
  // Nobody without a document has a number, an issuer or an expiry to
  // type: the fields are shut, and what they held is not sent
  const noDoc = () => {
    const none = m.kind.value === 'none';
    for (const el of [m.number, m.issuing_state, m.expiry_date]) {
      el.disabled = none;
      if (none) el.value = '';
    }
  };
  m.kind.addEventListener('change', noDoc);
  // the manual form holds a traveler: a number typed, or none to type
  const manualFilled = () => (m.kind.value === 'none' ? m.surnames.value.trim() : m.number.value.trim());
  // A minor's companions.  A row left blank is nobody (it is not sent);
  // the identity is ticked by the officer, after seeing the document.
  const companions = h('div', { id: 'acompanantes' });
  // a companion added from the keyboard is typed at once: the cursor goes
  // to the new row's name (it stayed on the button, the row six Shift+Tabs
  // back above it)
  const addButton = h('button', { type: 'button', class: 'sec', id: 'm-agregar-acompanante', onclick: () => addCompanion().first.focus() }, 'Agregar acompañante');
  const alone = h('input', { type: 'checkbox', id: 'm-solo' });
  const addCompanion = () => {
    alone.checked = false;
    const rel = h('select', {}, h('option', { value: 'parent' }, 'Madre o padre'), h('option', { value: 'legal_guardian' }, 'Representante legal'), h('option', { value: 'other' }, 'Otra persona'));
    const name = h('input', { placeholder: 'Nombre completo' });
    const doc = h('input', { placeholder: 'Número de documento', class: 'mono' });
    const checked = h('input', { type: 'checkbox' });
    const row = h('div', { class: 'fila acompanante' }, h('div', {}, field('Relación', rel)), h('div', {}, field('Nombre', name)), h('div', {}, field('Documento', doc)),
      h('div', {}, h('label', {}, checked, ' Identidad verificada')),
      h('div', {}, h('button', { type: 'button', class: 'sec quitar', title: 'Quitar este acompañante', onclick: () => {
        // the cursor goes to the next companion, or to «Agregar acompañante»
        // (it fell out of the page with the row, where an Intro then took
        // the next traveler)
        const next = row.nextElementSibling?.first || addButton;
        row.remove();
        next.focus();
      } }, 'Quitar')));
    row.blank = () => !name.value.trim() && !doc.value.trim();
    row.read = () => ({ relation: rel.value, name: name.value.trim(), document_number: docNumber(doc.value), identity_checked: checked.checked });
    row.write = (c) => { rel.value = c.relation; name.value = c.name; doc.value = c.document_number; checked.checked = c.identity_checked; };
    row.first = name;
    row.doc = doc;
    companions.append(row);
    return row;
  };
  alone.addEventListener('change', () => { if (alone.checked) for (const r of [...companions.children]) if (r.blank()) r.remove(); });

  const verdict = h('div', { class: 'veredicto espera', id: 'veredicto', 'aria-live': 'assertive' }, h('h2', {}, 'En espera'), h('p', {}, 'Pase el documento por el lector o ingrese los datos.'));
  const reasons = h('ul', { class: 'razones', id: 'razones' });
  const facts = h('div', { class: 'sub', id: 'hechos' });
  const msg = h('div');
  let busy = false;
  // the traveler on screen has been decided (or was recorded already): the
  // manual form still holds that traveler's data
  let decided = false;
  // what the answer on screen asked for ('visa', 'carnet', 'dui'): Intro
  // in those fields inspects the same traveler again; in the others they
  // are the next traveler's (a DUI typed after an answer that asked for a
  // visa re-sent the Bolivian on screen as a Salvadoran, and admitted him)
  let asked = new Set();

  // focus: false when the officer is already typing the next traveler in
  // the manual form (the key goes where it was typed)
  function clearAll(focus = true) {
    decided = false;
    asked = new Set();
    mrz.value = '';
    dui.value = '';
    extraPut(null);
    extraSent = false;
    extraBox.open = false;
    for (const el of Object.values(m)) if (el.tagName !== 'SELECT') el.value = '';
    // the sex is the traveler's; the kind of document stays as the booth's
    // usual, but for «Sin documento»: the next traveler shows one
    m.sex.value = '';
    if (m.kind.value === 'none') { m.kind.value = 'passport'; noDoc(); }
    companions.replaceChildren();
    alone.checked = false;
    for (const el of main.querySelectorAll('.invalido')) el.classList.remove('invalido');
    verdict.className = 'veredicto espera';
    verdict.replaceChildren(h('h2', {}, 'En espera'), h('p', {}, 'Pase el documento por el lector o ingrese los datos.'));
    reasons.replaceChildren();
    facts.replaceChildren();
    msg.replaceChildren();
    if (focus) mrz.focus();
  }

  // Who the system took the traveler to be: what the officer compares with
  // the person and the photo page in front of the booth.
  function identity(r, sent) {
    const f = r.mrz?.fields || { ...(sent.document || {}), ...(sent.person || {}), document_number: sent.document?.number };
    if (!f.surnames && !f.document_number) return null;
    // a datum longer than a column holds on a line (16 characters of the
    // monospaced type, at every width) takes two columns (app.css)
    const row = (k, v) => (v ? h('div', { class: v.length > 16 ? 'ancho' : null }, h('dt', {}, k), h('dd', {}, v)) : null);
    return h('dl', { class: 'leido', id: 'leido' },
      row('Apellidos', f.surnames), row('Nombres', f.given_names),
      row('Documento', [mrzKind(f.document_code) || (f.kind && docKind(f.kind)), f.document_number].filter(Boolean).join(' ')),
      row('Emisor / nacionalidad', [f.issuing_state, f.nationality].filter(Boolean).join(' / ')),
      row('Nacimiento', fmtDay(f.birth_date)), row('Sexo', f.sex), row('Vence', fmtDay(f.expiry_date)));
  }

  // A flight's APIS manifest, or a bus's or a ship's prechequeo list (at
  // a land or sea post), as the officer names it
  const isAir = (code) => (ports.find((p) => p.code === code) || {}).kind === 'air';
  const record = (rec, air, code) => (!air && /^apis_manifest:/.test(rec || '') ? `Lista de prechequeo n.º ${rec.slice(14)}` : recordLabel(rec, code));
  // on the list the carrier sent: screened before the arrival, and what
  // the APIS desk made of it (a traveler missing from it is a reason)
  function precheck(a, air) {
    if (!a || !a.on_manifest) return null;
    const bits = [air ? `Figura en el manifiesto APIS n.º ${a.manifest_id}${a.prechecked ? ', cotejado con las listas al recibirlo' : ''}.`
      : `Figura en la lista de prechequeo n.º ${a.manifest_id}${a.prechecked ? ', cotejada con las listas al recibirla' : ''}.`];
    if (a.open_hits) bits.push(`${a.open_hits === 1 ? 'Una coincidencia' : `${a.open_hits} coincidencias`} de ese cotejo sin revisar aún por la mesa APIS.`);
    if (a.review && a.review.decision === 'cleared') bits.push(`La mesa APIS descartó su coincidencia${a.review.note ? `: ${a.review.note}` : ''}.`);
    return h('div', { class: 'aviso info', id: 'cab-apis' }, bits.join(' '));
  }

  function show(r, sent = {}) {
    verdict.className = `veredicto ${r.decision}`;
    const air = isAir(sent.port);
    // a visa or carnet the booth did not see: the fields where the officer
    // records the one the traveler shows, before inspecting again
    if (r.reasons.some((z) => ['visa_required', 'visa_consultada_not_approved', 'residence_carnet_expired'].includes(z.code))) extraBox.open = true;
    // an admitted traveler was asked for nothing (a carnet run out, said
    // as a warning on an exit that was recorded): what is typed next is
    // the next traveler's
    asked = new Set(r.decision === 'admit' ? [] : r.reasons.flatMap((z) => ASKS[z.code] || []));
    // a CA-4 identity card at a port or an airport: the country the
    // traveler comes from decides, and the answer asks for it.  Its field
    // («País de origen o destino», at the page's top) is marked, as a
    // field the server names is (a cruise's Guatemalan was read «Remita a
    // la persona a segunda revisión», nothing on the page pointing at
    // where the country goes; typed there, Intro inspects again).  The
    // cursor stays in the MRZ box, where the reader types.
    route.classList.toggle('invalido', r.reasons.some((z) => z.code === 'route_unknown'));
    const exit = sent.direction === 'exit';
    verdict.replaceChildren(headline((exit ? LABEL_EXIT : LABEL)[r.decision] || r.decision),
      h('p', {}, r.decision === 'admit' ? (r.movement_id ? `Movimiento registrado (n.º ${r.movement_id}).` : 'Registrado.') : r.decision === 'secondary' ? `Remita a la persona a segunda revisión (inspección n.º ${r.inspection_id}${r.case_already_open ? ', ya abierta' : ''}).`
        // a refusal with a ground for secondary beside it (a warrant, a child alone) goes to the supervisor too
        : exit ? `No se autoriza la salida del país.${r.status === 'pending' ? ` Conduzca a la persona al supervisor (inspección n.º ${r.inspection_id}${r.case_already_open ? ', ya abierta' : ''}).` : ''}`
          // the supervisor records the inadmission: who brought the traveler, and the return
          : `No se autoriza el ingreso al país. Conduzca a la persona al supervisor para el acta de inadmisión (inspección n.º ${r.inspection_id}${r.case_already_open ? ', ya abierta' : ''}).`));
    reasons.replaceChildren(...r.reasons.map((x) => h('li', { class: x.severity },
      h('b', {}, `${SEV[x.severity] || ''}: `), x.message, x.record ? h('small', {}, record(x.record, air, x.code)) : null, reasonDetail(x) ? h('small', {}, reasonDetail(x)) : null)));
    const f = r.facts || {};
    const who = identity(r, sent);
    // append() leaves out the parts a traveler does not have (replaceChildren
    // wrote them as «null»)
    facts.replaceChildren();
    append(facts, [who, `Edad: ${f.age_min === f.age_max ? f.age_min : `${f.age_min}–${f.age_max}`} · ${f.minor ? 'menor de edad · ' : ''}${f.national ? 'salvadoreño(a) · ' : ''}${f.stay_until ? `${r.decision === 'admit' ? 'permanencia' : 'permanencia si se admite'} hasta el ${fmtDay(f.stay_until)} · ` : ''}persona n.º ${r.person_id}`,
      ' · ', h('a', { href: `#/personas?id=${r.person_id}` }, 'ver historial'),
      // who the system took the traveler to be is worth a second look
      precheck(r.apis, air),
      r.renewal ? h('div', { class: 'aviso info', id: 'cab-renovacion' }, 'Documento nuevo de una persona ya registrada (renovación): compare los datos con el historial.') : null,
      // the case this crossing left open (the visa not yet typed) closed with it
      r.cases_closed ? h('div', { class: 'aviso info', id: 'cab-caso-cerrado' }, `${r.cases_closed === 1 ? 'El caso abierto' : `Los ${r.cases_closed} casos abiertos`} antes en segunda revisión para este cruce ${r.cases_closed === 1 ? 'quedó cerrado' : 'quedaron cerrados'} ${exit ? 'al autorizar esta salida' : 'con esta admisión'}.`) : null,
      r.possible_duplicates ? h('div', { class: 'aviso info', id: 'cab-duplicado' }, `Registro nuevo parecido a ${r.possible_duplicates === 1 ? 'otra persona registrada' : `${r.possible_duplicates} personas registradas`}: queda marcado como posible duplicado para que un supervisor lo revise.`) : null]);
    decided = true;
  }

  // A zone that fails its check digits is most often a bad read (a worn
  // page, the passport moved in the reader): the booth says so and waits
  // for the next pass instead of opening a secondary case for every read.
  // The officer who has looked at the document may still send it on.
  function reread(z, body) {
    verdict.className = 'veredicto releer';
    const send = h('button', { type: 'button', id: 'cab-enviar', class: 'sec' }, 'Enviar a segunda revisión ', h('kbd', {}, 'F8'));
    send.addEventListener('click', () => inspect(body, true));
    verdict.replaceChildren(headline('LECTURA NO VÁLIDA'),
      h('p', {}, 'Vuelva a pasar el documento por el lector. Si la lectura sigue fallando, examine el documento: ingrese los datos a mano o envíe a la persona a segunda revisión.'),
      h('p', {}, send));
    reasons.replaceChildren(...(z.errors || []).map((e) => h('li', { class: 'secondary' }, h('b', {}, `${MRZ_FIELD[e.field] || e.field}: `), e.message)),
      ...(z.suggestions || []).map((x) => h('li', { class: 'info' }, h('b', {}, 'Posible confusión: '), `en ${MRZ_FIELD[x.field] || x.field} se leyó «${x.found}»; con «${x.suggested}» el dígito de control coincide. Verifique en el documento.`)));
    facts.replaceChildren();
    asked = new Set();
    mrz.select();
  }

  // Esc clears for the next traveler, as the booth's keys say.  What was
  // typed by hand and not yet sent is kept for that one step: a stray Esc
  // in a long manual entry (a minor and two companions) costs a click, not
  // the typing.  Sending it, or the next traveler's first key, forgets it.
  let typed = false;
  // the DUI was typed since the last answer (so it is the next traveler's);
  // so were the visa and carnet fields
  let duiFresh = false;
  let extraFresh = false;
  // what the visa and carnet fields show was sent with the last request
  // (the traveler decided): the first edit of any of them starts the set
  // over, or the last traveler's carnet went out with the next one's visa
  let extraSent = false;
  function keep() {
    const fields = Object.fromEntries(Object.entries(m).map(([k, el]) => [k, el.value]));
    const rows = [...companions.children].filter((r) => !r.blank()).map((r) => r.read());
    const extraTyped = !extraSent && extraAny();
    const any = Object.entries(fields).some(([k, v]) => m[k].tagName !== 'SELECT' && v.trim()) || rows.length || dui.value.trim() || extraTyped;
    return any ? { fields, rows, alone: alone.checked, dui: dui.value, extra: extraTyped ? extraSnap() : null } : null;
  }
  // the visa and carnet typed for the traveler being read stay when the
  // next traveler's first key clears the last one (as the DUI does)
  const keepExtra = (fresh) => { const e = fresh ? extraSnap() : null; return () => { if (e) { extraPut(e); extraBox.open = true; } }; };
  function offerBack(kept) {
    const back = h('button', { type: 'button', id: 'cab-recuperar', class: 'sec' }, 'Recuperar lo escrito');
    back.addEventListener('click', () => {
      for (const [k, v] of Object.entries(kept.fields)) m[k].value = v;
      noDoc();
      for (const c of kept.rows) addCompanion().write(c);
      alone.checked = kept.alone;
      dui.value = kept.dui;
      extraPut(kept.extra);
      if (extraAny()) extraBox.open = true;
      typed = true;
      msg.replaceChildren();
      m.number.focus();
    });
    msg.replaceChildren(h('div', { class: 'aviso info', role: 'status', id: 'cab-limpiado' }, 'Se limpió el ingreso manual. ', back));
  }

  // the zone last sent: read again after an error that decided nothing
  // (a route asked for, a carnet without its date), the reader's next pass
  // replaces it instead of adding four lines to two
  let lastZone = null;
  async function inspect(body, checked = false, byReader = false) {
    if (busy) return;
    busy = true;
    readerEnter = byReader;
    if (body.mrz) lastZone = body.mrz;
    msg.replaceChildren();
    const d = dui.value.trim();
    if (d && body.mrz) body = { ...body, national_dui: d };
    else if (d) body = { ...body, document: { ...body.document, dui: d }, person: { ...body.person, nationality: 'SLV' } };
    // whatever the answer, the DUI typed so far was this request's; the
    // visa and carnet too (they stay on screen, and an edit of them after
    // the answer is for this traveler read again)
    duiFresh = false;
    extraFresh = false;
    try {
      if (body.mrz && !checked) {
        const z = await post('/api/v1/documents/mrz', { mrz: body.mrz });
        if (!z.valid) { reread(z, body); return; }
      }
      // Another booth recorded a crossing of this traveler between the
      // server's read of the ledger and its write (the same passport at two
      // posts at once): nothing was recorded.  The booth asks once more, on
      // the ledger as it stands now, and says why the decision may differ
      // from what the officer expected; the officer decides on that.
      // The same for what else may change meanwhile: a supervisor's
      // refusal recorded, a court's order, an alert or a theft report
      // registered, an extension annulled (the server says each and
      // records nothing); asked again, the rules weigh it.
      let r, moved = null;
      try {
        r = await post('/api/v1/inspections', body);
      } catch (e) {
        if (!CHANGED[e.code]) throw e;
        moved = e;
        r = await post('/api/v1/inspections', body);
      }
      show(r, body);
      if (moved) {
        const mv = /n\.º (\d+)/.exec(moved.message || '');
        msg.replaceChildren(h('div', { class: 'aviso info', role: 'status', id: 'cab-cambio' },
          `${CHANGED[moved.code][0]}${mv && CHANGED[moved.code][1] ? ` (${CHANGED[moved.code][1]} n.º ${mv[1]})` : ''}. Esta decisión se tomó de nuevo con los datos actuales.`));
      }
      // decided: the visa and carnet on screen are this traveler's
      extraSent = true;
      typed = false;
      // it was this traveler's: the next one starts without it
      dui.value = '';
      // the next key is the next traveler's: Enter, Esc or the reader
      mrz.focus();
    } catch (e) {
      // a second swipe of a traveler just recorded: said where the
      // decision shows, nothing to correct in the form
      if (CHANGED[e.code]) {
        // moved again while asking again: nothing recorded, and the
        // manual form's «Número» has nothing to correct
        verdict.className = 'veredicto releer';
        verdict.replaceChildren(headline('INSPECCIONE DE NUEVO'),
          h('p', {}, `${CHANGED[e.code][0]}; no se registró nada. Pase el documento de nuevo.`));
        reasons.replaceChildren();
        facts.replaceChildren();
        asked = new Set();
        if (body.mrz) mrz.select(); else manual.querySelector('#m-inspeccionar').focus();
      } else if (e.code === 'already_recorded') {
        verdict.className = 'veredicto releer';
        verdict.replaceChildren(headline('YA REGISTRADO'), h('p', {}, `${e.message.charAt(0).toUpperCase()}${e.message.slice(1)}.`));
        reasons.replaceChildren();
        facts.replaceChildren();
        decided = true;
        asked = new Set();
        extraSent = true;
        typed = false;
        dui.value = '';
        mrz.focus();
      } else {
        // a visa's or a carnet's field is said where it can be seen
        if (/^(visa|residence)/.test(e.field || '')) extraBox.open = true;
        const f = e.field || '';
        asked = new Set([/^visa/.test(f) ? 'visa' : /^residence/.test(f) ? 'carnet' : /^(national_dui|document\.dui)/.test(f) ? 'dui' : null].filter(Boolean));
        msg.replaceChildren(fieldError(e, fieldsOf(e)));
      }
    } finally { busy = false; answeredAt = performance.now(); }
  }
  // A reader ends its last line with Intro too, right after the character
  // that completes the zone and starts the check.  On a quiet network the
  // decision can be drawn before that Intro arrives, which then read as the
  // officer's «siguiente viajero» and cleared the decision as it appeared.
  // The first key after a zone completed by typing (and no other inspection
  // since), when it is Intro and comes within a second of the answer, is
  // the reader's: an officer reads the decision before passing to the next
  // traveler, and only with a reader set up without a line end is their
  // Intro the first key.  One before the answer changed nothing already.
  let readerEnter = false, answeredAt = 0;

  // The booth's fields by the API's names (dom.js fieldError), and the
  // companion rows by the index the API names them with.
  const FIELD = { number: [m.number, 'Número'], issuing_state: [m.issuing_state, 'Estado emisor'], expiry_date: [m.expiry_date, 'Vencimiento'],
    given_names: [m.given_names, 'Nombres'], surnames: [m.surnames, 'Apellidos'], birth_date: [m.birth_date, 'Nacimiento'],
    sex: [m.sex, 'Sexo'], nationality: [m.nationality, 'Nacionalidad'], kind: [m.kind, 'Tipo'], transport: [transport, 'Transporte'],
    route_country: [route, 'País de origen o destino'], port: [port, 'Delegación'], mrz: [mrz, 'MRZ'],
    national_dui: [dui, 'DUI'], 'document.dui': [dui, 'DUI'],
    'visa.type': [x.visaType, 'Visa'], 'visa.valid_until': [x.visaUntil, 'Visa vigente hasta'], 'visa.reference': [x.visaNumber, 'Número de visa'],
    'visa_consultada.approved': [x.approved, 'Visa consultada aprobada'], 'visa_consultada.valid_until': [x.vcUntil, 'Aprobación vigente hasta'],
    'visa_consultada.reference': [x.vcRef, 'Referencia de la aprobación'],
    'residence.carnet_number': [x.carnet, 'Carné de residente'], 'residence.valid_until': [x.carnetUntil, 'Carné vigente hasta'] };
  function fieldsOf(e) {
    const fields = { ...FIELD };
    sent.rows.forEach((row, i) => { fields[`companions[${i}].document_number`] = [row.doc, `Acompañante ${i + 1}`]; });
    // nothing listed: open a row unless one is open already
    if (e.field === 'companions') fields.companions = [([...companions.children].find((r) => r.blank()) || addCompanion()).first, 'Acompañantes'];
    return fields;
  }

  // What the last request sent: the companion rows, by the index the API
  // names them with.
  const sent = { rows: [] };
  const base = () => {
    const b = { port: port.value, direction: direction.value };
    if (transport.value.trim()) b.transport = transport.value.trim();
    if (route.value.trim()) b.route_country = route.value.trim().toUpperCase();
    Object.assign(b, extra());
    sent.rows = [...companions.children].filter((r) => !r.blank());
    if (alone.checked) b.companions = [];
    else if (sent.rows.length) b.companions = sent.rows.map((r) => r.read());
    return b;
  };

  // A reader that starts the next passport while the last decision is on
  // screen starts the next traveler: its first character clears the last
  // one, so its Enter between the lines is a line break, not "next".
  mrz.addEventListener('keydown', (ev) => {
    // the DUI typed for this traveler before the passport is read stays
    // (typed since the last answer, or the same passport read again after a
    // bad read; one left from the traveler before is not)
    if (ev.key.length === 1 && !ev.ctrlKey && !ev.metaKey && !ev.altKey && verdict.classList.contains('espera') && mrz.value && mrz.value === lastZone) {
      mrz.value = '';
      lastZone = null;
    }
    if (ev.key.length === 1 && !ev.ctrlKey && !ev.metaKey && !ev.altKey && !verdict.classList.contains('espera')) {
      const again = verdict.classList.contains('releer');
      const d = duiFresh || again ? dui.value : '';
      const back = keepExtra(extraFresh || again);
      clearAll(); dui.value = d; back();
    }
  });
  // Intro in the route's field, typed because the booth asked for it,
  // inspects again what is on screen: the zone read, or the manual form
  route.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Enter') return;
    ev.preventDefault();
    if (mrzState(mrz.value)) inspect({ ...base(), mrz: mrz.value });
    else if (manualFilled()) manual.requestSubmit();
  });
  // Intro in the visa, carnet or DUI fields: the traveler the answer asked
  // them of is inspected again with them (the zone on screen, or the manual
  // form); otherwise they are the next traveler's, typed before the
  // passport is read, and the cursor goes back to the MRZ box, where the
  // reader types (it did nothing: a swipe then went into the carnet's date)
  const extraEnter = (ev) => {
    if (ev.key !== 'Enter') return;
    ev.preventDefault();
    // handled here: the booth's Intro («siguiente viajero») would clear
    // what was just typed, once the cursor is back in the MRZ box
    ev.stopPropagation();
    const group = ev.target === dui ? 'dui' : [x.carnet, x.carnetUntil].includes(ev.target) ? 'carnet' : 'visa';
    if (asked.has(group) && mrzState(mrz.value)) inspect({ ...base(), mrz: mrz.value });
    else if (asked.has(group) && manualFilled()) manual.requestSubmit();
    else mrz.focus();
  };
  for (const el of [dui, ...Object.values(x)]) el.addEventListener('keydown', extraEnter);
  let pending = null;
  mrz.addEventListener('input', () => {
    clearTimeout(pending);
    const st = mrzState(mrz.value);
    if (st === 'full') inspect({ ...base(), mrz: mrz.value }, false, true);
    else if (st === 'short') pending = setTimeout(() => { if (mrzState(mrz.value) === 'short') inspect({ ...base(), mrz: mrz.value }); }, 400);
  });
  const manual = h('form', { class: 'panel', id: 'form-manual' },
    h('h2', {}, 'Ingreso manual (documentos sin MRZ)'),
    h('div', { class: 'fila' }, h('div', {}, field('Tipo', m.kind)), h('div', {}, field('Número', m.number)), h('div', {}, field('Estado emisor', m.issuing_state)), h('div', {}, field('Vencimiento', m.expiry_date))),
    h('div', { class: 'fila' }, h('div', {}, field('Nombres', m.given_names)), h('div', {}, field('Apellidos', m.surnames))),
    h('div', { class: 'fila' }, h('div', {}, field('Nacimiento', m.birth_date)), h('div', {}, field('Sexo', m.sex)), h('div', {}, field('Nacionalidad', m.nationality))),
    h('h3', {}, 'Acompañantes (menores de edad)'), companions,
    h('p', {}, h('label', {}, alone, ' Viaja sin acompañante')),
    h('div', { class: 'acciones' },
      addButton,
      h('button', { type: 'submit', id: 'm-inspeccionar' }, 'Inspeccionar')));
  // The manual form after a decision holds the traveler just decided: the
  // first key typed in its document or identity fields (or a paste) starts
  // the next traveler, as the MRZ box's first key does, so that nobody is
  // recorded with the last one's names, birth date or companions.  As
  // there, a DUI typed for the new traveler stays, and what is cleared is
  // not offered back: it was sent, the decision is on record.  What is
  // typed from here on is the new traveler's, and Esc offers that back.
  function nextTraveler(keepEl) {
    if (!decided) return;
    const d = duiFresh ? dui.value : '';
    const back = keepExtra(extraFresh);
    const v = keepEl ? keepEl.value : null;
    clearAll(false);
    dui.value = d;
    back();
    // a value put in whole (filled in by the browser) is the new traveler's
    if (keepEl) keepEl.value = v;
  }
  for (const el of Object.values(m)) {
    el.addEventListener('keydown', (ev) => {
      if ((ev.key.length === 1 && !ev.ctrlKey && !ev.metaKey && !ev.altKey) || ev.key === 'Backspace' || ev.key === 'Delete') nextTraveler();
    });
    el.addEventListener('paste', () => nextTraveler());
    el.addEventListener(el.tagName === 'SELECT' ? 'change' : 'input', () => nextTraveler(el));
  }
  manual.addEventListener('input', () => { typed = true; });
  dui.addEventListener('input', () => { typed = true; duiFresh = true; });
  for (const el of Object.values(x)) {
    el.addEventListener(el.tagName === 'SELECT' || el.type === 'checkbox' ? 'change' : 'input', () => {
      if (extraSent) {
        // the first edit after a request: the others were the last one's
        const v = el.type === 'checkbox' ? el.checked : el.value;
        extraPut(null);
        if (el.type === 'checkbox') el.checked = v; else el.value = v;
        extraSent = false;
      }
      typed = true;
      extraFresh = true;
    });
  }
  manual.addEventListener('change', () => { typed = true; });
    manual.addEventListener('submit', (ev) => {
    ev.preventDefault();
    for (const el of main.querySelectorAll('.invalido')) el.classList.remove('invalido');
    // a scanned document whose companions were asked for: the MRZ again,
    // with them (the manual fields are for documents without one)
    const none = m.kind.value === 'none';
    if (!none && mrzState(mrz.value) && !m.number.value.trim()) { inspect({ ...base(), mrz: mrz.value }); return; }
    // every field left empty that the check needs, said at once: the API
    // names the first only, and an officer who left three found them one
    // request at a time
    const need = [...(none ? [] : [[m.number, 'Número'], [m.issuing_state, 'Estado emisor']]), [m.surnames, 'Apellidos'], [m.birth_date, 'Nacimiento']]
      .filter(([el]) => !el.value.trim() && !el.validity?.badInput);
    if (need.length) {
      for (const [el] of need) {
        el.classList.add('invalido');
        el.addEventListener('input', () => el.classList.remove('invalido'), { once: true });
      }
      need[0][0].focus();
      msg.replaceChildren(notice('error', `${need.length > 1 ? 'Faltan' : 'Falta'}: ${need.map(([, l]) => l).join(', ')}.`));
      return;
    }
    const up = (el) => el.value.trim().toUpperCase() || undefined;
    inspect({ ...base(),
      document: none ? { kind: 'none' } : { kind: m.kind.value, number: docNumber(m.number.value) || undefined, issuing_state: up(m.issuing_state), nationality: up(m.nationality), expiry_date: m.expiry_date.value || undefined },
      person: { given_names: m.given_names.value.trim() || undefined, surnames: m.surnames.value.trim(), birth_date: m.birth_date.value.trim(), sex: m.sex.value || undefined, nationality: up(m.nationality) } });
  });
  const onKey = (ev) => {
    if (!document.body.contains(main)) { document.removeEventListener('keydown', onKey); return; }
    // the reader's Intro is the first key after the zone it completed
    const fromReader = readerEnter;
    readerEnter = false;
    if (ev.key === 'Escape') { ev.preventDefault(); const kept = typed ? keep() : null; clearAll(); if (kept) offerBack(kept); }
    // a read that keeps failing, the document looked at: to secondary from
    // the keyboard (the button sits after the manual form, 15 Tabs away,
    // and the cursor stays in the MRZ box for the next pass)
    else if (ev.key === 'F8' && verdict.classList.contains('releer') && main.querySelector('#cab-enviar')) { ev.preventDefault(); main.querySelector('#cab-enviar').click(); }
    else if (ev.key === 'Enter' && fromReader && !verdict.classList.contains('espera') && performance.now() - answeredAt < 1000) ev.preventDefault(); // the reader's line end: no line added to the zone read
    else if (ev.key === 'Enter' && !verdict.classList.contains('espera') && (document.activeElement === mrz || document.activeElement === document.body)) { ev.preventDefault(); clearAll(); }
  };
  document.addEventListener('keydown', onKey);

  main.append(h('h1', {}, 'Cabina de inspección'),
    h('div', { class: 'panel' }, h('div', { class: 'fila puesto' }, h('div', {}, field('Delegación', port)), h('div', {}, field('Sentido', direction)), h('div', {}, field('Transporte', transport)), h('div', {}, field('País de origen o destino', route)))),
    h('div', { class: 'cabina' },
      // the booth's keys right under the box the reader types in: after
      // the visa's fields they went below a 1024×768 screen
      h('div', {}, h('div', { class: 'panel' }, field('Zona de lectura mecánica (MRZ)', mrz),
        h('p', { class: 'teclas' }, h('kbd', {}, 'Intro'), ' siguiente viajero · ', h('kbd', {}, 'Esc'), ' limpiar'),
        h('details', { class: 'dui-doble' }, h('summary', {}, 'Salvadoreño/a con pasaporte extranjero'), field('DUI (antes de leer el pasaporte)', dui)),
        extraBox), manual),
      // stays in view while the officer scrolls the manual form
      h('div', { class: 'decision' }, verdict, msg, facts, reasons)));
  mrz.focus();
}
