// cotejo.js — screen one person against the watch lists (alerts, court
// restrictions, lost/stolen documents) with the index the booth uses, and
// read why each candidate scored what it did.
import { h, field, table, count, fieldError } from '../dom.js';
import { post } from '../api.js';
import { KIND, SUB, HOW, BIRTH, recordLabel } from '../labels.js';

const PAGE = { restriction: 'restricciones', alert: 'alertas', lost_stolen: 'extraviados' };

export async function render(main) {
  const f = {
    given_names: h('input', { id: 'co-nombres', autocomplete: 'off' }),
    surnames: h('input', { id: 'co-apellidos', autocomplete: 'off' }),
    birth_date: h('input', { id: 'co-nacimiento', placeholder: 'AAAA-MM-DD, AAAA-MM o AAAA' }),
    sex: h('select', { id: 'co-sexo' }, h('option', { value: '' }, '—'), h('option', { value: 'F' }, 'F'), h('option', { value: 'M' }, 'M')),
    nationality: h('input', { id: 'co-nacionalidad', class: 'mono', maxlength: 3, placeholder: 'SLV' }),
    document_number: h('input', { id: 'co-documento', class: 'mono' }),
  };
  const out = h('div', { id: 'co-resultado' });
  const msg = h('div');

  function hitRow(m) {
    const [kind, id] = m.entry_id.split(':');
    const tokens = m.tokens.map((t) => `${t.query} ↔ ${t.entry} (${HOW[t.how] || t.how}, +${t.points})`).join(' · ');
    const parts = [`nombres +${m.parts.names}`, m.parts.birth_date ? `nacimiento +${m.parts.birth_date}${m.birth_date_match ? ` (${BIRTH[m.birth_date_match] || m.birth_date_match})` : ''}` : null,
      m.parts.sex ? `sexo +${m.parts.sex}` : null, m.parts.nationality ? `nacionalidad +${m.parts.nationality}` : null,
      m.document_match ? `documento idéntico +${m.parts.document}` : null].filter(Boolean).join(' · ');
    return h('tr', {},
      h('td', {}, h('span', { class: `etiqueta ${m.score >= 90 ? 'mal' : 'alerta'}` }, String(m.score))),
      h('td', {}, KIND[kind] || kind, h('br'), h('small', { class: 'sub' }, SUB[m.category.split('/')[1]] || m.category.split('/')[1] || '')),
      // the record as an officer names it («Alerta n.º 1», not «alert:1»),
      // opened on its page
      h('td', {}, PAGE[kind] ? h('a', { href: `#/${PAGE[kind]}?id=${id}` }, recordLabel(m.entry_id)) : recordLabel(m.entry_id)),
      h('td', {}, h('div', {}, tokens || '—'), h('small', { class: 'sub' }, parts),
        m.unmatched_query.length ? h('small', { class: 'sub' }, h('br'), `Sin par en la consulta: ${m.unmatched_query.join(', ')}`) : null,
        m.order_swapped ? h('small', { class: 'sub' }, h('br'), 'Nombres y apellidos invertidos') : null));
  }

  const form = h('form', { class: 'panel', id: 'co-form' },
    h('div', { class: 'fila' }, h('div', {}, field('Nombres', f.given_names)), h('div', {}, field('Apellidos', f.surnames))),
    h('div', { class: 'fila' }, h('div', {}, field('Nacimiento', f.birth_date)), h('div', {}, field('Sexo', f.sex)), h('div', {}, field('Nacionalidad', f.nationality)), h('div', {}, field('Documento', f.document_number))),
    h('div', { class: 'acciones' }, h('button', { type: 'submit', id: 'co-buscar' }, 'Cotejar')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    msg.replaceChildren();
    const body = {};
    for (const [k, el] of Object.entries(f)) {
      const v = el.value.trim();
      if (v) body[k] = k === 'nationality' || k === 'document_number' ? v.toUpperCase() : v;
    }
    try {
      const r = await post('/api/v1/screen', body);
      out.replaceChildren(
        h('p', { class: 'sub' }, r.matches.length
          ? `${count(r.matches.length, 'coincidencia', 'coincidencias')} con puntaje ${r.threshold} o más, de ${count(r.candidates, 'candidato examinado', 'candidatos examinados')}.`
          : `Sin coincidencias con puntaje ${r.threshold} o más (${count(r.candidates, 'candidato examinado', 'candidatos examinados')}).`),
        r.matches.length ? table(['Puntaje', 'Registro', 'Referencia', 'Por qué'], r.matches.map(hitRow)) : null);
    } catch (e) {
      // said on the field, in Spanish (it read «… (given_names)»)
      msg.append(fieldError(e, { given_names: [f.given_names, 'Nombres'], surnames: [f.surnames, 'Apellidos'], birth_date: [f.birth_date, 'Nacimiento'],
        sex: [f.sex, 'Sexo'], nationality: [f.nationality, 'Nacionalidad'], document_number: [f.document_number, 'Documento'] }));
    }
  });
  main.append(h('h1', {}, 'Cotejo con las listas'),
    h('p', { class: 'sub' }, 'Busca a una persona en alertas, restricciones judiciales y documentos reportados, con las variantes de nombre que la cabina reconoce (acentos, partículas, un solo apellido, hipocorísticos, transliteraciones). Cada consulta queda registrada en la auditoría.'),
    form, msg, out);
  f.given_names.focus();
}
