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
  // the API's names for these fields (under «subject», or as the form
  // calls it), for dom.js fieldError
  const LABEL = { given_names: 'Nombres', surnames: 'Apellidos', birth_date: 'Nacimiento', sex: 'Sexo', nationality: 'Nacionalidad', document_number: 'Pasaporte / documento', dui: 'DUI' };
  const errorFields = (under = 'subject') => ({
    // no identity at all: said on the first field
    [under]: [f.given_names, 'Persona'],
    ...Object.fromEntries(Object.entries(LABEL).map(([k, t]) => [`${under}.${k}`, [f[k], t]])),
  });
  return { el, read, fields: f, errorFields };
}
