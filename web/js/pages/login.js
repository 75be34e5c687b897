// login.js — sign-in form.
import { h, notice, field } from '../dom.js';
import { post } from '../api.js';

export function render(root, { message, onSignedIn }) {
  const user = h('input', { name: 'username', autocomplete: 'username', required: true, autofocus: true, id: 'usuario' });
  const pass = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true, id: 'clave' });
  const msg = h('div', {}, message ? notice('info', message) : null);
  const btn = h('button', { type: 'submit' }, 'Ingresar');
  const form = h('form', { class: 'login', novalidate: true },
    h('div', { class: 'marca' },
      h('img', { src: '/img/emblema.svg', alt: '' }),
      h('div', {}, h('strong', {}, 'Dirección General de Migración y Extranjería'), h('span', {}, 'República de El Salvador'))),
    h('h1', {}, 'SIGM — Sistema Integrado de Gestión Migratoria'),
    msg,
    field('Usuario', user),
    field('Contraseña', pass),
    h('div', { class: 'acciones' }, btn),
    h('p', { class: 'pie-login' }, 'Uso exclusivo del personal autorizado. Toda consulta y modificación queda registrada.'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    msg.replaceChildren();
    if (!user.value.trim() || !pass.value) {
      msg.append(notice('error', 'Ingrese usuario y contraseña.'));
      return;
    }
    btn.disabled = true;
    try {
      const s = await post('/api/v1/session', { username: user.value.trim(), password: pass.value });
      onSignedIn(s);
    } catch (e) {
      let text = e.message;
      if (e.status === 429 && e.retryAfter) text += ` (${Math.ceil(e.retryAfter / 60)} min)`;
      msg.append(notice('error', text));
      pass.value = '';
      pass.focus();
    } finally { btn.disabled = false; }
  });
  root.append(h('div', { class: 'login-wrap' }, form));
}
