/**
 * The catalogue of what a run writes for people (timeline entries, warnings, reasons, attention
 * messages, gate waits, risks and derogations) as message codes with parameters, and their
 * French and English texts. The workflow stores `{ code, params }`; the dashboard, the CLI and
 * the homologation file render them in the reader's language with {@link renderMessage}.
 *
 * Parameters are plain JSON (strings, numbers, booleans, string arrays), validated by one zod
 * schema per code, so that a stored message reads the same after any number of continue-as-new
 * and a reader never trusts what it cannot parse ({@link renderStoredMessage}). Free text that
 * a person wrote (a comment, a skip reason) and error messages from elsewhere travel as
 * parameters and are shown as written. Pure: no Intl, no clock, the same text everywhere.
 */
import { z } from 'zod';
import type { HostingLevel } from './classification';
import { tryParseIsoDuration } from './duration';
import {
  CRITICALITY_LEVELS,
  CUSTOMER_TYPES,
  DATA_CATEGORIES,
  type ApproverRole,
  type Criticality,
  type CustomerType,
  type DataCategory,
  WORKLOAD_KINDS,
  type WorkloadKind,
} from './plan';
import type { RehearsalState } from './rehearsals';
import type { DerogationState } from './derogations';
import type { GraphGroup } from './estate-pictures';
import type { UserRole } from './permissions';
import type { RiskCode } from './risks';
import type { WorkloadOutcome } from './run-report';
import type { CleanupAction } from './run-status';
import { PHASES, RUN_STATUSES, STEP_STATES, type Phase, type RunStatus, type StepState } from './run';

/** The languages Passerelle speaks. French first: its users are French public bodies. */
export const LANGUAGES = ['fr', 'en'] as const;
/** One of {@link LANGUAGES}. */
export type Language = (typeof LANGUAGES)[number];

const text = z.lazy(() => z.string().max(4000));
const id = z.lazy(() => z.string().max(200));
const ids = z.lazy(() => z.array(id).max(100_000));
const count = z.lazy(() => z.number().int().min(0));
const timestamp = z.lazy(() => z.string().max(40));
const phase = z.lazy(() => z.enum(PHASES));
const stepState = z.lazy(() => z.enum(STEP_STATES));
const gateNeed = z.lazy(() => z.enum(['SECNUMCLOUD_QUALIFICATION', 'HDS_CERTIFICATE']));
/** Why R1 keeps a workload on site: classified information, or an industrial control system. */
export const NOT_ELIGIBLE_CAUSES = ['CLASSIFIED', 'INDUSTRIAL_CONTROL'] as const;
/** One of {@link NOT_ELIGIBLE_CAUSES}. */
export type NotEligibleCause = (typeof NOT_ELIGIBLE_CAUSES)[number];

const notEligibleCause = z.lazy(() => z.enum(NOT_ELIGIBLE_CAUSES));
const categories = z.lazy(() => z.array(z.enum(DATA_CATEGORIES)));

/**
 * The parameters of every message code, as the builder of their schema: the single source of the
 * codes and their types. Built on first use, like every schema of domain/ (lazy-schemas.ts), through
 * {@link messageParamsSchema}.
 */
const MESSAGE_PARAMS = {
  // The run's timeline.
  RUN_STARTED: () => z.strictObject({ actor: id }),
  PHASE_ENTERED: () => z.strictObject({ phase }),
  STEP_STATE_CHANGED: () => z.strictObject({ stepId: id, state: stepState, workloadName: text.optional() }),
  AUDIT_RECORDED: () => z.strictObject({ actor: id, action: id, target: text.optional() }),
  QUALIFICATION_SIGNALLED: () => z.strictObject({}),
  APPROVALS_REQUESTED: () => z.strictObject({ round: count, approvalIds: ids }),
  APPROVAL_REMINDER: () => z.strictObject({ approvalId: id, role: id, dueAt: timestamp }),
  APPROVAL_ESCALATED: () => z.strictObject({ approvalId: id, role: id, dueAt: timestamp }),
  NOTIFICATION_FAILED: () => z.strictObject({ kind: id, error: text }),
  WAVES_PLANNED: () => z.strictObject({ waves: count, workloads: count, maxWaveSize: count.optional() }),
  WAVE_DONE: () => z.strictObject({ waveId: id, migrated: count, skipped: count }),
  WAVE_NOT_STARTED: () => z.strictObject({ waveId: id, workloads: count }),
  WAVE_HELD_BY_RISKS: () => z.strictObject({ waveId: id, riskIds: ids, riskCount: count }),
  CANCELLING: () => z.strictObject({ undoing: z.boolean() }),
  COMPENSATING: () => z.strictObject({}),
  COMPENSATION_FAILED: () => z.strictObject({ stepId: id, kind: id, error: text }),
  RUN_COMPLETED: () => z.strictObject({}),
  RUN_REJECTED: () => z.strictObject({ approvalId: id, actor: id, comment: text.optional() }),
  RUN_CANCELLED: () => z.strictObject({ actor: id.optional(), reason: text.optional() }),
  RUN_FAILED: () => z.strictObject({ error: text }),
  CUTOVER_WINDOW_OPENED: () => z.strictObject({ waveId: id.optional(), opensAt: timestamp, closesAt: timestamp, actor: id }),
  // What needs an operator.
  ATTENTION_STEP_FAILED: () => z.strictObject({ stepId: id, error: text, workloadName: text.optional() }),
  ATTENTION_RESTORE_FAILED: () => z.strictObject({ workloadName: text, error: text }),
  ATTENTION_REHEARSAL_FAILED: () => z.strictObject({ waveId: id, error: text }),
  ATTENTION_APPROVAL_OVERDUE: () => z.strictObject({ approvalId: id, role: id, dueAt: timestamp }),
  ATTENTION_DEROGATION_EXPIRED: () => z.strictObject({ derogationId: id, zoneId: id, revoked: z.boolean(), at: timestamp }),
  ATTENTION_NO_CUTOVER_WINDOW: () => z.strictObject({ waveId: id, switchoverDuration: id }),
  STEP_SKIPPED_BY_OPERATOR: () => z.strictObject({}),
  STEP_UNDONE_AFTER_FAILURE: () => z.strictObject({ failedStep: id }),
  STEP_UNDONE_WINDOW_CLOSED: () => z.strictObject({}),
  STEP_UNDONE_RUN_CANCELLED: () => z.strictObject({}),
  WORKLOAD_RUN_ENDED: () => z.strictObject({ status: z.enum(RUN_STATUSES) }),
  // Notifications sent to people.
  NOTIFY_APPROVAL_DUE: () => z.strictObject({ approvalId: id, dueAt: timestamp }),
  NOTIFY_APPROVAL_OVERDUE: () => z.strictObject({ approvalId: id, dueAt: timestamp }),
  NOTIFY_STEP_FAILED: () => z.strictObject({ stepId: id, error: text }),
  // The regulatory gate (R9) and derogations (R10).
  GATE_WAITS_FOR_SECNUMCLOUD: () => z.strictObject({ milestone: id, neededBy: ids, neededByCount: count }),
  GATE_WAITS_FOR_HDS: () => z.strictObject({ neededBy: ids, neededByCount: count }),
  GATE_CREDENTIALS_UNREADABLE: () => z.strictObject({ error: text }),
  GATE_ZONE_WAITS: () => z.strictObject({ zoneId: id, needs: z.array(gateNeed), milestone: id }),
  GATE_ZONE_CLEARED: () => z.strictObject({ zoneId: id, derogationId: id.optional() }),
  GATE_WORKLOAD_WAITS: () => z.strictObject({ workloadId: id, zoneIds: ids }),
  DEROGATION_REQUESTED: () => z.strictObject({ zoneId: id, actor: id }),
  DEROGATION_GRANTED: () => z.strictObject({ zoneId: id, actor: id, expiresAt: timestamp }),
  DEROGATION_REFUSED: () => z.strictObject({ zoneId: id, actor: id }),
  DEROGATION_RENEWED: () => z.strictObject({ zoneId: id, actor: id, expiresAt: timestamp }),
  DEROGATION_REVOKED: () => z.strictObject({ zoneId: id, actor: id }),
  DEROGATION_EXPIRED: () => z.strictObject({ zoneId: id, at: timestamp }),
  DEROGATION_ENDED: () => z.strictObject({ zoneId: id }),
  DEROGATION_LAPSE_ACKNOWLEDGED: () => z.strictObject({ zoneId: id, actor: id }),
  // Classification and assessment.
  NOT_ELIGIBLE: () => z.strictObject({ causes: z.array(notEligibleCause).min(1) }),
  WARNING_HYBRID_DEPENDENCY: () => z.strictObject({ workloadId: id, dependsOn: id, causes: z.array(notEligibleCause) }),
  WARNING_TRANSFER_OVER_A_WEEK: () => z.strictObject({ sizeGb: z.number().min(0), bandwidthMbps: z.number().min(0), duration: id }),
  APPROVAL_NEEDED_ALWAYS: () => z.strictObject({}),
  APPROVAL_NEEDED_FOR_CATEGORY: () => z.strictObject({ category: z.enum(DATA_CATEGORIES), workloadIds: ids, workloadCount: count }),
  APPROVAL_NEEDED_FOR_LEVEL: () => z.strictObject({ level: z.enum(['SECNUMCLOUD', 'SECNUMCLOUD_DEDICATED']), workloadIds: ids, workloadCount: count }),
  APPROVAL_BASIS: () => z.strictObject({ approvalId: id }),
  APPROVAL_NEEDED_FOR_CUSTOMER_TYPE: () => z.strictObject({ customerType: z.enum(CUSTOMER_TYPES) }),
  // The residual-risk register.
  RISK_HYBRID_DEPENDENCY: () => z.strictObject({ workloadId: id, dependsOn: id }),
  RISK_LONG_TRANSFER: () => z.strictObject({ workloadId: id, sizeGb: z.number().min(0), duration: id }),
  RISK_EXTRATERRITORIAL_EXPOSURE: () => z.strictObject({ workloadId: id, categories }),
  RISK_DEROGATION: () => z.strictObject({ zoneId: id, workloadIds: ids, workloadCount: count, expiresAt: timestamp.optional() }),
  RISKS_OPENED: () => z.strictObject({ riskIds: ids, riskCount: count }),
  RISKS_CLOSED: () => z.strictObject({ riskIds: ids, riskCount: count }),
  RISKS_ACCEPTED: () => z.strictObject({ actor: id, riskIds: ids, riskCount: count, onHomologation: z.boolean() }),
  // A draft plan's audit trail: what an edit of the questionnaire changed, on which selection.
  DRAFT_IMPORTED: () => z.strictObject({ workloadCount: count }),
  DRAFT_COMMENTED: () => z.strictObject({ workloadId: id.optional() }),
  DRAFT_RUN_STARTED: () => z.strictObject({ runId: id, revision: count }),
  DRAFT_EDITED: () =>
    z.strictObject({
      categories: categories.optional(),
      criticality: z.enum(CRITICALITY_LEVELS).optional(),
      kind: z.enum(WORKLOAD_KINDS).optional(),
      excludedReason: text.optional(),
      included: z.literal(true).optional(),
      application: text.optional(),
      ofKind: z.enum(WORKLOAD_KINDS).optional(),
      nameContains: text.optional(),
      untagged: z.literal(true).optional(),
      workloadIds: ids,
      workloadCount: count,
    }),
} as const;

