// menores.js — LEPINA Art. 44 exit authorizations: register and look up.
import { h, notice, field, table, fieldError, fmtDay, docNumber, localDay, missingFields } from '../dom.js';
import { get, post, qs } from '../api.js';

// whether it covers an exit today, as the booth will read it
function standing(a) {
  const today = localDay();
  if (a.status && a.status !== 'active') {
    return h('span', {}, h('span', { class: 'etiqueta mal' }, 'Revocada'),
      a.revoked_at ? h('small', { class: 'me-revocada' }, `el ${fmtDay(a.revoked_at.slice(0, 10))}: ${a.revoke_reason || ''}${a.revoke_reference ? ` (${a.revoke_reference})` : ''}`) : null);
  }
  if (a.valid_to < today) return h('span', { class: 'etiqueta mal' }, 'Vencida');
  if (a.valid_from > today) return h('span', { class: 'etiqueta alerta' }, 'Aún no vigente');
  return h('span', { class: 'etiqueta ok' }, 'Vigente hoy');
}

// who signed the instrument: «Carlos Rivas Pérez (padre)»
const RELATION = { father: 'padre', mother: 'madre', legal_guardian: 'representante legal' };
const signers = (a) => (a.authorizing || []).map((p) => `${p.given_names || ''} ${p.surnames || ''}`.trim() + (RELATION[p.relation] ? ` (${RELATION[p.relation]})` : '')).join('; ');

// A parent withdraws the consent: the written revocation is recorded
// (its reference and why), and the booth no longer reads the authorization
function revokeForm(a, onDone) {
  const reason = h('input', { class: 'me-revoca-motivo', placeholder: 'p. ej. la madre retira su consentimiento', 'aria-label': 'Motivo de la revocación', maxlength: 500 });
  const ref = h('input', { class: 'me-revoca-ref', placeholder: 'Escrito ante notario o PGR', 'aria-label': 'Documento de la revocación', maxlength: 120 });
  const say = h('div');
  const go = h('button', { type: 'submit', class: 'peligro' }, 'Registrar revocación');
  const form = h('form', { class: 'me-revocar' }, reason, ref, go, say);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    say.replaceChildren();
    try {
      onDone(await post(`/api/v1/minor-authorizations/${a.id}/revoke`, { reason: reason.value.trim(), reference: ref.value.trim() }));
    } catch (err) {
      say.append(fieldError(err, { reason: [reason, 'Motivo'], reference: [ref, 'Documento de la revocación'] }));
    }
  });
  return h('details', { class: 'me-revocar-panel' }, h('summary', {}, 'Revocar…'), form);
}

function row(a, canRevoke) {
  const tr = h('tr', { 'data-id': a.id },
    h('td', {}, `${a.minor_given_names} ${a.minor_surnames}`, h('br'), h('span', { class: 'mono' }, a.minor_document_number || '')), h('td', {}, fmtDay(a.minor_birth_date)),
    h('td', { class: 'me-autoriza' }, signers(a)),
    h('td', {}, a.travels_alone ? 'Viaja solo(a)' : `${a.companion_given_names} ${a.companion_surnames}${a.companion_relation ? `, ${a.companion_relation}` : ''} (${a.companion_document_number})`),
    h('td', {}, a.destination, h('br'), a.length_of_stay),
    h('td', {}, `${fmtDay(a.valid_from)} a ${fmtDay(a.valid_to)}`, h('br'), standing(a),
      canRevoke && a.status === 'active' ? revokeForm(a, (done) => {
        // the row says it at once; the cursor stays on it
        const fresh = row(done, canRevoke);
        tr.replaceWith(fresh);
        fresh.querySelector('.me-revocada')?.setAttribute('tabindex', '-1');
        fresh.querySelector('.me-revocada')?.focus();
      }) : null),
    h('td', {}, { notarial_act: 'Acta notarial', pgr: 'PGR', court: 'Resolución judicial' }[a.instrument], h('br'), a.instrument_reference));
  return tr;
}

function list(items, canRevoke) {
  return table(['Menor', 'Nacimiento', 'Autoriza', 'Acompañante', 'Destino', 'Vigencia', 'Instrumento'], items.map((a) => row(a, canRevoke)));
}

