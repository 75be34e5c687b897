// certificados.js — certificates of migratory movements and of restrictions
// (Secretaría General): choose the person (search, or from a person's page:
// #/certificados?persona=ID), say who asks and why, issue; the list with the
// PDF, the public verification link and revocation.
import { h, notice, field, table, fmtDate, fmtDay, docNumber, fieldError, sendOnce, latestRead } from '../dom.js';
import { get, post, qs } from '../api.js';

const KIND = { movements: 'Movimientos migratorios', restrictions: 'Restricciones migratorias' };
const REQ = { person: 'La persona interesada', court: 'Juzgado o tribunal', public_ministry: 'Ministerio Público (FGR)' };
const name = (p) => `${p.given_names || ''} ${p.surnames || ''}`.trim();

export async function render(main, ctx) {
  const canWrite = ctx.has('certificates.write');
  const msg = h('div');
  const list = h('div', { id: 'ce-lista' });
  // the latest read wins: a search made while the page's first list (every
  // certificate, the longest) was on its way got that list drawn over its
  // own when it came last (the revoked ones asked for, the valid ones shown)
  const read = latestRead(list);
  // What a revocation did is said above the list as soon as it is
  // recorded, and stays until the officer revokes again or asks for
  // another list: put in the list once the list read after it came, it was
  // said late on a slow link, and a read landing after it (an issuance's,
  // made meanwhile) drew the list again without it.  An issuance says its
  // own outcome in its form.
  // It is where the keyboard goes once a revocation is recorded: the
  // button pressed is gone with its row's form, and the cursor fell to the
  // page's body (Tab started again from the menu).  Not the row: the list
  // read after it draws the row anew, and the cursor would fall again.
  // The notice stays through that redraw, says what was done, and Tab
  // from it goes on into the list, from its top.
  const said = h('div', { id: 'ce-aviso', tabindex: '-1' });
  const flt = { date: h('input', { id: 'ce-fecha', type: 'date' }), kind: h('select', { id: 'ce-tipo' }, h('option', { value: '' }, 'Todos'), Object.entries(KIND).map(([k, t]) => h('option', { value: k }, t))),
    status: h('select', { id: 'ce-estado' }, h('option', { value: '' }, 'Todas'), h('option', { value: 'valid' }, 'Vigentes'), h('option', { value: 'revoked' }, 'Revocadas')) };
  let chosen = null;

  // what the status column says of a certificate
  const state = (c) => [h('span', { class: `etiqueta ${c.status === 'valid' ? 'ok' : 'mal'}` }, c.status === 'valid' ? 'Vigente' : 'Revocada'), c.revoke_reason ? h('div', { class: 'sub' }, c.revoke_reason) : null];
  // Revoked once: a double click sent a second revocation, refused as
  // already done, and its «ya revocada» said in the row.  Once recorded
  // the row says so at once (the list read after it may be superseded by
  // a later read, and the button came back meanwhile); on an error the
  // button comes back for another try.  Its field's placeholder is short:
  // in the list's last column «Motivo de la revocación» read «Motivo de la
  // revoc» even at 1366 px; its full name is said to a screen reader, as
  // its errors say it.
  function revokeRow(c, stateCell) {
    const reason = h('input', { id: `ce-motivo-${c.code}`, placeholder: 'Motivo', 'aria-label': 'Motivo de la revocación' });
    const m = h('div');
    const btn = h('button', { type: 'button', class: 'peligro', id: `ce-revocar-${c.code}` }, 'Revocar');
    const box = h('div', { class: 'fila' }, h('div', {}, reason), h('div', {}, btn, m));
    btn.addEventListener('click', sendOnce([btn], async () => {
      m.replaceChildren();
      said.replaceChildren();
      const why = reason.value.trim();
      try { await post(`/api/v1/certificates/${c.code}/revoke`, { reason: why }); } catch (e) { m.append(fieldError(e, { reason: [reason, 'Motivo de la revocación'] })); return; }
      said.replaceChildren(notice('ok', `Certificación ${c.code} revocada.`));
      said.focus();
      stateCell.replaceChildren(...state({ ...c, status: 'revoked', revoke_reason: why }));
      box.remove();
      await load();
    }));
    return box;
  }
  async function load(personId) {
    msg.replaceChildren();
    const q = { date: flt.date.value, kind: flt.kind.value, status: flt.status.value, person_id: personId, limit: 200 };
    await read(() => get(`/api/v1/certificates${qs(q)}`), (r) => list.replaceChildren(table(['Código', 'Emitida', 'Titular', 'Tipo', 'Solicitante', 'Firma', 'Estado', ''], r.items.map((c) => {
      const st = h('td', {}, state(c));
      return h('tr', {},
        h('td', { class: 'codigo' }, c.code), h('td', {}, fmtDate(c.issued_at)), h('td', {}, c.holder_name), h('td', {}, KIND[c.kind] || c.kind),
        h('td', {}, REQ[c.requester_kind] || c.requester_kind, c.requester_name ? h('br') : null, c.requester_name || '', c.requester_reference ? ` · ${c.requester_reference}` : ''),
        h('td', {}, c.signer_name),
        st,
        h('td', {}, h('div', { class: 'acciones' },
          h('a', { class: 'boton sec', href: c.pdf, target: '_blank', rel: 'noopener' }, 'PDF'),
          h('a', { class: 'boton sec', href: `/verificar/${c.code}`, target: '_blank', rel: 'noopener' }, 'Verificación')),
          canWrite && c.status === 'valid' ? revokeRow(c, st) : null));
    }))), (e) => msg.append(notice('error', e.message)));
  }

  main.append(h('h1', {}, 'Certificaciones'), h('p', { class: 'sub' }, 'Certificaciones de movimientos migratorios y de restricciones para la persona, los juzgados y el Ministerio Público. Cada emisión, descarga y revocación queda en la auditoría; el código QR lleva a una página pública que solo confirma existencia, fecha, titular y vigencia.'), msg);

  if (canWrite) {
    const who = h('div', { id: 'ce-persona' }, notice('info', 'Busque y elija a la persona.'));
    const pdoc = h('input', { id: 'ce-doc', class: 'mono', placeholder: 'Número de documento' });
    const psur = h('input', { id: 'ce-apellidos', placeholder: 'Apellidos (basta el primero)' });
    const found = h('div');
    const f = { kind: h('select', { id: 'ce-clase' }, Object.entries(KIND).map(([k, t]) => h('option', { value: k }, t))),
      rkind: h('select', { id: 'ce-solicitante' }, Object.entries(REQ).map(([k, t]) => h('option', { value: k }, t))),
      rname: h('input', { id: 'ce-sol-nombre', placeholder: 'Juzgado o fiscalía' }), rref: h('input', { id: 'ce-sol-ref', placeholder: 'Oficio o n.º de solicitud' }),
      purpose: h('input', { id: 'ce-finalidad' }), from: h('input', { id: 'ce-desde', type: 'date' }), to: h('input', { id: 'ce-hasta', type: 'date' }) };
    const result = h('div', { id: 'ce-resultado' });
    // the latest search wins: a double click (or Intro, then the button)
    // drew the people found twice, each answer appended under the other;
    // a search corrected while the first is on its way shows its own
    const search = latestRead(found);
    const choose = (p) => {
      chosen = p;
      search.drop();
      who.replaceChildren(h('p', {}, h('b', {}, 'Persona: '), name(p), ` · nacimiento ${p.birth_date ? fmtDay(p.birth_date) : '—'} · ${p.nationality || ''} · persona n.º ${p.id}`));
      found.replaceChildren();
    };
    const sform = h('form', { id: 'ce-buscar' }, h('div', { class: 'fila' }, h('div', {}, field('Documento', pdoc)), h('div', {}, field('Apellidos', psur))),
      h('div', { class: 'acciones' }, h('button', { type: 'submit', class: 'sec' }, 'Buscar persona')));
    sform.addEventListener('submit', (ev) => {
      ev.preventDefault();
      found.replaceChildren();
      search(() => get(`/api/v1/persons${qs({ document_number: docNumber(pdoc.value), surnames: psur.value.trim() })}`),
        (r) => found.replaceChildren(table(['Persona', 'Nacimiento', 'Nacionalidad', ''], r.items.map((p) => h('tr', {}, h('td', {}, name(p)), h('td', {}, fmtDay(p.birth_date)), h('td', {}, p.nationality || ''),
          h('td', {}, h('button', { type: 'button', class: 'sec', onclick: () => choose(p) }, 'Elegir')))))),
        (e) => found.replaceChildren(notice('error', e.message)));
    });
    let reviewed = [], reviewedFor = null;
    const issueBtn = h('button', { type: 'submit' }, 'Emitir certificación');
    const issue = h('form', { id: 'ce-emitir' },
      // two pairs, side by side where both fit (1366 px), one over the
      // other where they do not (1024 px): four fields of a row's 160 px
      // cut the choices there («Movimientos migr», «La persona interes»)
      // and the reference's hint («Oficio o n.º de solicit»)
      h('div', { class: 'fila ce-solicitud' },
        h('div', { class: 'fila' }, h('div', {}, field('Certificación de', f.kind)), h('div', {}, field('Solicitada por', f.rkind))),
        h('div', { class: 'fila' }, h('div', {}, field('Nombre del solicitante', f.rname)), h('div', {}, field('Referencia', f.rref)))),
      h('div', { class: 'fila' }, h('div', {}, field('Finalidad', f.purpose)), h('div', {}, field('Movimientos desde (opcional)', f.from)), h('div', {}, field('hasta', f.to))),
      h('div', { class: 'acciones' }, issueBtn), result);
    // issued once: a double click made two certificates, two codes for one
    // request (each a legal document)
    issue.addEventListener('submit', (ev) => { ev.preventDefault(); emit(); });
    const emit = sendOnce([issueBtn], async () => {
      result.replaceChildren();
      if (!chosen) { result.append(notice('error', 'Elija primero a la persona.')); return; }
      const body = { kind: f.kind.value, person_id: chosen.id };
      const rq = { kind: f.rkind.value };
      if (f.rname.value.trim()) rq.name = f.rname.value.trim();
      if (f.rref.value.trim()) rq.reference = f.rref.value.trim();
      body.requester = rq;
      if (f.purpose.value.trim()) body.purpose = f.purpose.value.trim();
      if (body.kind === 'movements' && f.from.value) body.from = f.from.value;
      if (body.kind === 'movements' && f.to.value) body.to = f.to.value;
      // restrictions the booth's screening finds near this person: the clerk
      // opens each, and only then says they are not hers
      if (body.kind === 'restrictions' && reviewedFor === chosen.id && reviewed.length) body.reviewed_matches = reviewed;
      try {
        const c = await post('/api/v1/certificates', body);
        result.append(h('div', { class: 'aviso ok', role: 'status' }, 'Certificación emitida. Código ', h('span', { class: 'codigo', id: 'ce-codigo' }, c.code), '. ',
          h('a', { href: c.pdf, target: '_blank', rel: 'noopener', id: 'ce-pdf' }, 'Abrir el PDF'), ' · verificación pública: ', h('span', { class: 'mono' }, c.verify_url)));
        reviewed = [];
        await load();
      } catch (e) {
        if (e.code === 'possible_match') {
          const ids = e.body.error.matches || [];
          const ok = h('input', { type: 'checkbox', id: 'ce-revisadas' });
          ok.addEventListener('change', () => { reviewed = ok.checked ? ids : []; reviewedFor = chosen.id; });
          result.append(h('div', { class: 'aviso error', role: 'alert', id: 'ce-parecidas' },
            'El cotejo encuentra restricciones parecidas a esta persona: ', ids.map((id, i) => [i ? ', ' : '', h('b', {}, `restricción n.º ${id}`)]),
            '. Revíselas antes de certificar.', h('label', {}, ok, ' Las revisé: no corresponden a esta persona. Emitir de nuevo la certificación.')));
        } else {
          result.append(fieldError(e, { kind: [f.kind, 'Certificación de'], 'requester.kind': [f.rkind, 'Solicitada por'], 'requester.name': [f.rname, 'Nombre del solicitante'],
            'requester.reference': [f.rref, 'Referencia'], purpose: [f.purpose, 'Finalidad'], from: [f.from, 'Movimientos desde'], to: [f.to, 'Movimientos hasta'] }));
        }
      }
    });
    main.append(h('div', { class: 'panel' }, h('h2', {}, 'Emitir certificación'), who, sform, found, issue));
    const pid = new URLSearchParams(location.hash.split('?')[1] || '').get('persona');
    if (pid) {
      try { const p = await get(`/api/v1/persons/${encodeURIComponent(pid)}`); choose(p); } catch (e) { msg.append(notice('error', e.message)); }
    }
  }
  const lform = h('form', { class: 'panel' }, h('div', { class: 'fila' }, h('div', {}, field('Emitidas el día', flt.date)), h('div', {}, field('Tipo', flt.kind)), h('div', {}, field('Estado', flt.status))),
    h('div', { class: 'acciones' }, h('button', { type: 'submit' }, 'Buscar')));
  lform.addEventListener('submit', (e) => { e.preventDefault(); said.replaceChildren(); load(); });
  main.append(h('h2', {}, 'Emitidas'), lform, said, list);
  await load();
}