/** A message code. */
export type MessageCode = keyof typeof MESSAGE_PARAMS;
/** The codes, in catalogue order. */
export const MESSAGE_CODES = Object.keys(MESSAGE_PARAMS) as MessageCode[];
/** The parameters of message `C`. */
export type MessageParams<C extends MessageCode> = z.infer<ReturnType<(typeof MESSAGE_PARAMS)[C]>>;

const builtParamsSchemas = new Map<MessageCode, z.ZodType>();

/** The schema of message `code`'s parameters, built on its first use and kept. */
export function messageParamsSchema<C extends MessageCode>(code: C): ReturnType<(typeof MESSAGE_PARAMS)[C]> {
  let schema = builtParamsSchemas.get(code);
  if (schema === undefined) {
    schema = MESSAGE_PARAMS[code]();
    builtParamsSchemas.set(code, schema);
  }
  return schema as ReturnType<(typeof MESSAGE_PARAMS)[C]>;
}
/** A message as stored: a code and its parameters (a timeline entry, a warning, a reason…). */
export type Message = { [C in MessageCode]: { code: C; params: MessageParams<C> } }[MessageCode];

/** Builds a message, typed by its code: `message('WAVE_DONE', { waveId: 'wave-1', migrated: 3, skipped: 0 })`. */
export function message<C extends MessageCode>(code: C, params: MessageParams<C>): { code: C; params: MessageParams<C> } {
  return { code, params };
}

/** Most ids a message names; `…Count` parameters say how many there are in all, so that a message stays small for any estate. */
export const MESSAGE_LIST_LIMIT = 5;

/** The first {@link MESSAGE_LIST_LIMIT} ids and their count, as the `…Ids` / `…Count` parameters want them. */
export function listedIds(all: readonly string[]): { ids: string[]; count: number } {
  return { ids: all.slice(0, MESSAGE_LIST_LIMIT), count: all.length };
}

/** Tells whether a string is a known message code. */
export function isMessageCode(code: unknown): code is MessageCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(MESSAGE_PARAMS, code);
}

/** A stored message, validated: any known code with parameters that match its schema (for zod and OpenAPI). */
export const MessageSchema = z.lazy(() =>
  z
    .strictObject({ code: z.enum(MESSAGE_CODES as [MessageCode, ...MessageCode[]]), params: z.record(z.string(), z.unknown()) })
    .superRefine((value, context) => {
      const parsed = messageParamsSchema(value.code).safeParse(value.params);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) context.addIssue({ code: 'custom', path: ['params', ...issue.path], message: issue.message });
      }
    })
    .meta({ description: 'A message code of domain/messages.ts and its parameters, rendered in the reader’s language.' }),
);

/** Reads a message from storage or the network: the typed message, or undefined when it is not one this version knows. */
export function parseMessage(value: unknown): Message | undefined {
  const parsed = MessageSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const params = messageParamsSchema(parsed.data.code).parse(parsed.data.params);
  return { code: parsed.data.code, params } as Message;
}

/**
 * Renders a message in French or English. Parameters are trusted to match the code (the types
 * say so); for data read back from storage or the network use {@link renderStoredMessage}.
 */
export function renderMessage<C extends MessageCode>(code: C, params: MessageParams<C>, language: Language): string {
  const render = TEXTS[language][code] as (params: MessageParams<C>, words: Words) => string;
  return render(params, WORDS[language]);
}

/**
 * Renders a message read back from storage or the network: validated first, so that a code this
 * version does not know (a newer server) or malformed parameters render as a plain, safe
 * fallback (the code itself) rather than throwing.
 */
export function renderStoredMessage(stored: unknown, language: Language): string {
  const parsed = parseMessage(stored);
  if (parsed !== undefined) return renderMessage(parsed.code, parsed.params as never, language);
  const code = typeof stored === 'object' && stored !== null && 'code' in stored && typeof stored.code === 'string' ? stored.code.slice(0, 100) : '';
  return language === 'fr' ? `Message illisible (${code || 'sans code'})` : `Unreadable message (${code || 'no code'})`;
}

/**
 * What a run wrote for people, in the reader's language: its message code when it has one,
 * otherwise (runs started before message codes) the English sentence it stored.
 */
export function renderRunText(written: { message?: string; reason?: string; text?: unknown }, language: Language): string {
  if (written.text !== undefined) return renderStoredMessage(written.text, language);
  return written.message ?? written.reason ?? '';
}

/**
 * A step's title from its stable id (`provisioning.key-vault.secnumcloud`,
 * `cutover.wave-2.dpi.switch`, `approval.rssi`), so that titles need not be stored; an id it
 * does not recognise is shown as it is.
 */
export function renderStepTitle(stepId: string, language: Language, workloadName?: string): string {
  const words = WORDS[language];
  const parts = stepId.split('.');
  const [head, second, third, fourth] = parts;
  if (stepId === 'assessment') return words.stepAssessment;
  if (stepId === 'classification') return words.stepClassification;
  if (stepId === 'qualification') return words.stepQualification;
  if (stepId === 'provisioning.tenant') return words.stepTenant;
  if (stepId === 'provisioning.m365-tenant') return words.stepM365Tenant;
  if (head === 'approval' && second !== undefined && parts.length === 2) return words.stepApproval(approvalName(second, language));
  if (head === 'provisioning' && second !== undefined && third !== undefined && parts.length === 3) {
    const title = words.stepProvisioning[second];
    if (title !== undefined) return title(third);
  }
  if (head === 'cutover' && second !== undefined && third === 'rehearsal' && parts.length === 3) return words.stepRehearsal(second);
  if (head === 'cutover' && second !== undefined && third !== undefined && fourth !== undefined && parts.length === 4) {
    const step = words.cutoverSteps[fourth];
    if (step !== undefined) return `${workloadName ?? third}${language === 'fr' ? ' : ' : ': '}${step}`;
  }
  return stepId;
}

/**
 * What the audit trail's `target` and `comment` say when the run writes them, not a person:
 * one format each, which the workflow writes (so that the API's `target` stays what it was) and
 * readers render in their language with {@link auditTargetLabel} and {@link auditCommentLabel}.
 */
export const AUDIT_TEXTS = {
  approvalTarget: (approvalId: string) => `approval ${approvalId}`,
  everyPendingApproval: 'every pending approval',
  everyWave: 'every wave',
  extensionComment: (extendBy: string, reason?: string) => (reason ? `by ${extendBy}: ${reason}` : `by ${extendBy}`),
  windowComment: (opensAt: string, closesAt: string, reason: string) => `${opensAt} to ${closesAt}: ${reason}`,
} as const;

/** What an audited action is, in the reader's language (`APPROVE`: `a approuvé`); an unknown action as it is. */
export function auditActionLabel(action: string, language: Language): string {
  return WORDS[language].auditActions[action] ?? action;
}

/** An audit entry's target in the reader's language: an approval, every pending approval or wave, a step; any other id as it is. */
export function auditTargetLabel(target: string, language: Language): string {
  const words = WORDS[language];
  if (target === AUDIT_TEXTS.everyPendingApproval) return words.everyPendingApproval;
  if (target === AUDIT_TEXTS.everyWave) return words.everyWave;
  const approval = /^approval (\S+)$/.exec(target);
  if (approval?.[1] !== undefined) return words.approvalTarget(approvalName(approval[1], language));
  return renderStepTitle(target, language);
}

/**
 * An audit entry's comment in the reader's language: the run's own comments (a deadline's
 * extension, an exceptional window's dates) rendered, a person's words as they wrote them.
 */
export function auditCommentLabel(action: string, comment: string, language: Language): string {
  const words = WORDS[language];
  const extension = action === 'EXTEND_DEADLINE' ? /^by (P[^\s:]+)(?:: ([\s\S]*))?$/.exec(comment) : null;
  if (extension?.[1] !== undefined) {
    const by = words.extendedBy(formatHumanDuration(extension[1], language));
    return extension[2] === undefined ? by : `${by}${language === 'fr' ? ' : ' : ': '}${extension[2]}`;
  }
  const window = action === 'OPEN_CUTOVER_WINDOW' ? /^(\S+) to (\S+): ([\s\S]*)$/.exec(comment) : null;
  if (window?.[1] !== undefined && window[2] !== undefined && window[3] !== undefined) {
    return words.windowFromTo(formatDateTime(window[1], language), formatDateTime(window[2], language), window[3]);
  }
  return comment;
}

/** `the run failed: X` as runs wrote RUN_FAILED's error before it carried the error alone: the prefix said twice what the message says once. */
function withoutLegacyFailurePrefix(error: string): string {
  return error.startsWith(LEGACY_FAILURE_PREFIX) ? error.slice(LEGACY_FAILURE_PREFIX.length) : error;
}
const LEGACY_FAILURE_PREFIX = 'the run failed: ';