export async function render(main, ctx) {
  const canRevoke = ctx.has('minors.write');
  const msg = h('div');
  const out = h('div');
  // «Pasaporte del menor» read «Pasaporte del me» at 1024 px; the label says whose
  const sdoc = h('input', { id: 'me-buscar-doc', class: 'mono', placeholder: 'Pasaporte', title: 'Pasaporte del menor' });
  const sday = h('input', { id: 'me-vigente', type: 'date' });
  // a minor registered without a passport is found by surname and birth
  const ssur = h('input', { id: 'me-buscar-apellidos', placeholder: 'p. ej. Flores Ayala' });
  const sbirth = h('input', { id: 'me-buscar-nacimiento', type: 'date' });
  // what the list answers: a search, or a registration, once made, is
  // not replaced by the latest ones read on opening
  let asked = 0;
  async function search() {
    asked++;
    // not the list it replaces while the answer is on its way (a row of
    // the latest ones clicked just before it changed under the cursor)
    out.replaceChildren();
    msg.replaceChildren();
    // a registration said before is not the answer to this search
    for (const n of main.querySelectorAll('#form-menor .aviso')) n.remove();
    try {
      const r = await get(`/api/v1/minor-authorizations${qs({ document_number: docNumber(sdoc.value), surnames: ssur.value.trim(), birth_date: sbirth.value, valid_on: sday.value })}`);
      if (!r.items.length) { out.replaceChildren(h('p', { class: 'sub' }, 'Ninguna autorización con esos datos.')); return; }
      out.replaceChildren(list(r.items, canRevoke));
    } catch (e) { msg.append(notice('error', e.message)); }
  }
  const sform = h('form', { class: 'panel' }, h('div', { class: 'fila' }, h('div', {}, field('Documento del menor', sdoc)), h('div', {}, field('Apellidos del menor', ssur)),
    h('div', {}, field('Nacimiento', sbirth)), h('div', {}, field('Vigente el', sday))),
    h('div', { class: 'acciones' }, h('button', { type: 'submit' }, 'Buscar')));
  sform.addEventListener('submit', (e) => { e.preventDefault(); search(); });
  main.append(h('h1', {}, 'Autorizaciones de salida de menores'),
    h('p', { class: 'sub' }, 'LEPINA, art. 44: autorización del padre o madre ausente por acta notarial, de la Procuraduría General de la República o resolución judicial; vigencia máxima de un año.'), msg);
  if (ctx.has('minors.write')) {
    const v = (id, attrs = {}) => h('input', { id, ...attrs });
    const f = {
      mg: v('me-nombres'), ms: v('me-apellidos'), mb: v('me-nacimiento', { type: 'date' }), md: v('me-pasaporte', { class: 'mono' }), bc: v('me-partida'),
      rel: h('select', { id: 'me-relacion' }, h('option', { value: 'father' }, 'Padre'), h('option', { value: 'mother' }, 'Madre'), h('option', { value: 'legal_guardian' }, 'Representante legal')),
      ag: v('me-aut-nombres'), as: v('me-aut-apellidos'),
      // both parents may sign the same instrument (the API takes one or two)
      rel2: h('select', { id: 'me-relacion2' }, h('option', { value: 'mother' }, 'Madre'), h('option', { value: 'father' }, 'Padre'), h('option', { value: 'legal_guardian' }, 'Representante legal')),
      ag2: v('me-aut2-nombres'), as2: v('me-aut2-apellidos'),
      inst: h('select', { id: 'me-instrumento' }, h('option', { value: 'notarial_act' }, 'Acta notarial'), h('option', { value: 'pgr' }, 'Procuraduría General de la República'), h('option', { value: 'court' }, 'Resolución judicial')),
      iref: v('me-referencia'), issued: v('me-otorgada', { type: 'date' }), to: v('me-hasta', { type: 'date' }),
      cg: v('me-ac-nombres'), cs: v('me-ac-apellidos'), cd: v('me-ac-doc', { class: 'mono' }), cr: v('me-ac-parentesco', { placeholder: 'p. ej. tía materna', maxlength: 60 }), alone: h('input', { id: 'me-solo', type: 'checkbox' }),
      dest: v('me-destino', { placeholder: 'USA, Houston' }), len: v('me-estadia', { placeholder: '30 días, temporal' }),
    };
    // valid one year at most (LEPINA Art. 44): the date picker stops
    // there, as the server would refuse it
    const yearOn = (d) => { const y = Number(d.slice(0, 4)) + 1; return `${y}${d.slice(4)}` === `${y}-02-29` ? `${y}-02-28` : `${y}${d.slice(4)}`; };
    const bound = () => {
      if (/^\d{4}-\d\d-\d\d$/.test(f.issued.value)) { f.to.min = f.issued.value; f.to.max = yearOn(f.issued.value); } else { f.to.removeAttribute('min'); f.to.removeAttribute('max'); }
    };
    f.issued.addEventListener('input', bound);
    f.issued.addEventListener('change', bound);
    const fmsg = h('div');
    const form = h('form', { class: 'panel', id: 'form-menor' }, h('h2', {}, 'Registrar autorización'),
      h('h3', {}, 'Menor'), h('div', { class: 'fila' }, h('div', {}, field('Nombres', f.mg)), h('div', {}, field('Apellidos', f.ms)), h('div', {}, field('Nacimiento', f.mb)), h('div', {}, field('Pasaporte', f.md))),
      field('Partida de nacimiento (referencia)', f.bc),
      h('h3', {}, 'Quien autoriza'), h('div', { class: 'fila' }, h('div', {}, field('Relación', f.rel)), h('div', {}, field('Nombres', f.ag)), h('div', {}, field('Apellidos', f.as))),
      h('div', { class: 'fila' }, h('div', {}, field('Segunda persona (opcional)', f.rel2)), h('div', {}, field('Nombres', f.ag2)), h('div', {}, field('Apellidos', f.as2))),
      h('div', { class: 'fila' }, h('div', {}, field('Instrumento', f.inst)), h('div', {}, field('Referencia (notario, resolución)', f.iref)), h('div', {}, field('Otorgada el', f.issued)), h('div', {}, field('Válida hasta', f.to))),
      h('h3', {}, 'Viaje'), h('div', { class: 'fila' }, h('div', {}, field('Acompañante: nombres', f.cg)), h('div', {}, field('Acompañante: apellidos', f.cs)), h('div', {}, field('Acompañante: documento', f.cd)), h('div', {}, field('Parentesco o vínculo', f.cr))),
      h('label', {}, f.alone, ' Viaja solo(a)'),
      h('div', { class: 'fila' }, h('div', {}, field('Destino (código del país y ciudad)', f.dest)), h('div', {}, field('Duración de la estadía', f.len))),
      fmsg, h('div', { class: 'acciones' }, h('button', { type: 'submit' }, 'Registrar')));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      fmsg.replaceChildren();
      for (const el of form.querySelectorAll('.invalido')) el.classList.remove('invalido');
      // what the registry requires, every blank said at once (the server
      // named the minor's names alone, an empty form a field at a time)
      const second = f.ag2.value.trim() || f.as2.value.trim();
      const gaps = missingFields([[f.mg, 'Nombres del menor'], [f.ms, 'Apellidos del menor'], [f.mb, 'Nacimiento del menor'], [f.bc, 'Partida de nacimiento'],
        [f.ag, 'Nombres de quien autoriza'], [f.as, 'Apellidos de quien autoriza'],
        ...(second ? [[f.ag2, 'Nombres de la segunda persona'], [f.as2, 'Apellidos de la segunda persona']] : []),
        [f.iref, 'Referencia del instrumento'], [f.issued, 'Otorgada el'], [f.to, 'Válida hasta'],
        ...(f.alone.checked ? [] : [[f.cg, 'Nombres del acompañante'], [f.cs, 'Apellidos del acompañante'], [f.cd, 'Documento del acompañante']]),
        [f.dest, 'Destino'], [f.len, 'Duración de la estadía']]);
      if (gaps) { fmsg.append(gaps); return; }
      const body = {
        minor: { given_names: f.mg.value.trim(), surnames: f.ms.value.trim(), birth_date: f.mb.value, document_number: docNumber(f.md.value) || undefined },
        birth_certificate_ref: f.bc.value.trim(), authorizing: [{ relation: f.rel.value, given_names: f.ag.value.trim(), surnames: f.as.value.trim() },
          ...(f.ag2.value.trim() || f.as2.value.trim() ? [{ relation: f.rel2.value, given_names: f.ag2.value.trim(), surnames: f.as2.value.trim() }] : [])],
        instrument: f.inst.value, instrument_reference: f.iref.value.trim(), issued_on: f.issued.value, valid_to: f.to.value,
        destination: f.dest.value.trim(), length_of_stay: f.len.value.trim(),
      };
      if (f.alone.checked) body.travels_alone = true;
      else body.companion = { given_names: f.cg.value.trim(), surnames: f.cs.value.trim(), document_number: docNumber(f.cd.value), ...(f.cr.value.trim() ? { relation: f.cr.value.trim() } : {}) };
      try {
        const a = await post('/api/v1/minor-authorizations', body);
        // one that has already run out is on record, but lets nobody leave
        fmsg.append(a.valid_to < localDay()
          ? notice('error', `Autorización n.º ${a.id} registrada, pero ya venció el ${fmtDay(a.valid_to)}: no ampara ninguna salida. Revise las fechas.`)
          : notice('ok', `Autorización n.º ${a.id} registrada, vigente del ${fmtDay(a.valid_from)} al ${fmtDay(a.valid_to)}.`));
        form.reset();
        // the next authorization is typed from the minor's names (the
        // cursor stayed in the field emptied, or on «Registrar»); the
        // notice and the result stay in view until the clerk types
        f.mg.focus({ preventScroll: true });
        // the one just registered, under «Consultar», as a search for
        // the minor would find it (the list kept the last search's answer)
        sdoc.value = a.minor_document_number || '';
        ssur.value = a.minor_document_number ? '' : a.minor_surnames;
        sbirth.value = a.minor_document_number ? '' : a.minor_birth_date;
        sday.value = '';
        asked++;
        out.replaceChildren(list([a], canRevoke));
      } catch (e) {
        fmsg.append(fieldError(e, { minor: [f.mg, 'Menor'], 'minor.given_names': [f.mg, 'Nombres del menor'], 'minor.surnames': [f.ms, 'Apellidos del menor'],
          'minor.birth_date': [f.mb, 'Nacimiento del menor'], 'minor.document_number': [f.md, 'Pasaporte del menor'], birth_certificate_ref: [f.bc, 'Partida de nacimiento'],
          authorizing: [f.ag, 'Quien autoriza'], 'authorizing[1]': [f.ag2, 'Segunda persona que autoriza'], instrument: [f.inst, 'Instrumento'], instrument_reference: [f.iref, 'Referencia'], issued_on: [f.issued, 'Otorgada el'],
          valid_from: [f.issued, 'Otorgada el'], valid_to: [f.to, 'Válida hasta'], companion: [f.cg, 'Acompañante'], 'companion.document_number': [f.cd, 'Documento del acompañante'], 'companion.relation': [f.cr, 'Parentesco o vínculo'],
          travels_alone: [f.alone, 'Viaja solo(a)'], destination: [f.dest, 'Destino'], length_of_stay: [f.len, 'Duración de la estadía'] }));
      }
    });
    main.append(form);
  }
  main.append(h('h2', {}, 'Consultar'), sform, out);
  // on opening, the latest ones registered: nothing showed until «Buscar»
  // was pressed, and nothing said that with the fields empty it lists them all
  const before = asked;
  get(`/api/v1/minor-authorizations${qs({ limit: 10 })}`).then((r) => {
    if (asked !== before) return;
    out.replaceChildren(...r.items.length
      ? [h('p', { class: 'sub', id: 'me-ultimas' }, 'Las últimas registradas. Para otra, búsquela por el documento o los apellidos del menor.'), list(r.items, canRevoke)]
      : [h('p', { class: 'sub', id: 'me-ultimas' }, 'Aún no hay autorizaciones registradas.')]);
  }, (e) => { if (asked === before) msg.append(notice('error', e.message)); });
  // the page is opened to register one, or to look one up: the cursor
  // waits in the first field of that (it was nowhere, the whole menu to
  // Tab through)
  const at = document.activeElement;
  if (!at || at === document.body || at === main) (main.querySelector('#me-nombres') || sdoc).focus();
}
