/**
 * The derogations of a run (R10), and the forms of those who decide them: a consultant or the
 * customer asks one for a SECNUMCLOUD zone that waits only for the provider's qualification;
 * the customer's homologation authority grants it (justification, compensating measures,
 * expiry), refuses, renews it once or revokes it; ops decide what follows a lapse. The API and
 * the workflow check every decision again; this only shows the forms to those who may use them.
 */
import type { Derogation, MigrationOverview } from '../../domain';
import { DEROGATION_AUTHORITY } from '../../domain/derogations';
import { capitalize, derogationStateLabel } from '../../domain/messages';
import { isFinalStatus } from '../../domain/run';
import type { DerogationDecisionBody } from '../../client/api-client';
import { type Child, h, idFragment } from '../dom';
import { formatDateTime, language, type Language } from '../i18n';
import { hasRole, type Session } from '../session';

/** What the derogation forms do; the view carries them out. */
export interface DerogationActions {
  requestDerogation(zoneId: string, reason: string, feedback: HTMLElement): void;
  decideDerogation(zoneId: string, decision: DerogationDecisionBody, feedback: HTMLElement): void;
}

const FRENCH = {
    title: 'Dérogations (R10)',
    intro:
      'Une zone SecNumCloud qui n’attend que la qualification du fournisseur peut être provisionnée sous dérogation de l’autorité d’homologation, pour 18 mois au plus, renouvelable une fois pour 12 mois.',
    none: 'Aucune dérogation.',
    zone: 'Zone',
    workloads: 'Charges',
    requestedBy: (who: string, at: string) => `Demandée par ${who} le ${at}`,
    reason: 'Motif',
    justification: 'Justification',
    measures: 'Mesures compensatoires',
    measuresHint: 'Une mesure par ligne',
    expiresAt: 'Échéance',
    grantedBy: (who: string, at: string) => `Accordée par ${who} le ${at}`,
    renewals: (count: number): string => (count === 0 ? 'Jamais renouvelée' : 'Renouvelée une fois'),
    acknowledged: (who: string) => `Fin prise en compte par ${who}`,
    requestTitle: 'Demander une dérogation',
    requestZone: 'Zone concernée',
    request: 'Demander',
    grant: 'Accorder',
    refuse: 'Refuser',
    renew: 'Renouveler',
    revoke: 'Révoquer',
    acknowledge: 'Prendre acte (la zone attend la qualification)',
    comment: 'Commentaire (obligatoire)',
    missing: 'Remplissez chaque champ obligatoire.',
    authorityOnly: 'Seule l’autorité d’homologation du client décide des dérogations.',
};

type DerogationTexts = typeof FRENCH & { renewals: (count: number) => string };

const TEXTS: Record<Language, DerogationTexts> = {
  fr: FRENCH,
  en: {
    title: 'Derogations (R10)',
    intro:
      'A SecNumCloud zone that waits only for the provider’s qualification may be provisioned under a derogation of the homologation authority, for at most 18 months, renewable once for 12 months.',
    none: 'No derogation.',
    zone: 'Zone',
    workloads: 'Workloads',
    requestedBy: (who: string, at: string) => `Requested by ${who} on ${at}`,
    reason: 'Reason',
    justification: 'Justification',
    measures: 'Compensating measures',
    measuresHint: 'One measure per line',
    expiresAt: 'Expiry',
    grantedBy: (who: string, at: string) => `Granted by ${who} on ${at}`,
    renewals: (count: number) => (count === 0 ? 'Never renewed' : 'Renewed once'),
    acknowledged: (who: string) => `End acknowledged by ${who}`,
    requestTitle: 'Request a derogation',
    requestZone: 'Zone',
    request: 'Request',
    grant: 'Grant',
    refuse: 'Refuse',
    renew: 'Renew',
    revoke: 'Revoke',
    acknowledge: 'Acknowledge (the zone waits for the qualification)',
    comment: 'Comment (required)',
    missing: 'Fill in every required field.',
    authorityOnly: 'Only the customer’s homologation authority decides derogations.',
  },
};

function texts(): DerogationTexts {
  return TEXTS[language()];
}

function isAuthority(status: MigrationOverview, session: Session): boolean {
  return hasRole(session, 'customer') && session.claims.customerId === status.customerId && session.claims.approverRoles.includes(DEROGATION_AUTHORITY);
}

/**
 * Zones that could take a derogation now: SECNUMCLOUD without hds, waiting at the gate (per zone
 * when the run shows its zones, otherwise while the whole run waits there), with no derogation
 * other than a refused one.
 */