/** The name of a phase, in the reader's language. */
export function phaseLabel(value: Phase, language: Language): string {
  return WORDS[language].phases[value];
}
/** The name of a run status, in the reader's language. */
export function runStatusLabel(value: RunStatus, language: Language): string {
  return WORDS[language].statuses[value];
}
/** The name of a step state, in the reader's language. */
export function stepStateLabel(value: StepState, language: Language): string {
  return WORDS[language].stepStates[value];
}
/** Where a wave's rehearsal stands (`AWAITING_DECISION`: `attend la décision du client`), in the reader's language. */
export function rehearsalStateLabel(value: RehearsalState, language: Language): string {
  return WORDS[language].rehearsalStates[value];
}
/** The name of a hosting level, in the reader's language. */
export function hostingLevelLabel(value: HostingLevel, language: Language): string {
  return WORDS[language].levels[value];
}
/** The name of an approver role, in the reader's language. */
export function approverRoleLabel(value: ApproverRole, language: Language): string {
  return WORDS[language].roles[value] ?? value;
}
/** The name of a role a token carries (`customer`: `client`, `RSSI`), user or approver role, in the reader's language; an unknown one as it is. */
export function userRoleLabel(value: string, language: Language): string {
  const words = WORDS[language];
  return words.userRoles[value as UserRole] ?? words.roles[value] ?? value;
}
/** The rule or warning a kind of residual risk comes from, as the homologation file cites it, in the reader's language. */
export function riskSourceLabel(code: RiskCode, language: Language): string {
  return WORDS[language].riskSources[code];
}
/** The state of a residual risk, in the reader's language. */
export function riskStateLabel(value: 'OPEN' | 'ACCEPTED' | 'CLOSED', language: Language): string {
  return WORDS[language].riskStates[value];
}
/** The state of a derogation (R10), in the reader's language. */
export function derogationStateLabel(value: DerogationState, language: Language): string {
  return WORDS[language].derogationStates[value];
}
/** What an undo of a clean-up does (`delete`, `switch-back`, `unfreeze`), in the reader's language. */
export function cleanupKindLabel(value: CleanupAction['kind'], language: Language): string {
  return WORDS[language].cleanupKinds[value];
}
/** What became of a workload (`MIGRATED`: `migrée`), in the reader's language. */
export function workloadOutcomeLabel(value: WorkloadOutcome, language: Language): string {
  return WORDS[language].outcomes[value];
}
/** The name of an approval (`rssi`, `dpia`…), in the reader's language; an unknown id as it is. */
export function approvalName(approvalId: string, language: Language): string {
  return WORDS[language].approvals[approvalId] ?? approvalId;
}
/** The name of a workload kind (`database`: `base de données`), in the reader's language; an unknown kind as it is. */
export function workloadKindLabel(value: string, language: Language): string {
  return WORDS[language].kinds[value as WorkloadKind] ?? value;
}
/** The name of a data category, in the reader's language. */
export function dataCategoryLabel(value: DataCategory, language: Language): string {
  return WORDS[language].categories[value];
}
/** The name of a customer type, in the reader's language. */
export function customerTypeLabel(value: CustomerType, language: Language): string {
  return WORDS[language].customerTypes[value];
}

/**
 * A list for a sentence: `a, b et c` or `a, b and c`; beyond five items (or when `total` says
 * there are more than given), `a, b, c, d, e et 12 autres`, so that a reason stays readable
 * for thousands of workloads.
 */
export function formatList(items: readonly string[], language: Language, total = items.length): string {
  const words = WORDS[language];
  if (items.length === 0) return words.none;
  const shown = items.slice(0, LISTED_ITEMS);
  if (total > shown.length) return `${shown.join(', ')} ${words.and} ${words.more(total - shown.length)}`;
  if (items.length === 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${words.and} ${items[items.length - 1] ?? ''}`;
}

/** A date-time for people, in UTC: `31 janvier 2027 à 09:00 UTC`, `31 January 2027, 09:00 UTC`. */
export function formatDateTime(at: string, language: Language): string {
  const time = Date.parse(at);
  if (Number.isNaN(time)) return at;
  const date = new Date(time);
  const day = date.getUTCDate();
  const month = WORDS[language].months[date.getUTCMonth()] ?? '';
  const clock = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())} UTC`;
  return language === 'fr'
    ? `${day === 1 ? '1er' : day} ${month} ${date.getUTCFullYear()} à ${clock}`
    : `${day} ${month} ${date.getUTCFullYear()}, ${clock}`;
}

/**
 * An ISO 8601 duration for people, its two largest units: `11 jours et 2 heures`,
 * `11 days and 2 hours`; a text that is not a duration is shown as it is.
 */
export function formatHumanDuration(iso: string, language: Language): string {
  const milliseconds = tryParseIsoDuration(iso);
  if (milliseconds === undefined) return iso;
  const words = WORDS[language];
  const units: [number, (value: number) => string][] = [
    [86_400_000, words.days],
    [3_600_000, words.hours],
    [60_000, words.minutes],
    [1000, words.seconds],
  ];
  const parts: string[] = [];
  let remaining = milliseconds;
  for (const [size, name] of units) {
    const value = Math.floor(remaining / size);
    remaining -= value * size;
    if (value > 0 && parts.length < 2) parts.push(name(value));
    else if (parts.length > 0) break;
  }
  if (parts.length === 0) return words.seconds(0);
  return parts.join(` ${words.and} `);
}

/**
 * Every fixed text of a language's vocabulary (names of phases, states, levels, roles,
 * approvals, categories, audit actions, step titles, their legal bases, the pictures' words…), a function's text
 * taken with `…` for its parameters, by where it sits: what a reader checks a page against to find words of the
 * other language (test/browser/languages.test.ts). The messages' own sentences come from
 * rendering them ({@link renderMessage}).
 */
export function vocabularyTexts(language: Language): Map<string, string> {
  const texts = new Map<string, string>();
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'string') texts.set(path, value);
    else if (typeof value === 'function') texts.set(path, String((value as (...args: string[]) => unknown)('…', '…', '…')));
    else if (typeof value === 'object' && value !== null) for (const [key, item] of Object.entries(value)) walk(item, `${path}.${key}`);
  };
  walk(WORDS[language], 'words');
  walk(APPROVAL_BASES[language], 'bases');
  walk(PICTURE_TEXTS[language], 'pictures');
  return texts;
}

/** The words of the run's two pictures (domain/estate-pictures.ts): the dashboard's and the homologation file's. */
export interface PictureTexts {
  graphTitle: string;
  graphIntro: string;
  /** The homologation file's introduction of the graph, a still picture. */
  graphIntroPrinted: string;
  graphCaption: (groupBy: string, groups: number, workloads: number) => string;
  groupByLabel: string;
  byWave: string;
  byZone: string;
  legendTitle: string;
  legendHds: string;
  legendHybrid: string;
  legendDependency: string;
  legendOnSite: string;
  onSiteLane: string;
  cloudLane: string;
  wave: (index: number) => string;
  waves: (first: number, last: number) => string;
  notEligible: string;
  unplanned: string;
  unclassified: string;
  workloads: (count: number) => string;
  hds: (count: number) => string;
  hybrid: (count: number) => string;
  groupSummary: (name: string, count: string, hybrid: number) => string;
  graphSummary: (groups: number, workloads: number) => string;
  expandedTitle: (name: string) => string;
  expandedMore: (shown: number, total: number) => string;
  collapse: string;
  noWorkloads: string;
  scheduleTitle: string;
  scheduleIntro: string;
  scheduleCaption: (waves: number, from: string, to: string) => string;
  timeZone: (zone: string) => string;
  legendWindow: string;
  legendExceptional: string;
  legendPlanned: string;
  legendActual: string;
  legendNow: string;
  now: string;
  noWaves: string;
  noWindows: string;
  wavesShown: (shown: number, total: number) => string;
  waveRow: (label: string, state: string) => string;
}

/** {@link PictureTexts} in each language. */
export const PICTURE_TEXTS: Record<Language, PictureTexts> = {
  fr: {
    graphTitle: 'Carte des dépendances',
    graphIntro: 'Chaque boîte regroupe des charges ; les flèches vont d’une charge vers ce dont elle dépend. Cliquez sur un groupe pour voir ses charges.',
    graphIntroPrinted: 'Chaque boîte regroupe des charges, avec leur répartition par niveau d’hébergement ; les flèches vont des charges d’un groupe vers celles dont elles dépendent, avec leur nombre.',
    graphCaption: (groupBy, groups, workloads) => `Figure 1 — Carte des dépendances par ${groupBy} : ${groups} groupes, ${plural(workloads, 'charge', 'charges')}.`,
    groupByLabel: 'Regrouper par',
    byWave: 'vague de bascule',
    byZone: 'zone d’hébergement',
    legendTitle: 'Légende',
    legendHds: 'hébergement de données de santé (HDS)',
    legendHybrid: 'dépendance hybride (vers une charge qui reste sur site)',
    legendDependency: 'dépendance entre groupes (nombre de dépendances)',
    legendOnSite: 'reste sur site (non éligible), à part',
    onSiteLane: 'Reste sur site',
    cloudLane: 'Cloud de confiance',
    wave: (index) => `Vague ${index}`,
    waves: (first, last) => `Vagues ${first} à ${last}`,
    notEligible: 'Non éligibles',
    unplanned: 'Pas encore en vague',
    unclassified: 'Pas encore classées',
    workloads: (count) => `${count} ${count > 1 ? 'charges' : 'charge'}`,
    hds: (count) => `HDS ${count}`,
    hybrid: (count) => `${count} hybride${count > 1 ? 's' : ''}`,
    groupSummary: (name, count, hybrid) => `${name} : ${count}${hybrid > 0 ? `, dont ${hybrid} avec une dépendance hybride` : ''}. Afficher ses charges.`,
    graphSummary: (groups, workloads) => `${groups} groupes, ${workloads} charges`,
    expandedTitle: (name) => `Charges du groupe : ${name}`,
    expandedMore: (shown, total) => `${shown} charges affichées sur ${total}`,
    collapse: 'Refermer',
    noWorkloads: 'Aucune charge.',
    scheduleTitle: 'Calendrier des bascules',
    scheduleIntro: 'Chaque ligne est une vague : la séquence gel → bascule prévue (cadre) et réalisée (barre pleine), sur les fenêtres de bascule.',
    scheduleCaption: (waves, from, to) => `Figure 2 — Calendrier des bascules : ${plural(waves, 'vague', 'vagues')} du ${from} au ${to}.`,
    timeZone: (zone) => `Heures de ${zone}`,
    legendWindow: 'fenêtre de bascule',
    legendExceptional: 'fenêtre exceptionnelle',
    legendPlanned: 'gel → bascule prévus',
    legendActual: 'gel → bascule réalisés',
    legendNow: 'maintenant',
    now: 'maintenant',
    noWaves: 'Aucune vague de bascule planifiée pour l’instant.',
    noWindows: 'Le plan ne restreint pas les bascules à des fenêtres.',
    wavesShown: (shown, total) => `${shown} vagues affichées sur ${total}`,
    waveRow: (label, state) => `${label} — ${state}`,
  },
  en: {
    graphTitle: 'Dependency map',
    graphIntro: 'Each box groups workloads; arrows go from a workload to what it depends on. Click a group to see its workloads.',
    graphIntroPrinted: 'Each box groups workloads, with their split by hosting level; arrows go from the workloads of a group to those they depend on, with their number.',
    graphCaption: (groupBy, groups, workloads) => `Figure 1 — Dependency map by ${groupBy}: ${groups} groups, ${plural(workloads, 'workload', 'workloads')}.`,
    groupByLabel: 'Group by',
    byWave: 'cutover wave',
    byZone: 'hosting zone',
    legendTitle: 'Legend',
    legendHds: 'health data hosting (HDS)',
    legendHybrid: 'hybrid dependency (on a workload that stays on site)',
    legendDependency: 'dependency between groups (number of dependencies)',
    legendOnSite: 'stays on site (not eligible), apart',
    onSiteLane: 'Stays on site',
    cloudLane: 'Trusted cloud',
    wave: (index) => `Wave ${index}`,
    waves: (first, last) => `Waves ${first} to ${last}`,
    notEligible: 'Not eligible',
    unplanned: 'Not in a wave yet',
    unclassified: 'Not classified yet',
    workloads: (count) => `${count} ${count === 1 ? 'workload' : 'workloads'}`,
    hds: (count) => `HDS ${count}`,
    hybrid: (count) => `${count} hybrid`,
    groupSummary: (name, count, hybrid) => `${name}: ${count}${hybrid > 0 ? `, ${hybrid} with a hybrid dependency` : ''}. Show its workloads.`,
    graphSummary: (groups, workloads) => `${groups} groups, ${workloads} workloads`,
    expandedTitle: (name) => `Workloads of the group: ${name}`,
    expandedMore: (shown, total) => `${shown} workloads shown of ${total}`,
    collapse: 'Close',
    noWorkloads: 'No workload.',
    scheduleTitle: 'Cutover schedule',
    scheduleIntro: 'Each row is a wave: its freeze → switch sequence as planned (outline) and as it ran (solid bar), over the cutover windows.',
    scheduleCaption: (waves, from, to) => `Figure 2 — Cutover schedule: ${plural(waves, 'wave', 'waves')} from ${from} to ${to}.`,
    timeZone: (zone) => `Times in ${zone}`,
    legendWindow: 'cutover window',
    legendExceptional: 'exceptional window',
    legendPlanned: 'freeze → switch planned',
    legendActual: 'freeze → switch done',
    legendNow: 'now',
    now: 'now',
    noWaves: 'No cutover wave planned yet.',
    noWindows: 'The plan does not restrict cutovers to windows.',
    wavesShown: (shown, total) => `${shown} waves shown of ${total}`,
    waveRow: (label, state) => `${label} — ${state}`,
  },
};

