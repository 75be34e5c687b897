// subject.js — the identity fields of a restriction or alert subject.
import { h, field, docNumber } from '../dom.js';

export function subjectFields(prefix) {
  const f = {
    given_names: h('input', { id: `${prefix}-nombres` }),
    surnames: h('input', { id: `${prefix}-apellidos` }),
    birth_date: h('input', { id: `${prefix}-nacimiento`, placeholder: 'AAAA-MM-DD, AAAA-MM o AAAA' }),
    sex: h('select', { id: `${prefix}-sexo` }, h('option', { value: '' }, '—'), h('option', { value: 'F' }, 'F'), h('option', { value: 'M' }, 'M'), h('option', { value: 'X' }, 'X')),
    nationality: h('input', { id: `${prefix}-nacionalidad`, class: 'mono', maxlength: 3, placeholder: 'SLV' }),
    document_number: h('input', { id: `${prefix}-documento`, class: 'mono' }),
    dui: h('input', { id: `${prefix}-dui`, class: 'mono', placeholder: '00000000-0' }),
  };
  const el = h('div', {},
    h('div', { class: 'fila' }, h('div', {}, field('Nombres', f.given_names)), h('div', {}, field('Apellidos', f.surnames)), h('div', {}, field('Nacimiento', f.birth_date))),
    h('div', { class: 'fila' }, h('div', {}, field('Sexo', f.sex)), h('div', {}, field('Nacionalidad', f.nationality)), h('div', {}, field('Pasaporte / documento', f.document_number)), h('div', {}, field('DUI', f.dui))));
  const read = () => {
    const o = {};
    for (const [k, c] of Object.entries(f)) {
      let v = c.value.trim();
      if (k === 'nationality') v = v.toUpperCase();
      if (k === 'document_number') v = docNumber(v);
      if (v) o[k] = v;
    }
    return o;
  };
  return { el, read, fields: f };
}