function requestableZones(status: MigrationOverview): string[] {
  const taken = new Set((status.derogations ?? []).filter((derogation) => derogation.state !== 'REFUSED').map((derogation) => derogation.zoneId));
  const zones = status.gate?.zones;
  const waiting = (zoneId: string) =>
    zones === undefined ? status.phase === 'AWAITING_QUALIFICATION' : zones.some((zone) => zone.zoneId === zoneId && zone.state === 'WAITING');
  return status.landingZones.filter((zone) => zone.level === 'SECNUMCLOUD' && !zone.hds && !taken.has(zone.id) && waiting(zone.id)).map((zone) => zone.id);
}

function field(id: string, label: string, control: HTMLElement, hint?: string): HTMLElement {
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hint ? h('p', { class: 'hint' }, hint) : null);
}

function feedbackElement(id: string): HTMLElement {
  const feedback = h('p', { class: 'message message--error', role: 'alert', id });
  feedback.hidden = true;
  return feedback;
}

function show(feedback: HTMLElement, text: string): void {
  feedback.textContent = text;
  feedback.hidden = false;
}

/** `2027-12-31` from a date input, as the end of that day in UTC. */
function endOfDay(value: string): string {
  return `${value}T23:59:59Z`;
}

function measuresOf(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** The grant or renewal form: justification, measures (one per line) and an expiry date. */
function grantForm(derogation: Derogation, decision: 'grant' | 'renew', actions: DerogationActions, feedback: HTMLElement): HTMLElement {
  const words = texts();
  const key = `${decision}-${idFragment(derogation.zoneId)}`;
  const justification = h('textarea', { id: `justification-${key}`, rows: 2 });
  const measures = h('textarea', { id: `measures-${key}`, rows: 3 });
  if (decision === 'renew') measures.value = derogation.compensatingMeasures.join('\n');
  const expiry = h('input', { type: 'date', id: `expiry-${key}` });
  return h(
    'form',
    {
      class: 'derogation__form',
      id: `form-${key}`,
      on: {
        submit: (event) => {
          event.preventDefault();
          const listed = measuresOf(measures.value);
          if (justification.value.trim() === '' || expiry.value === '' || (decision === 'grant' && listed.length === 0)) {
            show(feedback, words.missing);
            return;
          }
          const body = { justification: justification.value.trim(), expiresAt: endOfDay(expiry.value) };
          actions.decideDerogation(
            derogation.zoneId,
            decision === 'grant' ? { decision, body: { ...body, compensatingMeasures: listed } } : { decision, body: { ...body, ...(listed.length > 0 ? { compensatingMeasures: listed } : {}) } },
            feedback,
          );
        },
      },
    },
    field(justification.id, words.justification, justification),
    field(measures.id, words.measures, measures, words.measuresHint),
    field(expiry.id, words.expiresAt, expiry),
    h('button', { type: 'submit', class: 'button button--primary', id: `${key}` }, decision === 'grant' ? words.grant : words.renew),
  );
}

/** A form with one comment: refusal, revocation, or ops' acknowledgement of a lapse. */
function commentForm(derogation: Derogation, decision: 'refuse' | 'revoke' | 'acknowledge', actions: DerogationActions, feedback: HTMLElement): HTMLElement {
  const words = texts();
  const key = `${decision}-${idFragment(derogation.zoneId)}`;
  const comment = h('input', { type: 'text', id: `comment-${key}`, autocomplete: 'off' });
  return h(
    'form',
    {
      class: 'inline-form',
      id: `form-${key}`,
      on: {
        submit: (event) => {
          event.preventDefault();
          if (comment.value.trim() === '') {
            show(feedback, words.missing);
            return;
          }
          actions.decideDerogation(derogation.zoneId, { decision, body: { comment: comment.value.trim() } }, feedback);
        },
      },
    },
    h('label', { for: comment.id }, words.comment),
    comment,
    h('button', { type: 'submit', class: `button${decision === 'acknowledge' ? '' : ' button--danger'}`, id: key }, words[decision]),
  );
}

function derogationItem(status: MigrationOverview, derogation: Derogation, session: Session, actions: DerogationActions): HTMLElement {
  const words = texts();
  const key = idFragment(derogation.zoneId);
  const feedback = feedbackElement(`derogation-error-${key}`);
  const open = !isFinalStatus(status.status);
  const authority = open && isAuthority(status, session);
  const lapsed = (derogation.state === 'EXPIRED' || derogation.state === 'REVOKED') && derogation.lapseAcknowledged === undefined;
  const forms: Child[] = [];
  if (authority && derogation.state === 'REQUESTED') forms.push(grantForm(derogation, 'grant', actions, feedback), commentForm(derogation, 'refuse', actions, feedback));
  if (authority && (derogation.state === 'GRANTED' || derogation.state === 'EXPIRED') && derogation.renewals === 0) forms.push(grantForm(derogation, 'renew', actions, feedback));
  if (authority && derogation.state === 'GRANTED') forms.push(commentForm(derogation, 'revoke', actions, feedback));
  if (open && lapsed && hasRole(session, 'ops')) forms.push(commentForm(derogation, 'acknowledge', actions, feedback));
  return h(
    'li',
    { class: `derogation derogation--${derogation.state.toLowerCase()}`, id: `derogation-${key}`, 'aria-labelledby': `derogation-title-${key}` },
    h(
      'div',
      { class: 'approval__head' },
      h('h3', { id: `derogation-title-${key}` }, words.zone, ' ', h('code', {}, derogation.zoneId)),
      h('span', { class: `badge badge--derogation-${derogation.state.toLowerCase()}` }, capitalize(derogationStateLabel(derogation.state, language()))),
    ),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, words.workloads),
      h('dd', {}, derogation.workloadIds.join(', ')),
      h('dt', {}, words.reason),
      h('dd', {}, derogation.reason),
      derogation.justification ? [h('dt', {}, words.justification), h('dd', {}, derogation.justification)] : null,
      derogation.compensatingMeasures.length > 0
        ? [h('dt', {}, words.measures), h('dd', {}, h('ul', {}, derogation.compensatingMeasures.map((measure) => h('li', {}, measure))))]
        : null,
      derogation.expiresAt ? [h('dt', {}, words.expiresAt), h('dd', { id: `derogation-expiry-${key}` }, formatDateTime(derogation.expiresAt))] : null,
    ),
    h(
      'p',
      { class: 'meta' },
      words.requestedBy(derogation.requestedBy, formatDateTime(derogation.requestedAt)),
      derogation.grantedBy && derogation.grantedAt ? [' · ', words.grantedBy(derogation.grantedBy, formatDateTime(derogation.grantedAt))] : null,
      derogation.grantedBy ? [' · ', words.renewals(derogation.renewals)] : null,
      derogation.lapseAcknowledged ? [' · ', words.acknowledged(derogation.lapseAcknowledged.by)] : null,
    ),
    forms,
    (derogation.state === 'REQUESTED' || derogation.state === 'GRANTED') && open && !authority && hasRole(session, 'customer') ? h('p', { class: 'hint' }, words.authorityOnly) : null,
    feedback,
  );
}