/** A group of the estate's graph by its name in `words`' language: a wave, a range of waves, a zone or a lane. */
export function graphGroupName(group: GraphGroup, words: PictureTexts): string {
  switch (group.kind) {
    case 'wave':
      return words.wave(group.firstWave ?? 0);
    case 'waves':
      return words.waves(group.firstWave ?? 0, group.lastWave ?? 0);
    case 'zone':
      return group.id;
    case 'not-eligible':
      return words.notEligible;
    case 'unplanned':
      return words.unplanned;
    case 'unclassified':
      return words.unclassified;
  }
}

const LISTED_ITEMS = MESSAGE_LIST_LIMIT;

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

function plural(value: number, one: string, many: string): string {
  return `${value} ${value === 1 ? one : many}`;
}

/** The words a language needs to render messages. */
interface Words {
  and: string;
  none: string;
  more: (count: number) => string;
  months: readonly string[];
  days: (value: number) => string;
  hours: (value: number) => string;
  minutes: (value: number) => string;
  seconds: (value: number) => string;
  phases: Record<Phase, string>;
  statuses: Record<RunStatus, string>;
  stepStates: Record<StepState, string>;
  rehearsalStates: Record<RehearsalState, string>;
  levels: Record<HostingLevel, string>;
  roles: Record<string, string>;
  userRoles: Record<UserRole, string>;
  riskSources: Record<RiskCode, string>;
  riskStates: Record<'OPEN' | 'ACCEPTED' | 'CLOSED', string>;
  derogationStates: Record<DerogationState, string>;
  cleanupKinds: Record<CleanupAction['kind'], string>;
  outcomes: Record<WorkloadOutcome, string>;
  approvals: Record<string, string>;
  categories: Record<DataCategory, string>;
  customerTypes: Record<CustomerType, string>;
  criticalities: Record<Criticality, string>;
  kinds: Record<WorkloadKind, string>;
  gateNeeds: Record<'SECNUMCLOUD_QUALIFICATION' | 'HDS_CERTIFICATE', string>;
  notEligibleCauses: Record<'CLASSIFIED' | 'INDUSTRIAL_CONTROL', string>;
  auditActions: Record<string, string>;
  approvalTarget: (name: string) => string;
  everyPendingApproval: string;
  everyWave: string;
  extendedBy: (duration: string) => string;
  windowFromTo: (opensAt: string, closesAt: string, reason: string) => string;
  cutoverSteps: Record<string, string>;
  stepRehearsal: (waveId: string) => string;
  stepAssessment: string;
  stepClassification: string;
  stepQualification: string;
  stepTenant: string;
  stepM365Tenant: string;
  stepApproval: (name: string) => string;
  stepProvisioning: Record<string, (zoneId: string) => string>;
}

const FR: Words = {
  and: 'et',
  none: 'aucun',
  more: (count) => (count === 1 ? '1 autre' : `${count} autres`),
  months: ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'],
  days: (value) => plural(value, 'jour', 'jours'),
  hours: (value) => plural(value, 'heure', 'heures'),
  minutes: (value) => plural(value, 'minute', 'minutes'),
  seconds: (value) => plural(value, 'seconde', 'secondes'),
  phases: {
    ASSESSMENT: 'évaluation',
    CLASSIFICATION: 'classification',
    AWAITING_APPROVAL: 'attente des approbations',
    AWAITING_QUALIFICATION: 'attente de la qualification',
    PROVISIONING: 'provisionnement',
    CUTOVER: 'bascule',
    DONE: 'terminée',
  },
  statuses: {
    RUNNING: 'en cours',
    WAITING: 'en attente',
    NEEDS_ATTENTION: 'intervention requise',
    PAUSED: 'en pause',
    COMPLETED: 'terminée',
    REJECTED: 'rejetée',
    CANCELLED: 'annulée',
    FAILED: 'en échec',
  },
  stepStates: {
    PENDING: 'à venir',
    RUNNING: 'en cours',
    WAITING: 'en attente',
    SUCCEEDED: 'réussie',
    FAILED: 'en échec',
    SKIPPED: 'ignorée',
    COMPENSATED: 'défaite',
  },
  rehearsalStates: {
    WAITING_FOR_REPLICATION: 'attend la fin de la réplication',
    LAUNCHING: 'lancement et tests de fumée en cours',
    AWAITING_DECISION: 'attend la décision du client',
    TEARING_DOWN: 'démontage des instances de test',
    FAILED: 'en échec',
    PASSED: 'confirmée',
    SKIPPED: 'passée par un opérateur',
  },
  levels: {
    STANDARD: 'cloud standard (UE)',
    SECNUMCLOUD: 'SecNumCloud',
    SECNUMCLOUD_DEDICATED: 'SecNumCloud dédié',
    NOT_ELIGIBLE: 'reste sur site',
  },
  roles: { RSSI: 'RSSI', DPO: 'DPO', HOMOLOGATION_AUTHORITY: 'autorité d’homologation' },
  userRoles: { consultant: 'consultant', customer: 'client', ops: 'exploitation' },
  riskSources: {
    HYBRID_DEPENDENCY: 'R8 : avertissement de dépendance hybride',
    LONG_TRANSFER: 'évaluation : avertissement de transfert de plus d’une semaine',
    EXTRATERRITORIAL_EXPOSURE: 'SecNumCloud 3.2 §19.6',
    DEROGATION: 'R10',
  },
  riskStates: { OPEN: 'ouvert', ACCEPTED: 'accepté', CLOSED: 'clos' },
  derogationStates: { REQUESTED: 'demandée', REFUSED: 'refusée', GRANTED: 'accordée', EXPIRED: 'expirée', REVOKED: 'révoquée', ENDED: 'terminée (qualification obtenue)' },
  cleanupKinds: { delete: 'suppression', 'switch-back': 'retour sur site', unfreeze: 'dégel' },
  outcomes: { MIGRATED: 'migrée', LEFT_OUT: 'reste sur site', SKIPPED: 'ignorée', FAILED: 'en échec', ROLLED_BACK: 'annulée', NOT_MIGRATED: 'non migrée', PENDING: 'à venir' },
  approvals: {
    rssi: 'validation du RSSI',
    dpo: 'avis du délégué à la protection des données',
    dpia: 'analyse d’impact relative à la protection des données (AIPD)',
    homologation: 'décision d’homologation',
    'anssi-notification': 'notification à l’ANSSI',
  },
  categories: {
    PUBLIC: 'données publiques',
    INTERNAL: 'données internes',
    IDENTITY: 'données d’annuaire et d’identité',
    PERSONAL: 'données personnelles',
    PERSONAL_SPECIAL: 'données personnelles sensibles',
    HEALTH: 'données de santé',
    BUSINESS_SECRET: 'secret des affaires',
    LEGALLY_PROTECTED: 'secrets protégés par la loi',
    ESSENTIAL_MISSION: 'données de missions essentielles',
    DIFFUSION_RESTREINTE: 'Diffusion Restreinte',
    SIIV: 'système d’information d’importance vitale',
    CLASSIFIED: 'informations classifiées',
  },
  criticalities: { LOW: 'faible', MEDIUM: 'moyenne', HIGH: 'élevée' },
  kinds: {
    vm: 'machine virtuelle',
    database: 'base de données',
    storage: 'stockage',
    m365: 'Microsoft 365',
    app: 'application',
    kubernetes: 'Kubernetes',
    ot: 'système industriel',
  },
  customerTypes: {
    OIV: 'opérateur d’importance vitale',
    OSE: 'opérateur de services essentiels',
    STATE: 'administration de l’État',
    HOSPITAL: 'établissement de santé',
    LOCAL_AUTHORITY: 'collectivité territoriale',
    PRIVATE: 'entreprise privée',
  },
  gateNeeds: {
    SECNUMCLOUD_QUALIFICATION: 'la qualification SecNumCloud en vigueur',
    HDS_CERTIFICATE: 'la certification HDS',
  },
  notEligibleCauses: {
    CLASSIFIED: 'les informations classifiées restent hors du cloud (IGI 1300)',
    INDUSTRIAL_CONTROL: 'les systèmes industriels restent sur site',
  },
  auditActions: {
    START: 'a lancé la migration',
    APPROVE: 'a approuvé',
    REJECT: 'a rejeté',
    REQUEST_CHANGES: 'a demandé des modifications de',
    AMEND_PLAN: 'a modifié le plan',
    EXTEND_DEADLINE: 'a prolongé le délai de',
    RETRY_STEP: 'a relancé l’étape',
    SKIP_STEP: 'a ignoré l’étape',
    PAUSE: 'a mis la migration en pause',
    RESUME: 'a repris la migration',
    CANCEL: 'a annulé la migration',
    REQUEST_DEROGATION: 'a demandé une dérogation pour',
    GRANT_DEROGATION: 'a accordé une dérogation pour',
    REFUSE_DEROGATION: 'a refusé une dérogation pour',
    RENEW_DEROGATION: 'a renouvelé la dérogation de',
    REVOKE_DEROGATION: 'a révoqué la dérogation de',
    ACKNOWLEDGE_DEROGATION_LAPSE: 'a pris acte de la fin de la dérogation de',
    ACCEPT_RISKS: 'a accepté les risques',
    OPEN_CUTOVER_WINDOW: 'a ouvert une fenêtre de bascule exceptionnelle pour',
    CONFIRM_REHEARSAL: 'a confirmé la répétition',
    REPORT_REHEARSAL_PROBLEM: 'a signalé un problème dans la répétition',
  },
  approvalTarget: (name) => `l’approbation « ${name} »`,
  everyPendingApproval: 'toutes les approbations en attente',
  everyWave: 'toutes les vagues',
  extendedBy: (duration) => `de ${duration}`,
  windowFromTo: (opensAt, closesAt, reason) => `du ${opensAt} au ${closesAt} : ${reason}`,
  cutoverSteps: {
    replicate: 'réplication des données',
    freeze: 'gel de la source',
    'final-sync': 'synchronisation finale',
    validate: 'vérification',
    switch: 'bascule du trafic',
    'smoke-test': 'test de fumée',
    'rehearse-launch': 'répétition : lancement d’une instance de test',
    'rehearse-smoke-test': 'répétition : test de fumée de l’instance de test',
    'rehearse-teardown': 'répétition : suppression de l’instance de test',
  },
  stepRehearsal: (waveId) => `Répétition de ${waveId} (migration de test)`,
  stepAssessment: 'Évaluation de l’inventaire',
  stepClassification: 'Classification des charges',
  stepQualification: 'Qualification du fournisseur (R9)',
  stepTenant: 'Locataire',
  stepM365Tenant: 'Locataire Microsoft 365',
  stepApproval: (name) => `Approbation : ${name}`,
  stepProvisioning: {
    'landing-zone': (zoneId) => `Zone d’accueil ${zoneId}`,
    'key-vault': (zoneId) => `Coffre de clés ${zoneId} (clés gérées par le client, en France)`,
    policies: (zoneId) => `Politiques de localisation et de réseau ${zoneId}`,
    'log-forwarding': (zoneId) => `Transfert des journaux ${zoneId}`,
    'drift-check': (zoneId) => `Contrôle de dérive ${zoneId} (politiques, clé, localisation)`,
  },
};

