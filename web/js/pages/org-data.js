// org-data.js — the organization, fetched once per page view.
import { get } from '../api.js';

export const KINDS = {
  maxima_autoridad: 'Máxima autoridad',
  direccion_operativa: 'Direcciones operativas',
  staff_administrativo_juridico: 'Staff administrativo y jurídico',
  staff_tecnico: 'Staff técnico',
};

export function units() { return get('/api/v1/org/units'); }
