/**
 * The dashboard's words, in French (the default: its users are French public bodies) and in
 * English. Messages written by the run itself (timeline, step titles, errors) stay as the
 * API gives them.
 */
import type { ApprovalDecision, ApprovalState, HostingLevel, Phase, RunStatus, StepState } from '../domain';

/** A language the dashboard speaks. */
export type Language = 'fr' | 'en';

const fr = {
  appName: 'Passerelle',
  tagline: 'Migrations vers le cloud de confiance',
  skipToContent: 'Aller au contenu',
  switchLanguage: 'English',
  switchLanguageLabel: 'Switch to English',
  signOut: 'Se déconnecter',
  signedInAs: (who: string) => `Connecté·e : ${who}`,
  roles: { consultant: 'consultant', customer: 'client', ops: 'exploitation' } as Record<string, string>,
  approverRoles: { RSSI: 'RSSI', DPO: 'DPO', HOMOLOGATION_AUTHORITY: 'autorité d’homologation' } as Record<string, string>,

  signInTitle: 'Connexion',
  signInIntro: 'Connectez-vous avec le jeton que votre fournisseur d’identité vous a remis.',
  demoIdentitiesTitle: 'Identités de démonstration',
  demoIdentitiesIntro: 'En développement seulement : choisissez une identité, l’API signe son jeton.',
  demoConsultant: 'Consultant·e de migration',
  demoOps: 'Équipe d’exploitation',
  demoApprover: (customer: string) => `${customer} — approbateur·rice (RSSI, DPO, homologation)`,
  demoViewer: (customer: string) => `${customer} — lecture seule, sans rôle d’approbation`,
  signInAs: 'Se connecter',
  pasteTokenTitle: 'Jeton d’accès',
  tokenLabel: 'Jeton (JWT)',
  tokenHint: 'Le jeton reste dans cet onglet (sessionStorage) et disparaît à sa fermeture.',
  tokenRefused: (detail: string) => `Jeton refusé : ${detail}`,
  sessionEnded: 'Votre session a expiré ou votre jeton a été refusé : connectez-vous à nouveau.',

  migrationsTitle: 'Migrations',
  filtersTitle: 'Filtres',
  filterStatus: 'Statut',
  filterPhase: 'Phase',
  filterCustomer: 'Client (identifiant)',
  filterNeedsAttention: 'Seulement celles qui demandent une intervention',
  filterAny: 'Tous',
  applyFilters: 'Filtrer',
  resetFilters: 'Réinitialiser',
  refresh: 'Actualiser',
  listCaption: (count: number) => (count === 0 ? 'Aucune migration' : count === 1 ? '1 migration' : `${count} migrations`),
  noMigrations: 'Aucune migration ne correspond.',
  nextPage: 'Page suivante',
  firstPage: 'Première page',
  colMigration: 'Migration',
  colCustomer: 'Client',
  colPhase: 'Phase',
  colStatus: 'Statut',
  colStarted: 'Démarrée',
  colClosed: 'Terminée',
  needsAttention: 'Intervention requise',
  backToList: 'Retour aux migrations',

  notFoundTitle: 'Migration introuvable',
  notFoundText: 'Cette migration n’existe pas, ou vous n’avez pas accès à ses informations.',
  loading: 'Chargement…',
  liveStream: 'Suivi en direct',
  livePolling: 'Actualisation toutes les 2 secondes',
  liveEnded: 'Migration terminée : plus de mise à jour',
  liveReconnecting: 'Connexion perdue, nouvelle tentative…',
  startedBy: (who: string, at: string) => `Lancée par ${who} le ${at}`,
  updatedAt: (at: string) => `Mise à jour : ${at}`,
  endedAt: (at: string) => `Terminée le ${at}`,
  overallProgress: 'Avancement global',
  announce: (phase: string, status: string) => `Phase : ${phase}. Statut : ${status}.`,

  phasesTitle: 'Étapes de la migration',
  progressTitle: 'Avancement',
  phaseProgressTitle: 'Par phase',
  waveProgressTitle: 'Par vague de bascule',
  waveLabel: (index: number) => `Vague ${index}`,
  stepsCount: (settled: number, total: number) => `${settled} sur ${total}`,
  workloadsOfWave: (ids: string) => `Charges : ${ids}`,
  approvalsProgress: (settled: number, total: number) => `${settled} approbation(s) sur ${total}`,

  attentionTitle: 'Interventions requises',
  attentionNone: 'Aucune intervention requise.',
  retry: 'Relancer',
  skip: 'Ignorer l’étape',
  skipReason: 'Motif (obligatoire pour ignorer)',
  skipReasonMissing: 'Indiquez le motif pour ignorer l’étape.',
  overdueApproval: 'Approbation en retard',
  opsOnly: 'Seule l’équipe d’exploitation peut relancer ou ignorer une étape.',

  gateTitle: 'En attente de la qualification du fournisseur',
  gateWaitingFor: 'Il manque :',
  gateLastChecked: (at: string, checks: number) => `Dernière vérification : ${at} (${checks} vérification(s))`,
  gateCredentials: (secnumcloud: string, hds: boolean) => `Le fournisseur détient : SecNumCloud ${secnumcloud}, HDS ${hds ? 'oui' : 'non'}`,
  gateCheckHint: 'La migration vérifie d’elle-même à intervalles réguliers ; une fois la qualification obtenue, faites-la vérifier tout de suite.',
  gateCheckNow: 'Vérifier la qualification maintenant',

  approvalsTitle: 'Approbations',
  approvalsNone: 'Aucune approbation demandée pour l’instant.',
  colApproval: 'Approbation',
  approvalRole: 'Rôle',
  approvalWhy: 'Motif',
  approvalState: 'État',
  approvalDue: (at: string) => `À rendre avant le ${at}`,
  approvalDecidedBy: (by: string, at: string) => `Décidé par ${by} le ${at}`,
  approvalRound: (round: number) => `Tour ${round}`,
  comment: 'Commentaire (obligatoire pour rejeter ou demander des modifications)',
  commentMissing: 'Un commentaire est obligatoire pour rejeter ou demander des modifications.',
  decisions: { APPROVE: 'Approuver', REJECT: 'Rejeter', REQUEST_CHANGES: 'Demander des modifications' } satisfies Record<ApprovalDecision, string>,
  decisionRecorded: (decision: string, approval: string) => `${decision} : ${approval} — décision enregistrée.`,
  notYourRole: (role: string) => `Réservé au rôle ${role}.`,
  approvalNames: {
    rssi: 'Validation du RSSI',
    dpo: 'Avis du délégué à la protection des données',
    dpia: 'Analyse d’impact (AIPD)',
    homologation: 'Décision d’homologation',
    'anssi-notification': 'Notification à l’ANSSI',
  } as Record<string, string>,

  classificationTitle: 'Classification des charges',
  classificationCaption: 'Niveau d’hébergement de chaque charge et règle qui l’a décidé',
  rulesLink: 'Les règles de classification et d’approbation, et leur fondement juridique',
  colWorkload: 'Charge',
  colKind: 'Type',
  colLevel: 'Hébergement',
  colHds: 'HDS',
  colRules: 'Règles',
  colProgress: 'Bascule',
  colNote: 'Remarque',
  inheritedFrom: (ids: string) => `hérité de ${ids}`,
  yes: 'oui',
  no: 'non',
  warningsTitle: 'Avertissements',
  ruleNames: {
    R1: 'R1 : données classifiées ou système industriel, reste sur site',
    R2: 'R2 : Diffusion Restreinte',
    R3: 'R3 : système d’information d’importance vitale',
    R4: 'R4 : État et données sensibles',
    R5: 'R5 : OIV, OSE ou hôpital et données sensibles',
    R6: 'R6 : données de santé (HDS)',
    R7: 'R7 : cas général',
    R8: 'R8 : hérité d’une charge qui en dépend',
  } as Record<string, string>,

  controlsTitle: 'Pilotage',
  pause: 'Mettre en pause',
  resume: 'Reprendre',
  cancel: 'Annuler la migration',
  confirmCancel: 'Annuler la migration ? Ce qui a été fait chez le fournisseur sera défait.',
  actionDone: 'C’est fait.',

  stepsTitle: 'Détail des étapes',
  stepError: (message: string, attempts: number) => `${message} (${attempts} tentative(s))`,
  timelineTitle: 'Chronologie',
  auditTitle: 'Journal d’audit',
  colWhen: 'Quand',
  colWho: 'Qui',
  colAction: 'Action',
  colTarget: 'Objet',
  colComment: 'Commentaire',
  colEvent: 'Événement',
  showAll: (count: number) => `Tout afficher (${count})`,
  outcome: (reason: string) => `Issue : ${reason}`,
  errorGeneric: (detail: string) => `Erreur : ${detail}`,

  phases: {
    ASSESSMENT: 'Évaluation',
    CLASSIFICATION: 'Classification',
    AWAITING_APPROVAL: 'Approbations',
    AWAITING_QUALIFICATION: 'Qualification du fournisseur',
    PROVISIONING: 'Provisionnement',
    CUTOVER: 'Bascule',
    DONE: 'Terminé',
  } satisfies Record<Phase, string>,
  statuses: {
    RUNNING: 'En cours',
    WAITING: 'En attente',
    NEEDS_ATTENTION: 'Intervention requise',
    PAUSED: 'En pause',
    COMPLETED: 'Terminée',
    REJECTED: 'Rejetée',
    CANCELLED: 'Annulée',
    FAILED: 'Échouée',
  } satisfies Record<RunStatus, string>,
  stepStates: {
    PENDING: 'À venir',
    RUNNING: 'En cours',
    WAITING: 'En attente',
    SUCCEEDED: 'Réussie',
    FAILED: 'Échouée',
    SKIPPED: 'Ignorée',
    COMPENSATED: 'Défaite (compensation)',
  } satisfies Record<StepState, string>,
  approvalStates: {
    PENDING: 'En attente',
    APPROVED: 'Approuvée',
    REJECTED: 'Rejetée',
    CHANGES_REQUESTED: 'Modifications demandées',
    SUPERSEDED: 'Remplacée',
  } satisfies Record<ApprovalState, string>,
  levels: {
    STANDARD: 'Standard',
    SECNUMCLOUD: 'SecNumCloud',
    SECNUMCLOUD_DEDICATED: 'SecNumCloud dédié',
    NOT_ELIGIBLE: 'Non éligible (reste sur site)',
  } satisfies Record<HostingLevel, string>,
  positions: { done: 'terminée', current: 'en cours', upcoming: 'à venir' } as Record<string, string>,
};