const EN: Words = {
  and: 'and',
  none: 'none',
  more: (count) => `${count} more`,
  months: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  days: (value) => plural(value, 'day', 'days'),
  hours: (value) => plural(value, 'hour', 'hours'),
  minutes: (value) => plural(value, 'minute', 'minutes'),
  seconds: (value) => plural(value, 'second', 'seconds'),
  phases: {
    ASSESSMENT: 'assessment',
    CLASSIFICATION: 'classification',
    AWAITING_APPROVAL: 'awaiting approval',
    AWAITING_QUALIFICATION: 'awaiting qualification',
    PROVISIONING: 'provisioning',
    CUTOVER: 'cutover',
    DONE: 'done',
  },
  statuses: {
    RUNNING: 'running',
    WAITING: 'waiting',
    NEEDS_ATTENTION: 'needs attention',
    PAUSED: 'paused',
    COMPLETED: 'completed',
    REJECTED: 'rejected',
    CANCELLED: 'cancelled',
    FAILED: 'failed',
  },
  stepStates: {
    PENDING: 'pending',
    RUNNING: 'running',
    WAITING: 'waiting',
    SUCCEEDED: 'succeeded',
    FAILED: 'failed',
    SKIPPED: 'skipped',
    COMPENSATED: 'undone',
  },
  rehearsalStates: {
    WAITING_FOR_REPLICATION: 'waiting for replication to finish',
    LAUNCHING: 'launching and smoke-testing',
    AWAITING_DECISION: 'awaiting the customer’s decision',
    TEARING_DOWN: 'tearing the test instances down',
    FAILED: 'failed',
    PASSED: 'confirmed',
    SKIPPED: 'skipped by an operator',
  },
  levels: {
    STANDARD: 'standard cloud (EU)',
    SECNUMCLOUD: 'SecNumCloud',
    SECNUMCLOUD_DEDICATED: 'dedicated SecNumCloud',
    NOT_ELIGIBLE: 'stays on site',
  },
  roles: { RSSI: 'CISO (RSSI)', DPO: 'DPO', HOMOLOGATION_AUTHORITY: 'homologation authority' },
  userRoles: { consultant: 'consultant', customer: 'customer', ops: 'operations' },
  riskSources: {
    HYBRID_DEPENDENCY: 'R8: hybrid dependency warning',
    LONG_TRANSFER: 'assessment: transfer over a week warning',
    EXTRATERRITORIAL_EXPOSURE: 'SecNumCloud 3.2 §19.6',
    DEROGATION: 'R10',
  },
  riskStates: { OPEN: 'open', ACCEPTED: 'accepted', CLOSED: 'closed' },
  derogationStates: { REQUESTED: 'requested', REFUSED: 'refused', GRANTED: 'granted', EXPIRED: 'expired', REVOKED: 'revoked', ENDED: 'ended (qualification obtained)' },
  cleanupKinds: { delete: 'delete', 'switch-back': 'switch back', unfreeze: 'unfreeze' },
  outcomes: { MIGRATED: 'migrated', LEFT_OUT: 'stays on site', SKIPPED: 'skipped', FAILED: 'failed', ROLLED_BACK: 'rolled back', NOT_MIGRATED: 'not migrated', PENDING: 'pending' },
  approvals: {
    rssi: 'CISO sign-off',
    dpo: 'data protection officer’s opinion',
    dpia: 'data protection impact assessment (DPIA)',
    homologation: 'homologation decision',
    'anssi-notification': 'notification to ANSSI',
  },
  categories: {
    PUBLIC: 'public data',
    INTERNAL: 'internal data',
    IDENTITY: 'directory and identity data',
    PERSONAL: 'personal data',
    PERSONAL_SPECIAL: 'special-category personal data',
    HEALTH: 'health data',
    BUSINESS_SECRET: 'business secrets',
    LEGALLY_PROTECTED: 'secrets protected by law',
    ESSENTIAL_MISSION: 'essential-mission data',
    DIFFUSION_RESTREINTE: 'Diffusion Restreinte',
    SIIV: 'vital information system',
    CLASSIFIED: 'classified information',
  },
  criticalities: { LOW: 'low', MEDIUM: 'medium', HIGH: 'high' },
  kinds: {
    vm: 'virtual machine',
    database: 'database',
    storage: 'storage',
    m365: 'Microsoft 365',
    app: 'application',
    kubernetes: 'Kubernetes',
    ot: 'industrial system',
  },
  customerTypes: {
    OIV: 'operator of vital importance',
    OSE: 'operator of essential services',
    STATE: 'State administration',
    HOSPITAL: 'hospital',
    LOCAL_AUTHORITY: 'local authority',
    PRIVATE: 'private company',
  },
  gateNeeds: {
    SECNUMCLOUD_QUALIFICATION: 'a SecNumCloud qualification in force',
    HDS_CERTIFICATE: 'an HDS certificate',
  },
  notEligibleCauses: {
    CLASSIFIED: 'classified information stays off the cloud (IGI 1300)',
    INDUSTRIAL_CONTROL: 'industrial control systems stay on site',
  },
  auditActions: {
    START: 'started the run',
    APPROVE: 'approved',
    REJECT: 'rejected',
    REQUEST_CHANGES: 'requested changes to',
    AMEND_PLAN: 'amended the plan',
    EXTEND_DEADLINE: 'extended the deadline of',
    RETRY_STEP: 'retried step',
    SKIP_STEP: 'skipped step',
    PAUSE: 'paused the run',
    RESUME: 'resumed the run',
    CANCEL: 'cancelled the run',
    REQUEST_DEROGATION: 'requested a derogation for',
    GRANT_DEROGATION: 'granted a derogation for',
    REFUSE_DEROGATION: 'refused a derogation for',
    RENEW_DEROGATION: 'renewed the derogation of',
    REVOKE_DEROGATION: 'revoked the derogation of',
    ACKNOWLEDGE_DEROGATION_LAPSE: 'acknowledged the end of the derogation of',
    ACCEPT_RISKS: 'accepted the risks',
    OPEN_CUTOVER_WINDOW: 'opened an exceptional cutover window for',
    CONFIRM_REHEARSAL: 'confirmed the rehearsal',
    REPORT_REHEARSAL_PROBLEM: 'reported a problem with the rehearsal',
  },
  approvalTarget: (name) => `the ${name}`,
  everyPendingApproval: 'every pending approval',
  everyWave: 'every wave',
  extendedBy: (duration) => `by ${duration}`,
  windowFromTo: (opensAt, closesAt, reason) => `${opensAt} to ${closesAt}: ${reason}`,
  cutoverSteps: {
    replicate: 'replicate data',
    freeze: 'freeze the source',
    'final-sync': 'final sync',
    validate: 'validate',
    switch: 'switch traffic',
    'smoke-test': 'smoke test',
    'rehearse-launch': 'rehearsal: launch a test instance',
    'rehearse-smoke-test': 'rehearsal: smoke-test the test instance',
    'rehearse-teardown': 'rehearsal: tear the test instance down',
  },
  stepRehearsal: (waveId) => `Rehearsal of ${waveId} (test migration)`,
  stepAssessment: 'Assess the inventory',
  stepClassification: 'Classify the workloads',
  stepQualification: 'Provider qualification (R9)',
  stepTenant: 'Tenant',
  stepM365Tenant: 'Microsoft 365 tenant',
  stepApproval: (name) => `Approval: ${name}`,
  stepProvisioning: {
    'landing-zone': (zoneId) => `Landing zone ${zoneId}`,
    'key-vault': (zoneId) => `Key vault ${zoneId} (customer-managed keys, France)`,
    policies: (zoneId) => `Location and network policies ${zoneId}`,
    'log-forwarding': (zoneId) => `Log forwarding ${zoneId}`,
    'drift-check': (zoneId) => `Drift check ${zoneId} (policies, key, location)`,
  },
};

