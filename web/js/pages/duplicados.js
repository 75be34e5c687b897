// duplicados.js — possible duplicates of persons, both records side by side;
// a supervisor decides: the same person (linked) or two persons (closed),
// and can undo a «same person» decided by mistake (the case is open again).
import { h, notice, field, table, fmtDate, fmtDay, fieldError, sendOnce, latestRead, keepTyped } from '../dom.js';
import { get, post, qs } from '../api.js';
import { docKind, docShown, NO_DOCUMENTS } from '../labels.js';

const REASON = {
  same_birth_date_and_surnames: 'Misma fecha de nacimiento, nacionalidad y apellidos; otros nombres',
  similar_names_and_birth_date: 'Nombres y fecha de nacimiento parecidos (un apellido omitido o en otro orden, transliteración, fecha parcial u otra nacionalidad)',
  previous_document_holder_differs: 'El documento anterior que cita pertenece a otro registro con otros datos',
  document_holder_differs: 'Presentó un documento registrado a nombre del otro, con otros apellidos o fecha de nacimiento',
  same_passport_d_and_deu: 'El mismo pasaporte alemán, registrado con el Estado «D» (su MRZ) y con DEU',
};
const STATUS = { open: 'Por revisar', same: 'Misma persona', distinct: 'Personas distintas' };

// one record as the reviewer compares it
const person = (p) => h('div', { class: 'dup-persona' },
  h('h3', {}, h('a', { href: `#/personas?id=${p.id}` }, `${p.given_names || ''} ${p.surnames || ''}`.trim() || `Persona n.º ${p.id}`)),
  h('p', { class: 'sub' }, `Nacimiento ${fmtDay(p.birth_date) || '—'} · ${p.sex || '—'} · ${p.nationality || '—'} · persona n.º ${p.id}`),
  // a record made without any document says so, not «Sin resultados»
  !p.documents.length ? h('p', { class: 'sin-dato' }, NO_DOCUMENTS) :
  table(['Documento', 'Emisor', 'Vence', 'Visto por primera vez'], p.documents.map((d) => h('tr', {},
    h('td', { class: 'mono' }, `${docKind(d.kind)} ${docShown(d.number, d.issuing_state)}`), h('td', {}, d.issuing_state), h('td', {}, fmtDay(d.expiry_date) || '—'), h('td', {}, fmtDate(d.first_seen_at))))));

export async function render(main, ctx) {
  const status = h('select', { id: 'dup-estado' }, Object.entries(STATUS).map(([v, t]) => h('option', { value: v }, t)));
  // the latest read wins; what is being typed in one case's justification
  // stays when the list is read again after a decision on another (it was
  // wiped, with the cursor)
  const out = h('div', { id: 'dup-lista' });
  const read = latestRead(out);
  const msg = h('div');
  const canDecide = ctx.has('inspections.resolve');
  // a «misma persona» decided by mistake (twins, namesakes born the same
  // day) is undone with its reason: the records part, the case is reviewed again
  function undo(x) {
    const note = h('input', { class: 'dup-motivo', placeholder: 'Por qué no son la misma persona (gemelos, homónimos…)', dataset: { key: `u${x.id}` } });
    const said = h('div');
    const go = h('button', { type: 'button', class: 'sec dup-deshacer' }, 'Deshacer vínculo');
    go.addEventListener('click', sendOnce([go], async () => {
      said.replaceChildren();
      try {
        const r = await post(`/api/v1/person-duplicates/${x.id}/unlink`, { note: note.value.trim() || undefined });
        await load();
        msg.replaceChildren(notice('ok', `Vínculo deshecho: los registros n.º ${x.persons[0].id} y n.º ${x.persons[1].id} vuelven a ser independientes y el caso queda por revisar.`
          + (r.still_linked ? ' Atención: siguen unidos a través de otro vínculo; deshágalo también si corresponde.' : '')));
      } catch (e) { said.append(fieldError(e, { note: [note, 'Motivo'] })); }
    }));
    return h('div', { class: 'dup-decision dup-deshacer-vinculo' }, field('Motivo', note), h('div', { class: 'acciones' }, go), said);
  }
  function decide(x) {
    if (canDecide && x.status === 'same') return undo(x);
    if (!canDecide || x.status !== 'open') return null;
    const note = h('input', { class: 'dup-nota', placeholder: 'En qué se basa (fotografía, firma, documento anterior…)', dataset: { key: x.id } });
    const said = h('div');
    const same = h('button', { type: 'button', class: 'dup-misma' }, 'Es la misma persona');
    const distinct = h('button', { type: 'button', class: 'sec dup-distintas' }, 'Son personas distintas');
    const send = (decision) => sendOnce([same, distinct], async () => {
      said.replaceChildren();
      try {
        await post(`/api/v1/person-duplicates/${x.id}/review`, { decision, note: note.value.trim() || undefined });
        await load();
        msg.replaceChildren(notice('ok', decision === 'same'
          ? `Registros n.º ${x.persons[0].id} y n.º ${x.persons[1].id} vinculados: la misma persona.`
          : `Registros n.º ${x.persons[0].id} y n.º ${x.persons[1].id}: personas distintas.`));
      } catch (e) { said.append(fieldError(e, { note: [note, 'Justificación'] })); }
    });
    same.addEventListener('click', send('same'));
    distinct.addEventListener('click', send('distinct'));
    return h('div', { class: 'dup-decision' }, field('Justificación', note), h('div', { class: 'acciones' }, same, distinct), said);
  }
  async function load() {
    await read(() => get(`/api/v1/person-duplicates${qs({ status: status.value })}`), (r) => {
      // the record known first on the left
      for (const x of r.items) x.persons.sort((a, b) => a.id - b.id);
      keepTyped(out, () => out.replaceChildren(...(r.items.length ? r.items.map((x) => h('div', { class: 'panel dup', dataset: { id: x.id } },
        h('p', {}, h('b', {}, `Posible duplicado n.º ${x.id}: `), REASON[x.reason] || x.reason, ` · detectado el ${fmtDate(x.created_at)}`),
        x.status !== 'open' ? h('p', { class: 'sub' }, `${STATUS[x.status]} — ${x.reviewed_by}, ${fmtDate(x.reviewed_at)}${x.review_note ? `: ${x.review_note}` : ''}`) : null,
        h('div', { class: 'dup-par' }, x.persons.map(person)), decide(x)))
        : [h('p', { class: 'sin-dato' }, status.value === 'open' ? 'No hay posibles duplicados por revisar.' : 'Ninguno.')])));
    }, (e) => msg.replaceChildren(notice('error', e.message)));
  }
  status.addEventListener('change', () => { msg.replaceChildren(); load(); });
  main.append(h('h1', {}, 'Posibles duplicados'),
    h('p', { class: 'sub' }, 'Registros de personas que podrían ser la misma. SIGM nunca los une por sí solo: un supervisor decide, y cada decisión queda en la auditoría.'),
    h('div', { class: 'panel' }, field('Estado', status)), msg, out);
  await load();
}