/** Every message of the dashboard, in one language. */
export type Messages = typeof fr;

const en: Messages = {
  appName: 'Passerelle',
  tagline: 'Migrations to the trusted cloud',
  skipToContent: 'Skip to content',
  switchLanguage: 'Français',
  switchLanguageLabel: 'Passer en français',
  signOut: 'Sign out',
  signedInAs: (who) => `Signed in: ${who}`,
  roles: { consultant: 'consultant', customer: 'customer', ops: 'operations' },
  approverRoles: { RSSI: 'CISO (RSSI)', DPO: 'DPO', HOMOLOGATION_AUTHORITY: 'accreditation authority' },

  signInTitle: 'Sign in',
  signInIntro: 'Sign in with the token your identity provider gave you.',
  demoIdentitiesTitle: 'Demo identities',
  demoIdentitiesIntro: 'Development only: pick an identity and the API signs its token.',
  demoConsultant: 'Migration consultant',
  demoOps: 'Operations team',
  demoApprover: (customer) => `${customer} — approver (CISO, DPO, accreditation)`,
  demoViewer: (customer) => `${customer} — read only, no approver role`,
  signInAs: 'Sign in',
  pasteTokenTitle: 'Access token',
  tokenLabel: 'Token (JWT)',
  tokenHint: 'The token stays in this tab (sessionStorage) and goes when the tab closes.',
  tokenRefused: (detail) => `Token refused: ${detail}`,
  sessionEnded: 'Your session expired or your token was refused: please sign in again.',

  migrationsTitle: 'Migrations',
  filtersTitle: 'Filters',
  filterStatus: 'Status',
  filterPhase: 'Phase',
  filterCustomer: 'Customer (id)',
  filterNeedsAttention: 'Only those that need an operator',
  filterAny: 'Any',
  applyFilters: 'Filter',
  resetFilters: 'Reset',
  refresh: 'Refresh',
  listCaption: (count) => (count === 0 ? 'No migration' : count === 1 ? '1 migration' : `${count} migrations`),
  noMigrations: 'No migration matches.',
  nextPage: 'Next page',
  firstPage: 'First page',
  colMigration: 'Migration',
  colCustomer: 'Customer',
  colPhase: 'Phase',
  colStatus: 'Status',
  colStarted: 'Started',
  colClosed: 'Ended',
  needsAttention: 'Needs attention',
  backToList: 'Back to migrations',

  notFoundTitle: 'Migration not found',
  notFoundText: 'This migration does not exist, or you may not see it.',
  loading: 'Loading…',
  liveStream: 'Live',
  livePolling: 'Refreshing every 2 seconds',
  liveEnded: 'Migration ended: no more updates',
  liveReconnecting: 'Connection lost, trying again…',
  startedBy: (who, at) => `Started by ${who} on ${at}`,
  updatedAt: (at) => `Updated: ${at}`,
  endedAt: (at) => `Ended on ${at}`,
  overallProgress: 'Overall progress',
  announce: (phase, status) => `Phase: ${phase}. Status: ${status}.`,

  phasesTitle: 'Migration phases',
  progressTitle: 'Progress',
  phaseProgressTitle: 'By phase',
  waveProgressTitle: 'By cutover wave',
  waveLabel: (index) => `Wave ${index}`,
  stepsCount: (settled, total) => `${settled} of ${total}`,
  workloadsOfWave: (ids) => `Workloads: ${ids}`,
  approvalsProgress: (settled, total) => `${settled} of ${total} approval(s)`,

  attentionTitle: 'Needs attention',
  attentionNone: 'Nothing waits for an operator.',
  retry: 'Retry',
  skip: 'Skip step',
  skipReason: 'Reason (required to skip)',
  skipReasonMissing: 'Give the reason for skipping the step.',
  overdueApproval: 'Overdue approval',
  opsOnly: 'Only the operations team can retry or skip a step.',

  gateTitle: 'Waiting for the provider’s qualification',
  gateWaitingFor: 'Still missing:',
  gateLastChecked: (at, checks) => `Last checked: ${at} (${checks} check(s))`,
  gateCredentials: (secnumcloud, hds) => `The provider holds: SecNumCloud ${secnumcloud}, HDS ${hds ? 'yes' : 'no'}`,
  gateCheckHint: 'The run checks again on its own from time to time; once the qualification is granted, have it check at once.',
  gateCheckNow: 'Check the qualification now',

  approvalsTitle: 'Approvals',
  approvalsNone: 'No approval requested yet.',
  colApproval: 'Approval',
  approvalRole: 'Role',
  approvalWhy: 'Why',
  approvalState: 'State',
  approvalDue: (at) => `Due by ${at}`,
  approvalDecidedBy: (by, at) => `Decided by ${by} on ${at}`,
  approvalRound: (round) => `Round ${round}`,
  comment: 'Comment (required to reject or request changes)',
  commentMissing: 'A comment is required to reject or request changes.',
  decisions: { APPROVE: 'Approve', REJECT: 'Reject', REQUEST_CHANGES: 'Request changes' },
  decisionRecorded: (decision, approval) => `${decision}: ${approval} — decision recorded.`,
  notYourRole: (role) => `For the ${role} role only.`,
  approvalNames: {
    rssi: 'CISO (RSSI) sign-off',
    dpo: 'Data protection officer’s opinion',
    dpia: 'Data protection impact assessment',
    homologation: 'Security accreditation (homologation)',
    'anssi-notification': 'Notification to ANSSI',
  },

  classificationTitle: 'Workload classification',
  classificationCaption: 'Hosting level of each workload and the rule that decided it',
  rulesLink: 'The classification and approval rules, and their legal basis',
  colWorkload: 'Workload',
  colKind: 'Kind',
  colLevel: 'Hosting',
  colHds: 'HDS',
  colRules: 'Rules',
  colProgress: 'Cutover',
  colNote: 'Note',
  inheritedFrom: (ids) => `inherited from ${ids}`,
  yes: 'yes',
  no: 'no',
  warningsTitle: 'Warnings',
  ruleNames: {
    R1: 'R1: classified data or industrial control, stays on site',
    R2: 'R2: Diffusion Restreinte',
    R3: 'R3: vital information system (SIIV)',
    R4: 'R4: State and sensitive data',
    R5: 'R5: OIV, OSE or hospital and sensitive data',
    R6: 'R6: health data (HDS)',
    R7: 'R7: general case',
    R8: 'R8: inherited from a workload that depends on it',
  },

  controlsTitle: 'Run controls',
  pause: 'Pause',
  resume: 'Resume',
  cancel: 'Cancel the migration',
  confirmCancel: 'Cancel the migration? What was done at the provider will be undone.',
  actionDone: 'Done.',

  stepsTitle: 'Steps in detail',
  stepError: (message, attempts) => `${message} (${attempts} attempt(s))`,
  timelineTitle: 'Timeline',
  auditTitle: 'Audit trail',
  colWhen: 'When',
  colWho: 'Who',
  colAction: 'Action',
  colTarget: 'Target',
  colComment: 'Comment',
  colEvent: 'Event',
  showAll: (count) => `Show all (${count})`,
  outcome: (reason) => `Outcome: ${reason}`,
  errorGeneric: (detail) => `Error: ${detail}`,

  phases: {
    ASSESSMENT: 'Assessment',
    CLASSIFICATION: 'Classification',
    AWAITING_APPROVAL: 'Approvals',
    AWAITING_QUALIFICATION: 'Provider qualification',
    PROVISIONING: 'Provisioning',
    CUTOVER: 'Cutover',
    DONE: 'Done',
  },
  statuses: {
    RUNNING: 'Running',
    WAITING: 'Waiting',
    NEEDS_ATTENTION: 'Needs attention',
    PAUSED: 'Paused',
    COMPLETED: 'Completed',
    REJECTED: 'Rejected',
    CANCELLED: 'Cancelled',
    FAILED: 'Failed',
  },
  stepStates: {
    PENDING: 'Pending',
    RUNNING: 'Running',
    WAITING: 'Waiting',
    SUCCEEDED: 'Succeeded',
    FAILED: 'Failed',
    SKIPPED: 'Skipped',
    COMPENSATED: 'Undone (compensated)',
  },
  approvalStates: {
    PENDING: 'Pending',
    APPROVED: 'Approved',
    REJECTED: 'Rejected',
    CHANGES_REQUESTED: 'Changes requested',
    SUPERSEDED: 'Superseded',
  },
  levels: {
    STANDARD: 'Standard',
    SECNUMCLOUD: 'SecNumCloud',
    SECNUMCLOUD_DEDICATED: 'SecNumCloud dedicated',
    NOT_ELIGIBLE: 'Not eligible (stays on site)',
  },
  positions: { done: 'done', current: 'in progress', upcoming: 'upcoming' },
};

const CATALOGUES: Record<Language, Messages> = { fr, en };
const STORAGE_KEY = 'passerelle.language';

let current: Language = 'fr';

/** The language chosen earlier in this browser, French otherwise. */
export function initialLanguage(storage: Pick<Storage, 'getItem'> | undefined): Language {
  return storage?.getItem(STORAGE_KEY) === 'en' ? 'en' : 'fr';
}

/** Switches language and remembers the choice. */
export function setLanguage(language: Language, storage?: Pick<Storage, 'setItem'>): void {
  current = language;
  storage?.setItem(STORAGE_KEY, language);
}

/** The current language. */
export function language(): Language {
  return current;
}

/** The messages of the current language. */
export function t(): Messages {
  return CATALOGUES[current];
}

/** A date and time as people of the current language write it. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(current === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'medium', timeStyle: 'medium' }).format(date);
}