const WORDS: Record<Language, Words> = { fr: FR, en: EN };

type Texts = { [C in MessageCode]: (params: MessageParams<C>, words: Words) => string };

const FRENCH: Texts = {
  RUN_STARTED: ({ actor }) => `Migration lancée par ${actor}`,
  PHASE_ENTERED: ({ phase: value }, w) => `Phase : ${w.phases[value]}`,
  STEP_STATE_CHANGED: ({ stepId, state, workloadName }, w) => `${renderStepTitle(stepId, 'fr', workloadName)} : ${w.stepStates[state]}`,
  AUDIT_RECORDED: ({ actor, action, target }) => `${actor} ${auditActionLabel(action, 'fr')}${target ? ` ${auditTargetLabel(target, 'fr')}` : ''}`,
  QUALIFICATION_SIGNALLED: () => 'Le statut de qualification du fournisseur a peut-être changé : nouvelle vérification',
  APPROVALS_REQUESTED: ({ round, approvalIds }) => `Tour ${round} : approbations demandées (${formatList(approvalIds.map((approvalId) => approvalName(approvalId, 'fr')), 'fr')})`,
  APPROVAL_REMINDER: ({ approvalId, role, dueAt }, w) =>
    `Rappel : l’approbation « ${approvalName(approvalId, 'fr')} » (${w.roles[role] ?? role}) est attendue avant le ${formatDateTime(dueAt, 'fr')}`,
  APPROVAL_ESCALATED: ({ approvalId, role, dueAt }, w) =>
    `L’approbation « ${approvalName(approvalId, 'fr')} » (${w.roles[role] ?? role}) est en retard depuis le ${formatDateTime(dueAt, 'fr')} : escalade`,
  NOTIFICATION_FAILED: ({ kind, error }) => `La notification ${kind} n’a pas pu être envoyée : ${error}`,
  WAVES_PLANNED: ({ waves, workloads, maxWaveSize }) =>
    `${plural(waves, 'vague planifiée', 'vagues planifiées')} pour ${plural(workloads, 'charge', 'charges')}${maxWaveSize === undefined ? '' : ` (au plus ${maxWaveSize} par vague)`}`,
  WAVE_DONE: ({ waveId, migrated, skipped }) => `${waveId} : ${plural(migrated, 'charge basculée', 'charges basculées')}, ${plural(skipped, 'ignorée', 'ignorées')}`,
  WAVE_NOT_STARTED: ({ waveId, workloads }) => `${waveId} non lancée : ${plural(workloads, 'charge reste', 'charges restent')} sur leur source`,
  WAVE_HELD_BY_RISKS: ({ waveId, riskIds, riskCount }) =>
    `${waveId} attend que leur responsable accepte les risques résiduels ${formatList(riskIds, 'fr', riskCount)}`,
  CANCELLING: ({ undoing }) => (undoing ? 'Annulation : ce qui a été fait est en cours de retrait' : 'Annulation'),
  COMPENSATING: () => 'Retrait de ce qui a été fait',
  COMPENSATION_FAILED: ({ stepId, kind, error }) => `Impossible de défaire ${renderStepTitle(stepId, 'fr')} (${kind}) : ${error}`,
  RUN_COMPLETED: () => 'Migration terminée',
  RUN_REJECTED: ({ approvalId, actor, comment }) =>
    `Migration rejetée : ${actor} a refusé l’approbation « ${approvalName(approvalId, 'fr')} »${comment ? ` (« ${comment} »)` : ''}`,
  RUN_CANCELLED: ({ actor, reason }) =>
    actor === undefined ? 'Migration annulée : le workflow a été annulé' : `Migration annulée par ${actor}${reason ? ` (« ${reason} »)` : ''}`,
  RUN_FAILED: ({ error }) => `Migration en échec : ${withoutLegacyFailurePrefix(error)}`,
  CUTOVER_WINDOW_OPENED: ({ waveId, opensAt, closesAt, actor }) =>
    `Fenêtre de bascule exceptionnelle ${waveId === undefined ? 'pour toutes les vagues' : `pour ${waveId}`}, du ${formatDateTime(opensAt, 'fr')} au ${formatDateTime(closesAt, 'fr')}, ouverte par ${actor}`,
  ATTENTION_STEP_FAILED: ({ stepId, error, workloadName }) => `${renderStepTitle(stepId, 'fr', workloadName)} a échoué : ${error}`,
  ATTENTION_RESTORE_FAILED: ({ workloadName, error }) => `${workloadName} : la source n’a pas pu être remise en service : ${error}`,
  ATTENTION_REHEARSAL_FAILED: ({ waveId, error }) => `La répétition de ${waveId} a échoué : ${error} ; les sources restent en service jusqu’à ce qu’un opérateur la relance ou la passe`,
  ATTENTION_APPROVAL_OVERDUE: ({ approvalId, role, dueAt }, w) =>
    `L’approbation « ${approvalName(approvalId, 'fr')} » (${w.roles[role] ?? role}) est en retard depuis le ${formatDateTime(dueAt, 'fr')} : prolongez le délai ou annulez`,
  ATTENTION_DEROGATION_EXPIRED: ({ zoneId, revoked, at }) =>
    `La dérogation de la zone ${zoneId} ${revoked ? 'a été révoquée' : 'a expiré'} le ${formatDateTime(at, 'fr')}, avant la qualification : renouvelez-la ou décidez de la suite ; rien de ce qui a déjà basculé n’est défait`,
  ATTENTION_NO_CUTOVER_WINDOW: ({ waveId, switchoverDuration }) =>
    `${waveId} : aucune fenêtre de bascule restante ne laisse le temps de basculer (${formatHumanDuration(switchoverDuration, 'fr')}) ; l’exploitation peut ouvrir une fenêtre exceptionnelle`,
  STEP_SKIPPED_BY_OPERATOR: () => 'ignorée par l’exploitation',
  STEP_UNDONE_AFTER_FAILURE: ({ failedStep }, w) => `défaite après l’échec de l’étape « ${w.cutoverSteps[failedStep] ?? failedStep} »`,
  STEP_UNDONE_WINDOW_CLOSED: () => 'défaite : la fenêtre de bascule s’est refermée avant la bascule',
  STEP_UNDONE_RUN_CANCELLED: () => 'défaite à l’annulation de la migration',
  WORKLOAD_RUN_ENDED: ({ status }, w) => `la migration s’est achevée (${w.statuses[status]}) avant cette charge`,
  NOTIFY_APPROVAL_DUE: ({ approvalId, dueAt }) => `L’approbation « ${approvalName(approvalId, 'fr')} » est attendue avant le ${formatDateTime(dueAt, 'fr')}`,
  NOTIFY_APPROVAL_OVERDUE: ({ approvalId, dueAt }) =>
    `L’approbation « ${approvalName(approvalId, 'fr')} » était attendue le ${formatDateTime(dueAt, 'fr')} ; l’exploitation doit prolonger le délai ou annuler`,
  NOTIFY_STEP_FAILED: ({ stepId, error }) => `${renderStepTitle(stepId, 'fr')} a échoué : ${error}`,
  GATE_WAITS_FOR_SECNUMCLOUD: ({ milestone, neededBy, neededByCount }) =>
    `Qualification SecNumCloud en vigueur (le fournisseur est au jalon ${milestone}), requise par ${formatList(neededBy, 'fr', neededByCount)}`,
  GATE_WAITS_FOR_HDS: ({ neededBy, neededByCount }) => `Certification HDS, requise par ${formatList(neededBy, 'fr', neededByCount)}`,
  GATE_CREDENTIALS_UNREADABLE: ({ error }) => `Les qualifications du fournisseur n’ont pas pu être lues (${error})`,
  GATE_ZONE_WAITS: ({ zoneId, needs, milestone }, w) =>
    `La zone ${zoneId} attend ${formatList(needs.map((need) => w.gateNeeds[need]), 'fr')}${needs.includes('SECNUMCLOUD_QUALIFICATION') ? ` (jalon actuel : ${milestone})` : ''}`,
  GATE_ZONE_CLEARED: ({ zoneId, derogationId }) =>
    `La zone ${zoneId} peut être provisionnée${derogationId === undefined ? '' : ` au titre de la dérogation ${derogationId}`}`,
  GATE_WORKLOAD_WAITS: ({ workloadId, zoneIds }) => `${workloadId} attend avec ${zoneIds.length === 1 ? 'la zone' : 'les zones'} ${formatList(zoneIds, 'fr')}`,
  DEROGATION_REQUESTED: ({ zoneId, actor }) => `Dérogation demandée par ${actor} pour la zone ${zoneId}`,
  DEROGATION_GRANTED: ({ zoneId, actor, expiresAt }) =>
    `Dérogation accordée par ${actor} pour la zone ${zoneId}, jusqu’au ${formatDateTime(expiresAt, 'fr')}`,
  DEROGATION_REFUSED: ({ zoneId, actor }) => `Dérogation refusée par ${actor} pour la zone ${zoneId}`,
  DEROGATION_RENEWED: ({ zoneId, actor, expiresAt }) =>
    `Dérogation de la zone ${zoneId} renouvelée par ${actor}, jusqu’au ${formatDateTime(expiresAt, 'fr')}`,
  DEROGATION_REVOKED: ({ zoneId, actor }) => `Dérogation de la zone ${zoneId} révoquée par ${actor}`,
  DEROGATION_EXPIRED: ({ zoneId, at }) => `La dérogation de la zone ${zoneId} a expiré le ${formatDateTime(at, 'fr')}`,
  DEROGATION_ENDED: ({ zoneId }) => `La qualification SecNumCloud est en vigueur : la dérogation de la zone ${zoneId} prend fin`,
  DEROGATION_LAPSE_ACKNOWLEDGED: ({ zoneId, actor }) =>
    `${actor} a pris acte de la fin de la dérogation de la zone ${zoneId} : la zone attend la qualification`,
  NOT_ELIGIBLE: ({ causes }, w) => capitalize(causes.map((cause) => w.notEligibleCauses[cause]).join(' ; ')),
  WARNING_HYBRID_DEPENDENCY: ({ workloadId, dependsOn, causes }, w) =>
    `${workloadId} dépend de ${dependsOn}, qui reste hors du cloud${causes.length > 0 ? ` (${causes.map((cause) => w.notEligibleCauses[cause]).join(' ; ')})` : ''} : elle accédera au système resté sur site`,
  WARNING_TRANSFER_OVER_A_WEEK: ({ sizeGb, bandwidthMbps, duration }) =>
    `Copier ${formatNumber(sizeGb, 'fr')} Go à ${formatNumber(bandwidthMbps, 'fr')} Mbit/s prend ${formatHumanDuration(duration, 'fr')}, plus d’une semaine : lancez la réplication tôt ou expédiez les données`,
  APPROVAL_NEEDED_ALWAYS: () => 'toujours requise',
  APPROVAL_NEEDED_FOR_CATEGORY: ({ category, workloadIds, workloadCount }, w) =>
    `${capitalize(w.categories[category])} dans ${formatList(workloadIds, 'fr', workloadCount)}`,
  APPROVAL_NEEDED_FOR_LEVEL: ({ level, workloadIds, workloadCount }, w) => `Hébergement ${w.levels[level]} pour ${formatList(workloadIds, 'fr', workloadCount)}`,
  APPROVAL_BASIS: ({ approvalId }) => APPROVAL_BASES.fr[approvalId] ?? approvalId,
  APPROVAL_NEEDED_FOR_CUSTOMER_TYPE: ({ customerType }, w) => `Client de type ${w.customerTypes[customerType]} (homologation RGS / PSSIE)`,
  RISK_HYBRID_DEPENDENCY: ({ workloadId, dependsOn }) =>
    `${workloadId} migre mais dépend de ${dependsOn}, qui reste sur site : un flux hybride entre le cloud et le site subsiste`,
  RISK_LONG_TRANSFER: ({ workloadId, sizeGb, duration }) =>
    `Le transfert de ${workloadId} (${formatNumber(sizeGb, 'fr')} Go) prend ${formatHumanDuration(duration, 'fr')}, plus d’une semaine : la fenêtre de bascule et la cohérence des données sont exposées`,
  RISK_EXTRATERRITORIAL_EXPOSURE: ({ workloadId, categories: held }, w) =>
    `${workloadId} (${formatList(held.map((category) => w.categories[category]), 'fr')}) est hébergée sur une offre standard, sans l’immunité aux lois extraterritoriales qu’exige SecNumCloud 3.2 §19.6`,
  RISK_DEROGATION: ({ zoneId, workloadIds, workloadCount, expiresAt }) =>
    `La zone ${zoneId} (${formatList(workloadIds, 'fr', workloadCount)}) est hébergée sous dérogation sur une offre pas encore qualifiée SecNumCloud${expiresAt === undefined ? '' : `, jusqu’au ${formatDateTime(expiresAt, 'fr')}`}`,
  RISKS_OPENED: ({ riskIds, riskCount }) =>
    `${riskCount > 1 ? 'Nouveaux risques résiduels, ouverts jusqu’à leur acceptation' : 'Nouveau risque résiduel, ouvert jusqu’à son acceptation'} : ${formatList(riskIds, 'fr', riskCount)}`,
  RISKS_CLOSED: ({ riskIds, riskCount }) =>
    `${riskCount > 1 ? 'Risques résiduels clos (leur cause a disparu)' : 'Risque résiduel clos (sa cause a disparu)'} : ${formatList(riskIds, 'fr', riskCount)}`,
  RISKS_ACCEPTED: ({ actor, riskIds, riskCount, onHomologation }) =>
    `${actor} a accepté ${plural(riskCount, 'risque résiduel', 'risques résiduels')}${onHomologation ? ' en prononçant l’homologation' : ''}${riskIds.length > 0 ? ` : ${formatList(riskIds, 'fr', riskCount)}` : ''}`,
  DRAFT_EDITED: (params, w) => {
    const what = [
      params.categories === undefined ? undefined : params.categories.length === 0 ? 'catégories effacées' : `catégories : ${formatList(params.categories.map((category) => w.categories[category]), 'fr', params.categories.length)}`,
      params.criticality === undefined ? undefined : `criticité ${w.criticalities[params.criticality]}`,
      params.kind === undefined ? undefined : `type ${w.kinds[params.kind]}`,
      params.excludedReason === undefined ? undefined : `exclue (${params.excludedReason})`,
      params.included ? 'réintégrée dans la migration' : undefined,
    ].filter((part): part is string => part !== undefined);
    const which = [
      params.application === undefined ? undefined : `l’application ${params.application}`,
      params.ofKind === undefined ? undefined : `le type ${w.kinds[params.ofKind]}`,
      params.nameContains === undefined ? undefined : `les noms contenant « ${params.nameContains} »`,
      params.untagged ? 'les charges sans catégorie' : undefined,
    ].filter((part): part is string => part !== undefined);
    const changed = params.workloadCount === 0 ? 'aucune charge modifiée' : `${plural(params.workloadCount, 'charge modifiée', 'charges modifiées')} : ${formatList(params.workloadIds, 'fr', params.workloadCount)}`;
    return `${capitalize(what.join(' ; '))}${which.length > 0 ? ` pour ${which.join(', ')}` : ''} (${changed})`;
  },
  DRAFT_IMPORTED: ({ workloadCount }) => `${plural(workloadCount, 'charge importée', 'charges importées')}`,
  DRAFT_COMMENTED: ({ workloadId }) => (workloadId === undefined ? 'Commentaire sur le brouillon' : `Commentaire sur ${workloadId}`),
  DRAFT_RUN_STARTED: ({ runId, revision }) => `Migration ${runId} lancée depuis la révision ${revision}`,
};

