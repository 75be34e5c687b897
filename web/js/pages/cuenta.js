// cuenta.js — the user's own password.
import { h, notice, field } from '../dom.js';
import { post } from '../api.js';

export function render(main, ctx) {
  const cur = h('input', { id: 'clave-actual', type: 'password', autocomplete: 'current-password' });
  const nw = h('input', { id: 'clave-nueva', type: 'password', autocomplete: 'new-password' });
  const again = h('input', { id: 'clave-repetir', type: 'password', autocomplete: 'new-password' });
  const msg = h('div');
  const form = h('form', { class: 'panel' },
    h('h2', {}, 'Cambiar contraseña'),
    field('Contraseña actual', cur), field('Nueva contraseña (mínimo 10 caracteres)', nw), field('Repita la nueva contraseña', again),
    msg, h('div', { class: 'acciones' }, h('button', { type: 'submit' }, 'Cambiar contraseña')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    msg.replaceChildren();
    if (nw.value !== again.value) { msg.append(notice('error', 'Las contraseñas nuevas no coinciden.')); return; }
    try {
      await post('/api/v1/session/password', { current_password: cur.value, new_password: nw.value });
      form.reset();
      msg.append(notice('ok', 'Contraseña cambiada.'));
    } catch (e) { msg.append(notice('error', e.message)); }
  });
  const u = ctx.user;
  main.append(h('h1', {}, 'Mi cuenta'),
    h('div', { class: 'panel' },
      h('p', {}, h('b', {}, 'Usuario: '), u.username), h('p', {}, h('b', {}, 'Nombre: '), u.display_name),
      h('p', {}, h('b', {}, 'Unidad: '), u.unit.name || u.unit.code), h('p', {}, h('b', {}, 'Roles: '), u.roles.map((r) => r.name).join(', '))),
    form);
}
