/**
 * The homologation file of a run as a PDF (pdfkit, in the API process: no browser), in French
 * or English: the plan and its customer, the classification of every workload with its rules
 * and their legal basis (docs/rules.md), the approvals with their deciders, dates and comments,
 * the residual-risk register, the provisioning evidence, the cutover outcome, the audit trail
 * and the fingerprint of the run's Temporal history.
 *
 * Bounded for large estates: the per-workload table, the risk register and the audit trail show
 * at most {@link DOSSIER_LIMITS} rows each and say how many they leave out; the classification is
 * summarised by level in full above the table. The font (DejaVu Sans, shipped as WOFF by the npm
 * package @fontsource/dejavu-sans, unwrapped once by use-cases/woff.ts) carries French accents.
 */
import { readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import {
  approvalName,
  auditActionLabel,
  auditCommentLabel,
  auditTargetLabel,
  approverRoleLabel,
  customerTypeLabel,
  dataCategoryLabel,
  derogationStateLabel,
  formatDateTime,
  HOSTING_LEVELS,
  hostingLevelLabel,
  type CutoverSchedule,
  type EstateGraph,
  type Language,
  type MigrationReport,
  type MigrationStatus,
  phaseLabel,
  PICTURE_TEXTS,
  renderMessage,
  renderRunText,
  renderStepTitle,
  riskSourceLabel,
  riskStateLabel,
  ruleLegalBasis,
  RULE_IDS,
  type RunRiskRegister,
  runStatusLabel,
  stepIds,
  stepStateLabel,
  userRoleLabel,
  type WorkloadOutcome,
  workloadOutcomeLabel,
} from '../domain';
import { cutoverScheduleHeight, drawCutoverSchedule, drawEstateGraph, scheduleCaption } from './dossier-pictures';
import type { HistoryFingerprint } from './history-fingerprint';
import { woffToSfnt } from './woff';

/** How many rows each long section shows at most; the rest is counted, never silently dropped. */
export const DOSSIER_LIMITS = { workloads: 300, risks: 200, audit: 300 } as const;

function fontFile(weight: 400 | 700): string {
  return require.resolve(`@fontsource/dejavu-sans/files/dejavu-sans-latin-${weight}-normal.woff`);
}

let fonts: { regular: Buffer; bold: Buffer } | undefined;
function loadFonts(): { regular: Buffer; bold: Buffer } {
  fonts ??= { regular: woffToSfnt(readFileSync(fontFile(400))), bold: woffToSfnt(readFileSync(fontFile(700))) };
  return fonts;
}

/** What the file is made of: the run's status and report, its register and its history's fingerprint. */
export interface DossierInput {
  status: MigrationStatus;
  report: MigrationReport;
  risks: RunRiskRegister;
  fingerprint: HistoryFingerprint;
  /** The run's dependency graph grouped by zone (domain/estate-pictures.ts estateGraph), drawn as figure 1. */
  graph: EstateGraph;
  /** The run's waves against its cutover windows at `generatedAt` (cutoverSchedule), drawn as figure 2. */
  schedule: CutoverSchedule;
  /** When the file was made (the API's clock), printed on it. */
  generatedAt: string;
}

const WORDS = {
  fr: {
    title: 'Dossier d’homologation',
    subtitle: 'Migration vers le cloud de confiance',
    generated: 'Établi le',
    run: 'Exécution',
    plan: 'Plan',
    customer: 'Client',
    type: 'Type',
    status: 'État',
    phase: 'Phase',
    startedBy: 'Démarrée par',
    startedAt: 'Démarrée le',
    endedAt: 'Terminée le',
    classification: 'Classification des charges',
    byLevel: 'Répartition par niveau d’hébergement',
    workloads: (count: number) => `${count} ${count > 1 ? 'charges' : 'charge'}`,
    hds: 'HDS',
    yes: 'oui',
    no: 'non',
    workload: 'Charge',
    level: 'Niveau',
    rules: 'Règles',
    categories: 'Catégories de données',
    outcome: 'Résultat',
    rulesAndBases: 'Règles appliquées et fondement juridique (docs/rules.md)',
    byWorkload: 'Classification charge par charge',
    approvals: 'Approbations',
    role: 'Rôle',
    decision: 'Décision',
    by: 'par',
    on: 'le',
    comment: 'Commentaire',
    acceptedRisks: 'Risques résiduels acceptés par cette décision',
    derogations: 'Dérogations (R10)',
    noDerogations: 'Aucune dérogation demandée.',
    derogationWorkloads: 'Charges couvertes',
    measures: 'Mesures compensatoires',
    until: 'jusqu’au',
    renewals: (count: number) => `${count} renouvellement${count > 1 ? 's' : ''}`,
    pending: 'en attente, échéance',
    risks: 'Registre des risques résiduels',
    noRisks: 'Aucun risque résiduel.',
    notDerived: 'Le registre sera établi après la classification et l’évaluation du plan.',
    owner: 'Responsable',
    source: 'Source',
    accepted: 'accepté par',
    onHomologation: 'par la décision d’homologation',
    provisioning: 'Preuves de mise en service',
    zone: 'Zone d’atterrissage',
    location: 'Localisation : France (politiques de localisation et de réseau appliquées)',
    keys: 'Garde des clés : clés gérées par le client, coffre en France',
    notProvisioned: 'Pas encore mise en service.',
    resource: 'ressource',
    cutover: 'Bascule',
    waves: 'Vagues',
    runOutcome: 'Issue de l’exécution',
    audit: 'Piste d’audit',
    noAudit: 'Aucune décision enregistrée.',
    fingerprint: 'Empreinte de l’historique',
    fingerprintHow: (events: number) =>
      `SHA-256 de : « passerelle-history-v1 », l’identifiant du workflow, l’identifiant de l’exécution (chacun suivi d’un saut de ligne), puis le JSON canonique (clés triées, correspondance JSON de protobuf) des ${events} événements de l’exécution courante (temporal.api.history.v1.HistoryEvent), tels que Temporal les conserve.`,
    workflowId: 'Workflow',
    runId: 'Exécution Temporal',
    more: (count: number) => `… et ${count} de plus (voir GET /v1/migrations/{id}/report)`,
    signature: 'Décision de l’autorité d’homologation — nom, date et signature :',
    page: 'Page',
  },
  en: {
    title: 'Homologation file',
    subtitle: 'Migration to the trusted cloud',
    generated: 'Generated on',
    run: 'Run',
    plan: 'Plan',
    customer: 'Customer',
    type: 'Type',
    status: 'Status',
    phase: 'Phase',
    startedBy: 'Started by',
    startedAt: 'Started on',
    endedAt: 'Ended on',
    classification: 'Classification of the workloads',
    byLevel: 'Workloads by hosting level',
    workloads: (count: number) => `${count} ${count === 1 ? 'workload' : 'workloads'}`,
    hds: 'HDS',
    yes: 'yes',
    no: 'no',
    workload: 'Workload',
    level: 'Level',
    rules: 'Rules',
    categories: 'Data categories',
    outcome: 'Outcome',
    rulesAndBases: 'Rules applied and their legal basis (docs/rules.md)',
    byWorkload: 'Classification workload by workload',
    approvals: 'Approvals',
    role: 'Role',
    decision: 'Decision',
    by: 'by',
    on: 'on',
    comment: 'Comment',
    acceptedRisks: 'Residual risks accepted by this decision',
    derogations: 'Derogations (R10)',
    noDerogations: 'No derogation requested.',
    derogationWorkloads: 'Workloads covered',
    measures: 'Compensating measures',
    until: 'until',
    renewals: (count: number) => `${count} renewal${count === 1 ? '' : 's'}`,
    pending: 'pending, due',
    risks: 'Residual-risk register',
    noRisks: 'No residual risk.',
    notDerived: 'The register is derived once the plan is classified and assessed.',
    owner: 'Owner',
    source: 'Source',
    accepted: 'accepted by',
    onHomologation: 'through the homologation decision',
    provisioning: 'Provisioning evidence',
    zone: 'Landing zone',
    location: 'Location: France (location and network policies assigned)',
    keys: 'Key custody: customer-managed keys, vault in France',
    notProvisioned: 'Not provisioned yet.',
    resource: 'resource',
    cutover: 'Cutover',
    waves: 'Waves',
    runOutcome: 'Outcome of the run',
    audit: 'Audit trail',
    noAudit: 'No decision recorded.',
    fingerprint: 'Fingerprint of the history',
    fingerprintHow: (events: number) =>
      `SHA-256 of: "passerelle-history-v1", the workflow id, the run id (each followed by a newline), then the canonical JSON (sorted keys, protobuf JSON mapping) of the current run's ${events} events (temporal.api.history.v1.HistoryEvent), as Temporal stores them.`,
    workflowId: 'Workflow',
    runId: 'Temporal run',
    more: (count: number) => `… and ${count} more (see GET /v1/migrations/{id}/report)`,
    signature: 'Decision of the homologation authority — name, date and signature:',
    page: 'Page',
  },
} as const;

const DECISION_LABELS: Record<Language, Record<string, string>> = {
  fr: { APPROVE: 'approuvée', REJECT: 'rejetée', REQUEST_CHANGES: 'modifications demandées' },
  en: { APPROVE: 'approved', REJECT: 'rejected', REQUEST_CHANGES: 'changes requested' },
};

/** Renders the homologation file; resolves with the PDF's bytes. */
export async function renderDossierPdf(input: DossierInput, language: Language): Promise<Buffer> {
  const { regular, bold } = loadFonts();
  const words = WORDS[language];
  const colon = language === 'fr' ? ' : ' : ': ';
  const { status, report } = input;
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    bufferPages: true,
    lang: language,
    info: {
      Title: `${words.title} — ${status.customerName} — ${status.workflowId}`,
      Author: 'Passerelle',
      Subject: words.subtitle,
      CreationDate: new Date(input.generatedAt),
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('body', regular);
  doc.registerFont('bold', bold);

  const heading = (text: string) => {
    doc.moveDown(0.8).font('bold').fontSize(13).fillColor('#1b3a6b').text(text).moveDown(0.3).font('body').fontSize(9.5).fillColor('black');
  };
  const field = (label: string, value: string) => {
    doc.font('bold').text(`${label}${colon}`, { continued: true }).font('body').text(value);
  };
  const line = (text: string, options: PDFKit.Mixins.TextOptions = {}) => doc.text(text, options);

  doc.font('bold').fontSize(20).fillColor('#1b3a6b').text(words.title);
  doc.font('body').fontSize(11).fillColor('black').text(`${words.subtitle} — ${status.customerName}`).moveDown(0.5);
  doc.fontSize(9.5);
  field(words.generated, formatDateTime(input.generatedAt, language));
  field(words.run, status.workflowId);
  if (status.planId !== undefined) field(words.plan, status.planId);
  field(words.customer, `${status.customerName} (${status.customerId})`);
  field(words.type, customerTypeLabel(status.plan.customer.type, language));
  field(words.status, `${runStatusLabel(status.status, language)} — ${words.phase.toLowerCase()} ${phaseLabel(status.phase, language)}`);
  field(words.startedBy, status.startedBy);
  field(words.startedAt, formatDateTime(status.startedAt, language));
  if (status.endedAt !== undefined) field(words.endedAt, formatDateTime(status.endedAt, language));

  heading(words.fingerprint);
  field(words.workflowId, input.fingerprint.workflowId);
  field(words.runId, input.fingerprint.runId);
  doc.font('bold').text(`SHA-256${colon}${input.fingerprint.sha256}`).font('body');
  line(words.fingerprintHow(input.fingerprint.eventCount));

  heading(words.classification);
  const classification = report.classification;
  if (classification !== null) {
    doc.font('bold').text(words.byLevel).font('body');
    for (const level of HOSTING_LEVELS) {
      line(`• ${hostingLevelLabel(level, language)}${colon}${words.workloads(classification.summary.byLevel[level])}`);
    }
    line(`• ${words.hds}${colon}${words.workloads(classification.summary.hds)}`);
    doc.moveDown(0.4).font('bold').text(words.rulesAndBases).font('body');
    const usedRules = new Set(report.workloads.flatMap((workload) => workload.rules));
    for (const rule of RULE_IDS) if (usedRules.has(rule)) line(`${rule} — ${ruleLegalBasis(rule, language)}`);
  }

  // The pictures get a page of their own, after the summary of page 1.
  const pictures = PICTURE_TEXTS[language];
  const frame = { x: doc.page.margins.left, width: doc.page.width - doc.page.margins.left - doc.page.margins.right };
  const caption = (text: string) => doc.moveDown(0.4).font('body').fontSize(8.5).fillColor('#444').text(text, frame.x).fillColor('black').fontSize(9.5);
  doc.addPage();
  heading(pictures.graphTitle);
  line(pictures.graphIntroPrinted);
  doc.moveDown(0.6);
  drawEstateGraph(doc, input.graph, language, frame);
  caption(pictures.graphCaption(input.graph.groupBy === 'zone' ? pictures.byZone : pictures.byWave, input.graph.groups.length, input.graph.workloads));
  const schedule = input.schedule;
  // The schedule with its heading on the next page when they do not fit under the graph.
  if (doc.y + 70 + cutoverScheduleHeight(schedule) > doc.page.height - doc.page.margins.bottom) doc.addPage();
  heading(pictures.scheduleTitle);
  const notes = [pictures.timeZone(schedule.timeZone ?? 'UTC')];
  if (!schedule.hasWindows) notes.push(pictures.noWindows);
  if (schedule.waves.length < schedule.totalWaves) notes.push(pictures.wavesShown(schedule.waves.length, schedule.totalWaves));
  line(pictures.scheduleIntro);
  line(notes.join(' — '));
  if (schedule.waves.length === 0) line(pictures.noWaves);
  else {
    doc.moveDown(0.6);
    drawCutoverSchedule(doc, schedule, language, frame, schedule.timeZone ?? 'UTC');
    caption(scheduleCaption(schedule, language));
  }

  doc.addPage();
  heading(words.byWorkload);
  const categoriesById = new Map(status.plan.workloads.map((workload) => [workload.id, workload.dataCategories]));
  for (const workload of report.workloads.slice(0, DOSSIER_LIMITS.workloads)) {
    const level = workload.level === null ? '—' : hostingLevelLabel(workload.level, language);
    const categories = (categoriesById.get(workload.id) ?? []).map((category) => dataCategoryLabel(category, language)).join(', ');
    doc.font('bold').text(`${workload.name} (${workload.id})`, { continued: true }).font('body');
    doc.text(` — ${level}${workload.hds === true ? `, ${words.hds}` : ''} — ${words.rules.toLowerCase()} ${workload.rules.join(', ') || '—'} — ${workloadOutcomeLabel(workload.outcome, language)}`);
    doc.fillColor('#444').text(`   ${words.categories}${colon}${categories}`).fillColor('black');
  }
  if (report.workloads.length > DOSSIER_LIMITS.workloads) line(words.more(report.workloads.length - DOSSIER_LIMITS.workloads));

  heading(words.approvals);
  for (const approval of status.approvals.filter((candidate) => candidate.round === status.round)) {
    const who = `${approvalName(approval.id, language)} — ${words.role.toLowerCase()} ${approverRoleLabel(approval.role as never, language)}`;
    doc.font('bold').text(who).font('body');
    if (approval.decision !== undefined) {
      line(`${DECISION_LABELS[language][approval.decision.decision] ?? approval.decision.decision} ${words.by} ${approval.decision.by} ${words.on} ${formatDateTime(approval.decision.at, language)}`);
      if (approval.decision.comment !== undefined) line(`${words.comment}${colon}« ${approval.decision.comment} »`);
      const acceptedRiskIds = approval.decision.acceptedRiskIds;
      if (acceptedRiskIds !== undefined) line(`${words.acceptedRisks}${colon}${acceptedRiskIds.length === 0 ? '—' : acceptedRiskIds.slice(0, DOSSIER_LIMITS.risks).join(', ')}`);
    } else {
      line(`${words.pending} ${formatDateTime(approval.dueAt, language)}`);
    }
  }

  heading(words.derogations);
  const derogations = status.derogations ?? [];
  if (derogations.length === 0) line(words.noDerogations);
  for (const derogation of derogations) {
    const until = derogation.expiresAt === undefined ? '' : `, ${words.until} ${formatDateTime(derogation.expiresAt, language)}`;
    doc.font('bold').text(`${derogation.id} — ${words.zone.toLowerCase()} ${derogation.zoneId} (${hostingLevelLabel(derogation.level, language)}) — ${derogationStateLabel(derogation.state, language)}${until}`).font('body');
    line(`${words.derogationWorkloads}${colon}${derogation.workloadIds.slice(0, DOSSIER_LIMITS.workloads).join(', ')}${derogation.workloadIds.length > DOSSIER_LIMITS.workloads ? ' …' : ''}`);
    if (derogation.compensatingMeasures.length > 0) line(`${words.measures}${colon}${derogation.compensatingMeasures.join(' ; ')}`);
    if (derogation.renewals > 0) line(words.renewals(derogation.renewals));
    // Its history: each decision with its actor, date and words; the ends the run decided itself by their state's name.
    for (const event of derogation.history) {
      const when = formatDateTime(event.at, language);
      if (event.action === 'EXPIRE' || event.action === 'END') {
        line(`• ${when} — ${derogationStateLabel(event.action === 'EXPIRE' ? 'EXPIRED' : 'ENDED', language)}`);
        continue;
      }
      const action = event.action === 'ACKNOWLEDGE_LAPSE' ? 'ACKNOWLEDGE_DEROGATION_LAPSE' : `${event.action}_DEROGATION`;
      line(`• ${when} — ${event.by} ${auditActionLabel(action, language)} ${derogation.zoneId}${event.comment === undefined ? '' : ` — « ${event.comment} »`}`);
    }
  }

  heading(words.risks);
  if (!input.risks.derived) line(words.notDerived);
  else if (input.risks.risks.length === 0) line(words.noRisks);
  for (const risk of input.risks.risks.slice(0, DOSSIER_LIMITS.risks)) {
    doc.font('bold').text(`${risk.id} — ${riskStateLabel(risk.state, language)}`).font('body');
    line(renderMessage(risk.description.code, risk.description.params as never, language));
    line(`${words.owner}${colon}${approverRoleLabel(risk.ownerRole, language)} — ${words.source}${colon}${riskSourceLabel(risk.code, language)}`);
    if (risk.acceptance !== undefined) {
      line(`${words.accepted} ${risk.acceptance.by} ${words.on} ${formatDateTime(risk.acceptance.at, language)}${risk.acceptance.onHomologation ? ` ${words.onHomologation}` : ''}`);
    }
  }
  if (input.risks.risks.length > DOSSIER_LIMITS.risks) line(words.more(input.risks.risks.length - DOSSIER_LIMITS.risks));

  heading(words.provisioning);
  const stepsById = new Map(status.steps.map((step) => [step.id, step]));
  for (const zone of classification?.landingZones ?? []) {
    doc.font('bold').text(`${words.zone} ${zone.id} — ${hostingLevelLabel(zone.level, language)}${zone.hds ? `, ${words.hds}` : ''} — ${words.workloads(zone.workloadIds.length)}`).font('body');
    const zoneSteps = [stepIds.landingZone(zone.id), stepIds.keyVault(zone.id), stepIds.policies(zone.id), stepIds.logForwarding(zone.id)];
    if (!zoneSteps.some((stepId) => stepsById.has(stepId))) {
      line(words.notProvisioned);
      continue;
    }
    line(words.location);
    line(words.keys);
    for (const stepId of zoneSteps) {
      const step = stepsById.get(stepId);
      if (step === undefined) continue;
      const resource = status.resources[stepId];
      const when = step.endedAt === undefined ? '' : `, ${formatDateTime(step.endedAt, language)}`;
      line(`• ${renderStepTitle(stepId, language)}${colon}${stepStateLabel(step.state, language)}${when}${resource === undefined ? '' : ` — ${words.resource} ${resource}`}`);
    }
  }

  heading(words.cutover);
  field(words.waves, String(status.waves.length));
  const outcomes = new Map<WorkloadOutcome, number>();
  for (const workload of report.workloads) outcomes.set(workload.outcome, (outcomes.get(workload.outcome) ?? 0) + 1);
  for (const [outcome, count] of outcomes) line(`• ${workloadOutcomeLabel(outcome, language)}${colon}${words.workloads(count)}`);
  field(words.runOutcome, `${runStatusLabel(status.status, language)}${status.outcome?.reason === undefined && status.outcome?.text === undefined ? '' : ` — ${renderRunText(status.outcome, language)}`}`);

  heading(words.audit);
  if (status.audit.length === 0) line(words.noAudit);
  const audit = status.audit.slice(-DOSSIER_LIMITS.audit);
  if (status.audit.length > audit.length) line(words.more(status.audit.length - audit.length));
  for (const entry of audit) {
    const target = entry.target === undefined ? '' : ` ${auditTargetLabel(entry.target, language)}`;
    const comment = entry.comment === undefined ? '' : ` — « ${auditCommentLabel(entry.action, entry.comment, language)} »`;
    line(`${formatDateTime(entry.at, language)} — ${entry.actor} [${entry.roles.map((role) => userRoleLabel(role, language)).join(', ')}] — ${auditActionLabel(entry.action, language)}${target}${comment}`);
  }

  doc.moveDown(1.5).font('bold').text(words.signature).font('body').moveDown(3);

  const range = doc.bufferedPageRange();
  for (let index = range.start; index < range.start + range.count; index += 1) {
    doc.switchToPage(index);
    // The footer sits in the bottom margin: without this pdfkit would break to a new page.
    doc.page.margins.bottom = 0;
    doc.fontSize(8).fillColor('#666').text(`${words.title} — ${status.workflowId} — ${words.page} ${index + 1}/${range.count}`, 50, doc.page.height - 35, {
      lineBreak: false,
    });
  }
  doc.end();
  return await ended;
}