const ENGLISH: Texts = {
  RUN_STARTED: ({ actor }) => `Run started by ${actor}`,
  PHASE_ENTERED: ({ phase: value }, w) => `Phase: ${w.phases[value]}`,
  STEP_STATE_CHANGED: ({ stepId, state, workloadName }, w) => `${renderStepTitle(stepId, 'en', workloadName)}: ${w.stepStates[state]}`,
  AUDIT_RECORDED: ({ actor, action, target }) => `${actor} ${auditActionLabel(action, 'en')}${target ? ` ${auditTargetLabel(target, 'en')}` : ''}`,
  QUALIFICATION_SIGNALLED: () => 'Told that the provider’s qualification may have changed: checking again',
  APPROVALS_REQUESTED: ({ round, approvalIds }) => `Round ${round}: approvals requested (${formatList(approvalIds.map((approvalId) => approvalName(approvalId, 'en')), 'en')})`,
  APPROVAL_REMINDER: ({ approvalId, role, dueAt }, w) =>
    `Reminder: the ${approvalName(approvalId, 'en')} (${w.roles[role] ?? role}) is due by ${formatDateTime(dueAt, 'en')}`,
  APPROVAL_ESCALATED: ({ approvalId, role, dueAt }, w) =>
    `The ${approvalName(approvalId, 'en')} (${w.roles[role] ?? role}) is overdue since ${formatDateTime(dueAt, 'en')}: escalated`,
  NOTIFICATION_FAILED: ({ kind, error }) => `Could not send the ${kind} notification: ${error}`,
  WAVES_PLANNED: ({ waves, workloads, maxWaveSize }) =>
    `${plural(waves, 'wave', 'waves')} planned over ${plural(workloads, 'workload', 'workloads')}${maxWaveSize === undefined ? '' : ` (at most ${maxWaveSize} per wave)`}`,
  WAVE_DONE: ({ waveId, migrated, skipped }) => `${waveId}: ${migrated} migrated, ${skipped} skipped`,
  WAVE_NOT_STARTED: ({ waveId, workloads }) => `${waveId}: not started, ${plural(workloads, 'workload stays', 'workloads stay')} on their sources`,
  WAVE_HELD_BY_RISKS: ({ waveId, riskIds, riskCount }) => `${waveId} waits until the owners accept the residual risks ${formatList(riskIds, 'en', riskCount)}`,
  CANCELLING: ({ undoing }) => (undoing ? 'Cancelling: undoing what was done' : 'Cancelling'),
  COMPENSATING: () => 'Undoing what was done',
  COMPENSATION_FAILED: ({ stepId, kind, error }) => `Could not undo ${renderStepTitle(stepId, 'en')} (${kind}): ${error}`,
  RUN_COMPLETED: () => 'Run completed',
  RUN_REJECTED: ({ approvalId, actor, comment }) => `Run rejected: the ${approvalName(approvalId, 'en')} was refused by ${actor}${comment ? ` (“${comment}”)` : ''}`,
  RUN_CANCELLED: ({ actor, reason }) =>
    actor === undefined ? 'Run cancelled: the workflow was cancelled' : `Run cancelled by ${actor}${reason ? ` (“${reason}”)` : ''}`,
  RUN_FAILED: ({ error }) => `Run failed: ${withoutLegacyFailurePrefix(error)}`,
  CUTOVER_WINDOW_OPENED: ({ waveId, opensAt, closesAt, actor }) =>
    `Exceptional cutover window for ${waveId ?? 'every wave'}, ${formatDateTime(opensAt, 'en')} to ${formatDateTime(closesAt, 'en')}, opened by ${actor}`,
  ATTENTION_STEP_FAILED: ({ stepId, error, workloadName }) => `${renderStepTitle(stepId, 'en', workloadName)} failed: ${error}`,
  ATTENTION_RESTORE_FAILED: ({ workloadName, error }) => `${workloadName}: the source could not be made live again: ${error}`,
  ATTENTION_REHEARSAL_FAILED: ({ waveId, error }) => `The rehearsal of ${waveId} failed: ${error}; every source stays live until an operator retries or skips it`,
  ATTENTION_APPROVAL_OVERDUE: ({ approvalId, role, dueAt }, w) =>
    `The ${approvalName(approvalId, 'en')} (${w.roles[role] ?? role}) is overdue since ${formatDateTime(dueAt, 'en')}: extend the deadline or cancel`,
  ATTENTION_DEROGATION_EXPIRED: ({ zoneId, revoked, at }) =>
    `The derogation of zone ${zoneId} ${revoked ? 'was revoked' : 'expired'} on ${formatDateTime(at, 'en')}, before the qualification: renew it or decide what follows; nothing already migrated is undone`,
  ATTENTION_NO_CUTOVER_WINDOW: ({ waveId, switchoverDuration }) =>
    `${waveId}: no cutover window is left that holds its switchover (${formatHumanDuration(switchoverDuration, 'en')}); ops may open an exceptional window`,
  STEP_SKIPPED_BY_OPERATOR: () => 'skipped by an operator',
  STEP_UNDONE_AFTER_FAILURE: ({ failedStep }) => `undone after ${failedStep} failed`,
  STEP_UNDONE_WINDOW_CLOSED: () => 'undone: the cutover window closed before the switch',
  STEP_UNDONE_RUN_CANCELLED: () => 'undone when the run was cancelled',
  WORKLOAD_RUN_ENDED: ({ status }, w) => `the run ended ${w.statuses[status]} before this workload`,
  NOTIFY_APPROVAL_DUE: ({ approvalId, dueAt }) => `The ${approvalName(approvalId, 'en')} is due by ${formatDateTime(dueAt, 'en')}`,
  NOTIFY_APPROVAL_OVERDUE: ({ approvalId, dueAt }) =>
    `The ${approvalName(approvalId, 'en')} was due on ${formatDateTime(dueAt, 'en')}; an operator must extend the deadline or cancel`,
  NOTIFY_STEP_FAILED: ({ stepId, error }) => `${renderStepTitle(stepId, 'en')} failed: ${error}`,
  GATE_WAITS_FOR_SECNUMCLOUD: ({ milestone, neededBy, neededByCount }) =>
    `SecNumCloud qualification in force (the provider is at milestone ${milestone}), needed by ${formatList(neededBy, 'en', neededByCount)}`,
  GATE_WAITS_FOR_HDS: ({ neededBy, neededByCount }) => `HDS certificate, needed by ${formatList(neededBy, 'en', neededByCount)}`,
  GATE_CREDENTIALS_UNREADABLE: ({ error }) => `The provider’s credentials could not be read (${error})`,
  GATE_ZONE_WAITS: ({ zoneId, needs, milestone }, w) =>
    `Zone ${zoneId} waits for ${formatList(needs.map((need) => w.gateNeeds[need]), 'en')}${needs.includes('SECNUMCLOUD_QUALIFICATION') ? ` (milestone now: ${milestone})` : ''}`,
  GATE_ZONE_CLEARED: ({ zoneId, derogationId }) => `Zone ${zoneId} may be provisioned${derogationId === undefined ? '' : ` under derogation ${derogationId}`}`,
  GATE_WORKLOAD_WAITS: ({ workloadId, zoneIds }) => `${workloadId} waits with ${zoneIds.length === 1 ? 'zone' : 'zones'} ${formatList(zoneIds, 'en')}`,
  DEROGATION_REQUESTED: ({ zoneId, actor }) => `Derogation requested by ${actor} for zone ${zoneId}`,
  DEROGATION_GRANTED: ({ zoneId, actor, expiresAt }) => `Derogation granted by ${actor} for zone ${zoneId}, until ${formatDateTime(expiresAt, 'en')}`,
  DEROGATION_REFUSED: ({ zoneId, actor }) => `Derogation refused by ${actor} for zone ${zoneId}`,
  DEROGATION_RENEWED: ({ zoneId, actor, expiresAt }) => `Derogation of zone ${zoneId} renewed by ${actor}, until ${formatDateTime(expiresAt, 'en')}`,
  DEROGATION_REVOKED: ({ zoneId, actor }) => `Derogation of zone ${zoneId} revoked by ${actor}`,
  DEROGATION_EXPIRED: ({ zoneId, at }) => `The derogation of zone ${zoneId} expired on ${formatDateTime(at, 'en')}`,
  DEROGATION_ENDED: ({ zoneId }) => `The SecNumCloud qualification is in force: the derogation of zone ${zoneId} ends`,
  DEROGATION_LAPSE_ACKNOWLEDGED: ({ zoneId, actor }) => `${actor} acknowledged the end of the derogation of zone ${zoneId}: the zone waits for the qualification`,
  NOT_ELIGIBLE: ({ causes }, w) => capitalize(causes.map((cause) => w.notEligibleCauses[cause]).join('; ')),
  WARNING_HYBRID_DEPENDENCY: ({ workloadId, dependsOn, causes }, w) =>
    `${workloadId} depends on ${dependsOn}, which stays out of the cloud${causes.length > 0 ? ` (${causes.map((cause) => w.notEligibleCauses[cause]).join('; ')})` : ''}: it will reach back on-premises`,
  WARNING_TRANSFER_OVER_A_WEEK: ({ sizeGb, bandwidthMbps, duration }) =>
    `Copying ${formatNumber(sizeGb, 'en')} GB at ${formatNumber(bandwidthMbps, 'en')} Mbit/s takes ${formatHumanDuration(duration, 'en')}, more than a week: plan replication early or ship the data`,
  APPROVAL_NEEDED_ALWAYS: () => 'always required',
  APPROVAL_NEEDED_FOR_CATEGORY: ({ category, workloadIds, workloadCount }, w) => `${capitalize(w.categories[category])} in ${formatList(workloadIds, 'en', workloadCount)}`,
  APPROVAL_NEEDED_FOR_LEVEL: ({ level, workloadIds, workloadCount }, w) => `${w.levels[level]} hosting for ${formatList(workloadIds, 'en', workloadCount)}`,
  APPROVAL_BASIS: ({ approvalId }) => APPROVAL_BASES.en[approvalId] ?? approvalId,
  APPROVAL_NEEDED_FOR_CUSTOMER_TYPE: ({ customerType }, w) => `Customer type: ${w.customerTypes[customerType]} (RGS / PSSIE homologation)`,
  RISK_HYBRID_DEPENDENCY: ({ workloadId, dependsOn }) =>
    `${workloadId} migrates but depends on ${dependsOn}, which stays on site: a hybrid flow between the cloud and the premises remains`,
  RISK_LONG_TRANSFER: ({ workloadId, sizeGb, duration }) =>
    `Transferring ${workloadId} (${formatNumber(sizeGb, 'en')} GB) takes ${formatHumanDuration(duration, 'en')}, more than a week: the cutover window and data consistency are exposed`,
  RISK_EXTRATERRITORIAL_EXPOSURE: ({ workloadId, categories: held }, w) =>
    `${workloadId} (${formatList(held.map((category) => w.categories[category]), 'en')}) is hosted on a standard offer, without the immunity from extraterritorial laws that SecNumCloud 3.2 §19.6 requires`,
  RISK_DEROGATION: ({ zoneId, workloadIds, workloadCount, expiresAt }) =>
    `Zone ${zoneId} (${formatList(workloadIds, 'en', workloadCount)}) is hosted under a derogation on an offer not yet SecNumCloud-qualified${expiresAt === undefined ? '' : `, until ${formatDateTime(expiresAt, 'en')}`}`,
  RISKS_OPENED: ({ riskIds, riskCount }) =>
    `${riskCount > 1 ? 'New residual risks, open until accepted' : 'New residual risk, open until accepted'}: ${formatList(riskIds, 'en', riskCount)}`,
  RISKS_CLOSED: ({ riskIds, riskCount }) =>
    `${riskCount > 1 ? 'Residual risks closed (their cause disappeared)' : 'Residual risk closed (its cause disappeared)'}: ${formatList(riskIds, 'en', riskCount)}`,
  RISKS_ACCEPTED: ({ actor, riskIds, riskCount, onHomologation }) =>
    `${actor} accepted ${plural(riskCount, 'residual risk', 'residual risks')}${onHomologation ? ' with the homologation decision' : ''}${riskIds.length > 0 ? `: ${formatList(riskIds, 'en', riskCount)}` : ''}`,
  DRAFT_EDITED: (params, w) => {
    const what = [
      params.categories === undefined ? undefined : params.categories.length === 0 ? 'categories cleared' : `categories: ${formatList(params.categories.map((category) => w.categories[category]), 'en', params.categories.length)}`,
      params.criticality === undefined ? undefined : `criticality ${w.criticalities[params.criticality]}`,
      params.kind === undefined ? undefined : `kind ${w.kinds[params.kind]}`,
      params.excludedReason === undefined ? undefined : `excluded (${params.excludedReason})`,
      params.included ? 'included in the migration again' : undefined,
    ].filter((part): part is string => part !== undefined);
    const which = [
      params.application === undefined ? undefined : `application ${params.application}`,
      params.ofKind === undefined ? undefined : `kind ${w.kinds[params.ofKind]}`,
      params.nameContains === undefined ? undefined : `names containing “${params.nameContains}”`,
      params.untagged ? 'workloads without a category' : undefined,
    ].filter((part): part is string => part !== undefined);
    const changed = params.workloadCount === 0 ? 'no workload changed' : `${plural(params.workloadCount, 'workload changed', 'workloads changed')}: ${formatList(params.workloadIds, 'en', params.workloadCount)}`;
    return `${capitalize(what.join('; '))}${which.length > 0 ? ` for ${which.join(', ')}` : ''} (${changed})`;
  },
  DRAFT_IMPORTED: ({ workloadCount }) => `${plural(workloadCount, 'workload', 'workloads')} imported`,
  DRAFT_COMMENTED: ({ workloadId }) => (workloadId === undefined ? 'Comment on the draft' : `Comment on ${workloadId}`),
  DRAFT_RUN_STARTED: ({ runId, revision }) => `Run ${runId} started from revision ${revision}`,
};

