/**
 * The residual-risk register of a run (docs/rules.md, "Residual risks"), as the run keeps it:
 * each risk with what it is in the reader's language, its owner, its state and who accepted it;
 * the waves an open risk holds; and, for the customer's approver holding a risk's owner role,
 * the button that accepts it. The API and the workflow check the acceptance again; this only
 * shows the button to those who may use it.
 */
import type { MigrationOverview, ResidualRisk, RiskCode, RunRiskRegister } from '../../domain';
import { approverRoleLabel, capitalize, renderStoredMessage, riskStateLabel } from '../../domain/messages';
import { isFinalStatus } from '../../domain/run';
import { type Child, h, idFragment } from '../dom';
import { formatDateTime, language, type Language } from '../i18n';
import { hasRole, mayDo, type Session } from '../session';

/** How the panel reads the register and accepts a risk; the view carries them out. */
export interface RiskActions {
  readRisks(): Promise<RunRiskRegister>;
  acceptRisk(riskId: string, feedback: HTMLElement): void;
  fail(error: unknown): void;
}

const FRENCH = {
  title: 'Risques résiduels',
  intro:
    'Les risques que les signataires acceptent : l’homologation accepte ceux qui sont ouverts à sa décision ; un risque apparu ensuite reste ouvert jusqu’à ce que son responsable l’accepte, et les vagues qui le portent attendent.',
  none: 'Aucun risque résiduel.',
  notDerived: 'Le registre sera établi à la classification du plan.',
  loading: 'Chargement du registre…',
  owner: 'Responsable',
  workloads: 'Charges',
  source: 'Origine',
  sources: {
    HYBRID_DEPENDENCY: 'R8, dépendance hybride',
    LONG_TRANSFER: 'évaluation, transfert de plus d’une semaine',
    EXTRATERRITORIAL_EXPOSURE: 'SecNumCloud 3.2 §19.6',
    DEROGATION: 'R10, dérogation',
  } as Record<RiskCode, string>,
  acceptedBy: (who: string, at: string, onHomologation: boolean) => `Accepté par ${who} le ${at}${onHomologation ? ', avec l’homologation' : ''}`,
  accept: 'Accepter ce risque',
  ownerOnly: (role: string) => `Seul le ${role} du client accepte ce risque.`,
};

const TEXTS: Record<Language, typeof FRENCH> = {
  fr: FRENCH,
  en: {
    title: 'Residual risks',
    intro:
      'The risks the signatories accept: the homologation accepts those open at its decision; a risk that appears later stays open until its owner accepts it, and the waves that hold it wait.',
    none: 'No residual risk.',
    notDerived: 'The register is drawn up when the plan is classified.',
    loading: 'Loading the register…',
    owner: 'Owner',
    workloads: 'Workloads',
    source: 'Source',
    sources: {
      HYBRID_DEPENDENCY: 'R8, hybrid dependency',
      LONG_TRANSFER: 'assessment, transfer over a week',
      EXTRATERRITORIAL_EXPOSURE: 'SecNumCloud 3.2 §19.6',
      DEROGATION: 'R10, derogation',
    },
    acceptedBy: (who: string, at: string, onHomologation: boolean) => `Accepted by ${who} on ${at}${onHomologation ? ', with the homologation' : ''}`,
    accept: 'Accept this risk',
    ownerOnly: (role: string) => `Only the customer’s ${role} accepts this risk.`,
  },
};

function texts(): typeof FRENCH {
  return TEXTS[language()];
}

/** Whether the signed-in user may accept `risk` of this run: an approver of its customer holding the owner role, while the run is open. */
function mayAccept(status: MigrationOverview, risk: ResidualRisk, session: Session): boolean {
  return (
    risk.state === 'OPEN' &&
    !isFinalStatus(status.status) &&
    mayDo(session, 'risk.accept') &&
    session.claims.customerId === status.customerId &&
    session.claims.approverRoles.includes(risk.ownerRole)
  );
}

function riskItem(status: MigrationOverview, risk: ResidualRisk, session: Session, actions: RiskActions): HTMLElement {
  const words = texts();
  const key = idFragment(risk.id);
  const role = approverRoleLabel(risk.ownerRole, language());
  const feedback = h('p', { class: 'message message--error', role: 'alert', id: `risk-error-${key}` });
  feedback.hidden = true;
  const button = mayAccept(status, risk, session)
    ? h('button', { type: 'button', class: 'button button--primary', id: `accept-${key}`, on: { click: () => actions.acceptRisk(risk.id, feedback) } }, words.accept)
    : null;
  return h(
    'li',
    { class: `risk risk--${risk.state.toLowerCase()}`, id: `risk-${key}`, 'data-state': risk.state, 'aria-labelledby': `risk-title-${key}` },
    h(
      'div',
      { class: 'approval__head' },
      h('h3', { id: `risk-title-${key}` }, h('code', {}, risk.id)),
      h('span', { class: `badge badge--risk-${risk.state.toLowerCase()}` }, capitalize(riskStateLabel(risk.state, language()))),
    ),
    h('p', { class: 'risk__description' }, renderStoredMessage(risk.description, language())),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, words.owner),
      h('dd', {}, role),
      h('dt', {}, words.workloads),
      h('dd', {}, risk.workloadIds.join(', ')),
      h('dt', {}, words.source),
      h('dd', {}, words.sources[risk.code]),
    ),
    risk.acceptance ? h('p', { class: 'meta' }, words.acceptedBy(risk.acceptance.by, formatDateTime(risk.acceptance.at), risk.acceptance.onHomologation)) : null,
    button,
    risk.state === 'OPEN' && !button && hasRole(session, 'customer') && !isFinalStatus(status.status) ? h('p', { class: 'hint' }, words.ownerOnly(role)) : null,
    feedback,
  );
}

/** The waves an open risk holds, as the run says it (WAVE_HELD_BY_RISKS, in the reader's language). */
function heldWaves(status: MigrationOverview): Child {
  const held = status.waves.active.filter((wave) => wave.heldBy !== undefined);
  if (held.length === 0) return null;
  return h('ul', { class: 'risk__held', id: 'risks-held' }, held.map((wave) => h('li', { 'data-wave': wave.id }, renderStoredMessage(wave.heldBy!.text, language()))));
}

function registerContent(status: MigrationOverview, register: RunRiskRegister, session: Session, actions: RiskActions): Child {
  const words = texts();
  if (!register.derived) return h('p', {}, words.notDerived);
  if (register.risks.length === 0) return h('p', {}, words.none);
  return [heldWaves(status), h('ul', { class: 'approval-list', id: 'risk-list' }, register.risks.map((risk) => riskItem(status, risk, session, actions)))];
}

/**
 * The run's register, read from the API when drawn (the page draws it again after a decision, an
 * acceptance or a derogation changed it), with the accept button of the owners.
 */
export function renderRisks(status: MigrationOverview, session: Session, actions: RiskActions): Child {
  const words = texts();
  const body = h('div', { id: 'risks-body', 'aria-busy': 'true' }, h('p', { class: 'loading' }, words.loading));
  actions
    .readRisks()
    .then((register) => {
      body.replaceChildren(h('div', {}, registerContent(status, register, session, actions)));
      body.setAttribute('aria-busy', 'false');
    })
    .catch((error: unknown) => {
      body.replaceChildren();
      body.setAttribute('aria-busy', 'false');
      actions.fail(error);
    });
  return h('section', { class: 'card', id: 'risks', 'aria-labelledby': 'risks-title' }, h('h2', { id: 'risks-title' }, words.title), h('p', { class: 'hint' }, words.intro), body);
}