function requestForm(status: MigrationOverview, session: Session, actions: DerogationActions): Child {
  const zones = requestableZones(status);
  const mayRequest = (hasRole(session, 'consultant') || (hasRole(session, 'customer') && session.claims.customerId === status.customerId)) && !isFinalStatus(status.status);
  if (!mayRequest || zones.length === 0) return null;
  const words = texts();
  const feedback = feedbackElement('derogation-request-error');
  const zone = h('select', { id: 'derogation-zone' }, zones.map((zoneId) => h('option', { value: zoneId }, zoneId)));
  const reason = h('textarea', { id: 'derogation-reason', rows: 2 });
  return h(
    'form',
    {
      class: 'derogation__form',
      id: 'derogation-request',
      on: {
        submit: (event) => {
          event.preventDefault();
          if (reason.value.trim() === '') {
            show(feedback, words.missing);
            return;
          }
          actions.requestDerogation(zone.value, reason.value.trim(), feedback);
        },
      },
    },
    h('h3', {}, words.requestTitle),
    field(zone.id, words.requestZone, zone),
    field(reason.id, words.reason, reason),
    h('button', { type: 'submit', class: 'button', id: 'derogation-request-submit' }, words.request),
    feedback,
  );
}

/** The run's derogations with the forms of whoever may decide them; nothing when the plan has no zone a derogation could cover. */
export function renderDerogations(status: MigrationOverview, session: Session, actions: DerogationActions): Child {
  const derogations = status.derogations ?? [];
  const form = requestForm(status, session, actions);
  if (derogations.length === 0 && form === null) return null;
  const words = texts();
  return h(
    'section',
    { class: 'card', id: 'derogations', 'aria-labelledby': 'derogations-title' },
    h('h2', { id: 'derogations-title' }, words.title),
    h('p', { class: 'hint' }, words.intro),
    derogations.length === 0 ? h('p', {}, words.none) : h('ul', { class: 'approval-list' }, derogations.map((derogation) => derogationItem(status, derogation, session, actions))),
    form,
  );
}