const TEXTS: Record<Language, Texts> = { fr: FRENCH, en: ENGLISH };

/** Why each approval is asked for, in law or practice (RULES.md, approvals). */
const APPROVAL_BASES: Record<Language, Record<string, string>> = {
  fr: {
    rssi: 'Le responsable de la sécurité des systèmes d’information du client valide toute migration',
    dpo: 'RGPD art. 38 et 39 : le délégué à la protection des données est associé aux traitements de données personnelles',
    dpia: 'RGPD art. 35 : analyse d’impact des traitements susceptibles d’engendrer un risque élevé',
    homologation: 'RGS / PSSIE : homologation de sécurité du système d’information avant sa mise en service',
    'anssi-notification': 'LPM : l’ANSSI est informée des modifications d’un système d’information d’importance vitale',
  },
  en: {
    rssi: 'The customer’s security officer signs off every migration',
    dpo: 'GDPR art. 38-39: the data protection officer is involved in processing of personal data',
    dpia: 'GDPR art. 35: data protection impact assessment of high-risk processing',
    homologation: 'RGS / PSSIE: security homologation of the information system before it goes live',
    'anssi-notification': 'LPM: ANSSI is notified of changes to an OIV’s vital information system',
  },
};

/** The text with its first letter in capitals: a label that opens a sentence or a badge. */
export function capitalize(value: string): string {
  return value.length === 0 ? value : `${value[0]?.toUpperCase() ?? ''}${value.slice(1)}`;
}

/** `45 000` in French (narrow no-break space), `45,000` in English; decimals with a comma in French. */
function formatNumber(value: number, language: Language): string {
  const [whole = '0', fraction] = String(Math.round(value * 100) / 100).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, language === 'fr' ? '\u202f' : ',');
  if (fraction === undefined) return grouped;
  return `${grouped}${language === 'fr' ? ',' : '.'}${fraction}`;
}
